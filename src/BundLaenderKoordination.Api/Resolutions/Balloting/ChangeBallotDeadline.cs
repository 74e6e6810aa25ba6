using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;
using Wolverine.Persistence;

namespace BundLaenderKoordination.Api.Resolutions.Balloting;

/// <summary><c>deadline</c> (ISO 8601 instant): when the open ballot now closes by itself.</summary>
public sealed record ChangeBallotDeadline(string? Deadline)
{
    public DateTimeOffset? ParsedDeadline =>
        DateTimeOffset.TryParse(Deadline, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : null;
}

public sealed record BallotDeadlineWritten(Guid ResolutionId, Guid BallotId, long Version, DateTimeOffset? OldDeadline, DateTimeOffset Deadline);

public static class ChangeBallotDeadlineEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ChangeBallotDeadline command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ChangeBallotDeadline command) =>
        command.ParsedDeadline is null
            ? Problems.Invalid($"'{command.Deadline}' is not an ISO 8601 instant such as 2026-12-10T12:00:00+01:00.")
            : WolverineContinue.NoProblems;

    /// <summary>
    /// The chair in office moves the deadline of the open ballot, earlier or later; the ballot then closes by itself at
    /// the new deadline (a durable scheduled message committed with the event), and the reminder of the old one is void.
    /// </summary>
    [MandatesReadWithCommand]
    [WolverinePut("/api/resolutions/{id}/ballots/current/deadline", OperationId = "changeBallotDeadline"), Tags("Ballots")]
    [ProducesResponseType<BallotDeadlineWritten>(200)]
    public static (IResult, OutgoingMessages) Put(Guid id, ChangeBallotDeadline command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        return ResolutionCommand.Decide(stream, bodies, session, null, Caller.From(user),
            (state, body, caller) => BallotDecisions.ChangeDeadline(state, body, command.ParsedDeadline!.Value, caller, clock.GetUtcNow()),
            outcome =>
            {
                var changed = outcome.Events.OfType<BallotDeadlineChanged>().Single();
                return Results.Ok(new BallotDeadlineWritten(id, changed.BallotId, outcome.Version, changed.OldDeadline, changed.NewDeadline));
            });
    }
}
