using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Commenting;

public sealed record AddComment(string? Text, string? ParagraphId);

public sealed record CommentWritten(Guid ResolutionId, Guid CommentId, long Version);

public static class AddCommentEndpoint
{
    public static ProblemDetails Validate(AddComment command) =>
        TextRules.CheckComment(command.Text) is { } problem ? Problems.Invalid(problem) : WolverineContinue.NoProblems;

    /// <summary>Comments on the resolution, or on one paragraph of its current text.</summary>
    [WolverinePost("/api/resolutions/{id}/comments", OperationId = "addComment"), Tags("Resolutions")]
    [ProducesResponseType<CommentWritten>(201)]
    public static Task<IResult> Post(Guid id, AddComment command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var commentId = Guid.CreateVersion7();
        return ResolutionCommands.Execute(store, id, null, caller,
            (state, body) => ResolutionDecisions.Comment(state, body, commentId, command.ParagraphId, command.Text!, caller, clock.GetUtcNow()),
            outcome => Results.Created($"/api/resolutions/{id}", new CommentWritten(id, commentId, outcome.Version)),
            ct);
    }
}
