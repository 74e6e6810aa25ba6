using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Attributes;
using Wolverine.Http;
using Wolverine.Persistence;

namespace BundLaenderKoordination.Api.Sessions.Scheduling;

/// <summary><c>kind</c>: regular | special; <c>format</c>: virtual | inPerson (with <c>place</c>); <c>startsAt</c> ISO 8601.</summary>
public sealed record ScheduleSession(string? Kind, string? Format, string? Place, string? StartsAt, Guid? SpecialRequestId)
{
    public SessionKind? ParsedKind => Kind switch { "regular" => SessionKind.Regular, "special" => SessionKind.Special, _ => null };
    public SessionFormat? ParsedFormat => Format switch { "virtual" => SessionFormat.Virtual, "inPerson" => SessionFormat.InPerson, _ => null };

    public DateTimeOffset? ParsedStart =>
        DateTimeOffset.TryParse(StartsAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
}

public static class ScheduleSessionEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ScheduleSession command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ScheduleSession command)
    {
        if (command.ParsedKind is null) return Problems.Invalid("kind is \"regular\" or \"special\".");
        if (command.ParsedFormat is null) return Problems.Invalid("format is \"virtual\" or \"inPerson\".");
        if (command.ParsedFormat == SessionFormat.InPerson && TextRules.CheckShort(command.Place, "the place of a session in person", 200) is { } place)
            return place;
        if (command.ParsedStart is null) return Problems.Invalid("startsAt is an ISO 8601 instant such as 2026-12-10T10:00:00+01:00.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>The body the route names by its code (in any case, as its stream id does).</summary>
    public static Guid BodyStream(string code) => Body.StreamIdFor(code);

    /// <summary>The special-session request a special session names; none (the empty id loads nothing) for a regular one.</summary>
    public static Guid RequestStream(ScheduleSession command) => command.SpecialRequestId ?? Guid.Empty;

    /// <summary>
    /// The chair in office schedules a session of the body; a special session names the convened request. Body and request
    /// are loaded by Wolverine in one round trip; the new session's stream commits with Wolverine's transaction.
    /// </summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/bodies/{code}/sessions", OperationId = "scheduleSession"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(201), Transactional]
    public static IResult Post(string code, ScheduleSession command,
        [Entity(Required = false, FromMethod = nameof(BodyStream))] Body? body,
        [Entity(Required = false, FromMethod = nameof(RequestStream))] SpecialSessionRequestView? request,
        [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var id = Guid.CreateVersion7();
        return SessionCommand.Start<SessionView>(id, code, body, session, Caller.From(user),
            (b, acting) => SessionDecisions.Schedule(id, b, command.ParsedKind!.Value, command.ParsedFormat!.Value,
                command.ParsedFormat == SessionFormat.InPerson ? command.Place!.Trim() : null, command.ParsedStart!.Value,
                command.SpecialRequestId is null ? null : request, acting, clock.GetUtcNow()),
            view => Results.Created($"/api/sessions/{id}", view), SessionView.Next);
    }
}
