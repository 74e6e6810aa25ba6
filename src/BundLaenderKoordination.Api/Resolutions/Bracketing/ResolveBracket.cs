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

/// <summary>Either <c>alternative</c> (0: keep the bracketed wording, 1 and up: a proposed alternative) or <c>wording</c>.</summary>
public sealed record ResolveBracket(int? Alternative, string? Wording);

public static class ResolveBracketEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ResolveBracket command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ResolveBracket command)
    {
        if ((command.Alternative is null) == (command.Wording is null))
            return Problems.Invalid("Send either alternative (the number of a proposed wording, 0 for the bracketed one) or wording (the agreed text).");
        if (command.Wording is not null && TextRules.CheckSpan(command.Wording) is { } problem) return TextRules.Refusal(problem);
        return WolverineContinue.NoProblems;
    }

    /// <summary>Resolves a bracket: the agreed wording replaces the passage in a new text version.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/brackets/{bracketId}/resolution", OperationId = "resolveBracket"), Tags("Brackets")]
    [ProducesResponseType<BracketWritten>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, Guid bracketId, ResolveBracket command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => BracketDecisions.Resolve(state, body, bracketId, command.Alternative, command.Wording, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new BracketWritten(id, bracketId, outcome.State.Brackets.Single(b => b.Id == bracketId).Number, outcome.Version, outcome.State.TextVersion)));
    }
}
