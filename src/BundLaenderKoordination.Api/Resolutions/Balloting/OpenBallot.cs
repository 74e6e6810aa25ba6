using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Wolverine.Persistence;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Balloting;

/// <summary><c>matterType</c>: one of the body's matter types (default: "default");
/// <c>deadline</c> (optional, ISO 8601): the ballot closes by itself then, unless the chair closed it before.</summary>
public sealed record OpenBallot(string? MatterType, string? Deadline = null)
{
    public DateTimeOffset? ParsedDeadline =>
        DateTimeOffset.TryParse(Deadline, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : null;
}

public sealed record BallotWritten(Guid ResolutionId, Guid BallotId, long Version, int TextVersion, string TextHash, string Rule);

public static class OpenBallotEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(OpenBallot command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(OpenBallot command)
    {
        if (command.MatterType is { Length: 0 or > 60 })
            return Problems.Invalid("matterType is the name of one of the body's matter types, such as \"default\" or \"budget\".");
        if (command.Deadline is not null && command.ParsedDeadline is null)
            return Problems.Invalid($"'{command.Deadline}' is not an ISO 8601 instant such as 2026-12-10T12:00:00+01:00.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>The chair opens a ballot on the current text version; the rule in force for the matter type is recorded on it.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/ballots", OperationId = "openBallot"), Tags("Ballots")]
    [ProducesResponseType<BallotWritten>(201)]
    public static (IResult, OutgoingMessages) Post(Guid id, OpenBallot command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var ballotId = Guid.CreateVersion7();
        // A deadline is a durable scheduled message committed with the ballot_opened event (see Decision).
        return ResolutionCommand.Decide(stream, bodies, session, null, Caller.From(user),
            (state, body, caller) => BallotDecisions.Open(state, body, command.MatterType ?? Body.DefaultMatterType, ballotId, caller, clock.GetUtcNow(), command.ParsedDeadline),
            outcome => Results.Created($"/api/resolutions/{id}/ballots/{ballotId}",
                new BallotWritten(id, ballotId, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash, outcome.State.OpenBallot!.Rule.ToString())));
    }
}

/// <summary>When a ballot's deadline comes: close it by its recorded rule, unless it was closed or cancelled before.</summary>
public static class BallotDeadlineHandler
{
    public static OutgoingMessages Handle(BallotDeadline message, [ResolutionStream] IEventStream<Resolution> stream, [All] IReadOnlyList<Body> bodies,
        IDocumentSession session, TimeProvider clock)
    {
        var deadline = WrittenProcedures.WrittenProcedureDeadlineHandler.Deadline;
        return ResolutionCommand.Apply(stream, bodies, session, deadline,
            (state, _) => BallotDecisions.CloseAtDeadline(state, message.BallotId, deadline, clock.GetUtcNow(), message.Due));
    }
}
