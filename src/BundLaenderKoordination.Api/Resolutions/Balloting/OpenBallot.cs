using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Balloting;

/// <summary><c>matterType</c>: one of the body's matter types (default: "default").</summary>
public sealed record OpenBallot(string? MatterType);

public sealed record BallotWritten(Guid ResolutionId, Guid BallotId, long Version, int TextVersion, string TextHash, string Rule);

public static class OpenBallotEndpoint
{
    public static ProblemDetails Validate(OpenBallot command) =>
        command.MatterType is { Length: 0 or > 60 }
            ? Problems.Invalid("matterType is the name of one of the body's matter types, such as \"default\" or \"budget\".")
            : WolverineContinue.NoProblems;

    /// <summary>The chair opens a ballot on the current text version; the rule in force for the matter type is recorded on it.</summary>
    [WolverinePost("/api/resolutions/{id}/ballots", OperationId = "openBallot"), Tags("Ballots")]
    [ProducesResponseType<BallotWritten>(201)]
    public static Task<IResult> Post(Guid id, OpenBallot command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var ballotId = Guid.CreateVersion7();
        return ResolutionCommands.Execute(store, id, null, caller,
            (state, body) => BallotDecisions.Open(state, body, command.MatterType ?? Body.DefaultMatterType, ballotId, caller, clock.GetUtcNow()),
            outcome => Results.Created($"/api/resolutions/{id}/ballots/{ballotId}",
                new BallotWritten(id, ballotId, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash, outcome.State.OpenBallot!.Rule.ToString())),
            ct);
    }
}
