using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Commenting;

public static class ReopenCommentEndpoint
{
    /// <summary>Reopens a resolved comment thread.</summary>
    [WolverineDelete("/api/resolutions/{id}/comments/{commentId}/resolution", OperationId = "reopenComment"), Tags("Comments")]
    [ProducesResponseType<CommentThreadState>(200)]
    public static Task<IResult> Delete(Guid id, Guid commentId, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return ResolutionCommands.Execute(store, id, null, caller,
            (state, body) => CommentDecisions.Reopen(state, body, commentId, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new CommentThreadState(id, commentId, outcome.State.Comments[commentId].Resolved, outcome.Version)),
            ct);
    }
}
