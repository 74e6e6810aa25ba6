using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Balloting;

public static class CloseBallotEndpoint
{
    /// <summary>The chair closes the open ballot: the result is recorded, and the resolution is adopted or rejected by it.</summary>
    [WolverinePost("/api/resolutions/{id}/ballots/current/closing", OperationId = "closeBallot"), Tags("Ballots")]
    [ProducesResponseType<BallotView>(200)]
    public static async Task<IResult> Post(Guid id, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        Guid? closedId = null;
        var result = await ResolutionCommands.Execute(store, id, null, caller,
            (state, body) =>
            {
                closedId = state.OpenBallot?.Id;
                return BallotDecisions.Close(state, body, caller, clock.GetUtcNow());
            },
            _ => Results.Empty,
            ct);
        if (result != Results.Empty) return result;
        await using var session = store.QuerySession();
        var view = await session.LoadAsync<ResolutionView>(id, ct);
        return Results.Ok(view!.Ballots.Single(b => b.Id == closedId));
    }
}

public sealed record CancelBallot(string? Reason);

public static class CancelBallotEndpoint
{
    public static ProblemDetails Validate(CancelBallot command) =>
        TextRules.CheckShort(command.Reason, "the reason for cancelling the ballot", 1000) ?? WolverineContinue.NoProblems;

    /// <summary>The chair cancels the open ballot; its votes are void and the text can be edited again.</summary>
    [WolverinePost("/api/resolutions/{id}/ballots/current/cancellation", OperationId = "cancelBallot"), Tags("Ballots")]
    [ProducesResponseType<BallotWritten>(200)]
    public static Task<IResult> Post(Guid id, CancelBallot command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        Guid ballotId = default;
        string rule = "";
        return ResolutionCommands.Execute(store, id, null, caller,
            (state, body) =>
            {
                ballotId = state.OpenBallot?.Id ?? default;
                rule = state.OpenBallot?.Rule.ToString() ?? "";
                return BallotDecisions.Cancel(state, body, command.Reason!.Trim(), caller, clock.GetUtcNow());
            },
            outcome => Results.Ok(new BallotWritten(id, ballotId, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash, rule)),
            ct);
    }
}
