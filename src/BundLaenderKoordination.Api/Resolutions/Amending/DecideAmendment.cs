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

namespace BundLaenderKoordination.Api.Resolutions.Amending;

/// <summary><c>outcome</c>: "accept", "reject" or "acceptWithChanges" (then <c>changes</c> against the current text).</summary>
public sealed record DecideAmendment(string? Outcome, IReadOnlyList<AmendmentChangeRequest?>? Changes, string? Reason);

public sealed record AmendmentDecided(Guid ResolutionId, Guid AmendmentId, AmendmentStatus Status, long Version, int TextVersion, string TextHash);

public static class DecideAmendmentEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(DecideAmendment command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(DecideAmendment command)
    {
        switch (command.Outcome)
        {
            case "accept" or "reject":
                if (command.Changes is not null) return Problems.Invalid("Changes go with \"acceptWithChanges\" only.");
                if (command.Reason is not null && TextRules.CheckComment(command.Reason) is { } reasonProblem) return TextRules.Refusal(reasonProblem);
                return WolverineContinue.NoProblems;
            case "acceptWithChanges":
                if (command.Reason is not null && TextRules.CheckComment(command.Reason) is { } withChangesReasonProblem) return TextRules.Refusal(withChangesReasonProblem);
                return AmendmentInput.Problem(AmendmentInput.Check(command.Changes)) ?? WolverineContinue.NoProblems;
            default:
                return Problems.Invalid("outcome must be \"accept\", \"reject\" or \"acceptWithChanges\".");
        }
    }

    /// <summary>The chair (or, before a session, the proposing Land of the resolution) accepts, rejects or accepts with changes.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/amendments/{amendmentId}/decision", OperationId = "decideAmendment"), Tags("Amendments")]
    [ProducesResponseType<AmendmentDecided>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, Guid amendmentId, DecideAmendment command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => command.Outcome switch
            {
                "reject" => AmendmentDecisions.Reject(state, body, amendmentId, command.Reason, caller, clock.GetUtcNow()),
                "acceptWithChanges" => AmendmentDecisions.Accept(state, body, amendmentId, AmendmentInput.Parse(command.Changes!), caller, clock.GetUtcNow(), command.Reason),
                _ => AmendmentDecisions.Accept(state, body, amendmentId, null, caller, clock.GetUtcNow(), command.Reason),
            },
            outcome => Results.Ok(new AmendmentDecided(id, amendmentId, outcome.State.Amendments[amendmentId].Status, outcome.Version,
                outcome.State.TextVersion, outcome.State.TextHash)));
    }
}
