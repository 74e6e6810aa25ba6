using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Wolverine;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Commenting;

public sealed record ReplyToComment(string? Text);

public sealed record ReplyWritten(Guid ResolutionId, Guid CommentId, Guid ReplyId, long Version);

public static class ReplyToCommentEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ReplyToComment command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ReplyToComment command) =>
        TextRules.CheckComment(command.Text) is { } problem ? TextRules.Refusal(problem) : WolverineContinue.NoProblems;

    /// <summary>Replies in the thread of a comment.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/comments/{commentId}/replies", OperationId = "replyToComment"), Tags("Comments")]
    [ProducesResponseType<ReplyWritten>(201)]
    public static (IResult, OutgoingMessages) Post(Guid id, Guid commentId, ReplyToComment command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        var replyId = Guid.CreateVersion7();
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => CommentDecisions.Reply(state, body, commentId, replyId, command.Text!, caller, clock.GetUtcNow()),
            outcome => Results.Created($"/api/resolutions/{id}", new ReplyWritten(id, commentId, replyId, outcome.Version)));
    }
}
