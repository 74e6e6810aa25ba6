using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Wolverine;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Balloting;

public static class CloseBallotEndpoint
{
    /// <summary>Access, with the mandates read in the same round trip as the resolution.</summary>
    public static ProblemDetails Validate(PersonMandates? mandates, HttpContext context) => AccessControl.CheckInCommand(context, mandates);

    /// <summary>The chair closes the open ballot: the result is recorded, and the resolution is adopted or rejected by it.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/ballots/current/closing", OperationId = "closeBallot"), Tags("Ballots")]
    [ProducesResponseType<BallotView>(200)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid id, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        Guid? closedId = null;
        // The read model is kept off the command path (decision 30); the answer needs it, so this rare command reads it
        // at the stream version it holds locked.
        var view = stream.Aggregate is null ? null : await GettingResolution.ResolutionViewProjection.LatestAsync(session, id, ct);
        return ResolutionCommand.Decide(stream, bodies, session, null, Caller.From(user),
            (state, body, caller) =>
            {
                closedId = state.OpenBallot?.Id;
                return BallotDecisions.Close(state, body, caller, clock.GetUtcNow());
            },
            // The closed ballot as the view shows it once these events are in: the view read with the stream, one step further.
            outcome => Results.Ok(outcome.Events.Aggregate(view, ResolutionViewProjection.Next)!.Ballots.Single(b => b.Id == closedId)));
    }
}

public sealed record CancelBallot(string? Reason);

public static class CancelBallotEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(CancelBallot command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(CancelBallot command) =>
        TextRules.CheckShort(command.Reason, "the reason for cancelling the ballot", 1000) ?? WolverineContinue.NoProblems;

    /// <summary>The chair cancels the open ballot; its votes are void and the text can be edited again.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/ballots/current/cancellation", OperationId = "cancelBallot"), Tags("Ballots")]
    [ProducesResponseType<BallotWritten>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, CancelBallot command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        Guid ballotId = default;
        string rule = "";
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) =>
            {
                ballotId = state.OpenBallot?.Id ?? default;
                rule = state.OpenBallot?.Rule.ToString() ?? "";
                return BallotDecisions.Cancel(state, body, command.Reason!.Trim(), caller, clock.GetUtcNow());
            },
            outcome => Results.Ok(new BallotWritten(id, ballotId, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash, rule)));
    }
}
