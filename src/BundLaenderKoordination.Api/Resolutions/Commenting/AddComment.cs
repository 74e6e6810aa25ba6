using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Wolverine;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Commenting;

/// <summary>
/// A comment on the resolution (no <c>paragraphId</c>), on a paragraph of the current text, or on a passage of it:
/// <c>quote</c>, its <c>occurrence</c>-th appearance (default 1) in that paragraph.
/// </summary>
public sealed record AddComment(string? Text, string? ParagraphId, string? Quote = null, int? Occurrence = null);

public sealed record CommentWritten(Guid ResolutionId, Guid CommentId, long Version);

public static class AddCommentEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(AddComment command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(AddComment command)
    {
        if (TextRules.CheckComment(command.Text) is { } problem) return TextRules.Refusal(problem);
        if (TextRules.CheckParagraphId(command.ParagraphId) is { } idProblem) return Problems.Invalid(idProblem);
        if (command.Quote is not null)
        {
            if (command.Quote.Length == 0) return Problems.Invalid("A quote must not be empty; leave it out to comment on the whole paragraph.");
            if (TextRules.CheckSpan(command.Quote) is { } quoteProblem) return TextRules.Refusal(quoteProblem);
        }
        if (command.Occurrence is < 1) return Problems.Invalid("occurrence counts from 1.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>Comments on the resolution, on one paragraph of its current text, or on a quoted passage of one.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/comments", OperationId = "addComment"), Tags("Comments")]
    [ProducesResponseType<CommentWritten>(201)]
    public static (IResult, OutgoingMessages) Post(Guid id, AddComment command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        var commentId = Guid.CreateVersion7();
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => CommentDecisions.Add(state, body, commentId, command.ParagraphId, command.Quote, command.Occurrence ?? 1, command.Text!,
                caller, clock.GetUtcNow()),
            outcome => Results.Created($"/api/resolutions/{id}", new CommentWritten(id, commentId, outcome.Version)));
    }
}
