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

namespace BundLaenderKoordination.Api.Resolutions.Bracketing;

/// <summary>Puts <c>quote</c> (its <c>occurrence</c>-th appearance, default 1) in paragraph <c>paragraphId</c> of the current text in brackets.</summary>
public sealed record BracketPassage(string? ParagraphId, string? Quote, int? Occurrence, IReadOnlyList<string?>? Alternatives);

public sealed record BracketWritten(Guid ResolutionId, Guid BracketId, int Number, long Version, int TextVersion);

public static class BracketPassageEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(BracketPassage command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    public const int MaxAlternatives = ResolutionLimits.MaxAlternatives;

    private static ProblemDetails ValidateInput(BracketPassage command)
    {
        if (string.IsNullOrWhiteSpace(command.ParagraphId)) return Problems.Invalid("Name the paragraph as paragraphId.");
        if (TextRules.CheckParagraphId(command.ParagraphId) is { } idProblem) return Problems.Invalid(idProblem);
        if (string.IsNullOrWhiteSpace(command.Quote)) return Problems.Invalid("Quote the disputed passage as quote.");
        if (TextRules.CheckSpan(command.Quote) is { } quoteProblem) return TextRules.Refusal(quoteProblem);
        if (command.Occurrence is < 1) return Problems.Invalid("occurrence counts from 1.");
        if (command.Alternatives is { Count: > MaxAlternatives } many)
            return ResolutionLimits.Reached("alternatives per bracketed passage", MaxAlternatives, $"{many.Count} alternatives were sent.");
        foreach (var alternative in command.Alternatives ?? [])
        {
            if (alternative is null) return Problems.Invalid("An alternative wording must not be null.");
            if (TextRules.CheckSpan(alternative) is { } problem) return TextRules.Refusal(problem);
        }
        return WolverineContinue.NoProblems;
    }

    /// <summary>Marks a passage of the current text as disputed, optionally with alternative wordings.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/brackets", OperationId = "bracketPassage"), Tags("Brackets")]
    [ProducesResponseType<BracketWritten>(201)]
    public static (IResult, OutgoingMessages) Post(Guid id, BracketPassage command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        var bracketId = Guid.CreateVersion7();
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => BracketDecisions.Bracket(state, body, bracketId, command.ParagraphId!, command.Quote!, command.Occurrence ?? 1,
                [.. (command.Alternatives ?? []).Select(a => a!)], caller, clock.GetUtcNow()),
            outcome => Results.Created($"/api/resolutions/{id}",
                new BracketWritten(id, bracketId, outcome.State.Brackets.Single(b => b.Id == bracketId).Number, outcome.Version, outcome.State.TextVersion)));
    }
}
