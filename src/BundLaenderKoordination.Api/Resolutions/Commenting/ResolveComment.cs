using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Commenting;

public sealed record CommentThreadState(Guid ResolutionId, Guid CommentId, bool Resolved, long Version);

public static class ResolveCommentEndpoint
{
    /// <summary>Marks a comment thread as resolved (settled); it stays readable with all its replies.</summary>
    [WolverinePost("/api/resolutions/{id}/comments/{commentId}/resolution", OperationId = "resolveComment"), Tags("Comments")]
    [ProducesResponseType<CommentThreadState>(200)]
    public static Task<IResult> Post(Guid id, Guid commentId, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return ResolutionCommands.Execute(store, id, null, caller,
            (state, body) => CommentDecisions.Resolve(state, body, commentId, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new CommentThreadState(id, commentId, outcome.State.Comments[commentId].Resolved, outcome.Version)),
            ct);
    }
}
