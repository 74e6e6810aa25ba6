using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using JasperFx.Events;
using Marten;
using Wolverine;
using Wolverine.Persistence;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using BundLaenderKoordination.Api.Resolutions.Signing;

namespace BundLaenderKoordination.Api.Resolutions.Voting;

/// <summary>A Land's vote. <c>land</c> is optional; when sent it must be the Land the caller acts for.</summary>
/// <c>signature</c>: the author's passkey assertion over the vote (required where the body requires signed acts).
public sealed record CastVote(string? Choice, int? TextVersion, string? Land = null, Signing.PasskeyAssertion? Signature = null)
{
    public VoteChoice? ParsedChoice => Choice switch
    {
        "yes" => VoteChoice.Yes,
        "no" => VoteChoice.No,
        "abstain" => VoteChoice.Abstain,
        _ => null,
    };
}

public sealed record VoteRecorded(Guid ResolutionId, string Land, string Choice, int TextVersion, string TextHash, long Version);

public static class CastVoteEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(CastVote command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(CastVote command)
    {
        if (command.ParsedChoice is null) return Problems.Invalid("choice must be \"yes\", \"no\" or \"abstain\".");
        if (command.TextVersion is null or < 1) return Problems.Invalid("Name the text version you vote on as textVersion.");
        if (command.Land is not null && Lands.Normalize(command.Land) is null) return Problems.Invalid($"'{command.Land}' is not a Land.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Casts the vote of the caller's Land on exactly the named text version. Votes of different Länder commute, so the
    /// resolution is loaded with its stream locked (they queue instead of racing).
    /// </summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/votes", OperationId = "castVote"), Tags("Resolutions")]
    [ProducesResponseType<VoteRecorded>(200)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid id, CastVote command,
        [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock,
        Signing.ActSigning signing, CancellationToken ct)
    {
        var land = Lands.Normalize(command.Land);
        var now = clock.GetUtcNow();
        Decision Vote(Resolution state, Body body, Caller caller) => land is not null && land != caller.Land
            ? Problems.Forbid($"You act for {(caller.Land is null ? "no Land" : Lands.NameOf(caller.Land))} in {body.Id}; you cannot vote for {Lands.NameOf(land)}.")
            : ResolutionDecisions.Vote(state, body, command.ParsedChoice!.Value, command.TextVersion!.Value, caller, now);
        var caller = Caller.From(user);
        var signed = await signing.DecideSignedAsync(stream, bodies, caller, Vote, command.Signature, session, ct);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, acting) => signed ?? Vote(state, body, acting),
            outcome => Results.Ok(new VoteRecorded(id, outcome.Acting.Land!, command.Choice!, outcome.State.TextVersion, outcome.State.TextHash, outcome.Version)));
    }
}
