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

public sealed record ProposeBracketAlternative(string? Wording);

public static class ProposeBracketAlternativeEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ProposeBracketAlternative command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ProposeBracketAlternative command) =>
        command.Wording is null ? Problems.Invalid("Send the wording you propose (it may be empty, to strike the passage).")
        : TextRules.CheckSpan(command.Wording) is { } problem ? TextRules.Refusal(problem)
        : WolverineContinue.NoProblems;

    /// <summary>Proposes another wording for a bracketed passage; a wording already proposed is not added twice.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/brackets/{bracketId}/alternatives", OperationId = "proposeBracketAlternative"), Tags("Brackets")]
    [ProducesResponseType<BracketWritten>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, Guid bracketId, ProposeBracketAlternative command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => BracketDecisions.ProposeAlternative(state, body, bracketId, command.Wording!, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new BracketWritten(id, bracketId, outcome.State.Brackets.Single(b => b.Id == bracketId).Number, outcome.Version, outcome.State.TextVersion)));
    }
}
