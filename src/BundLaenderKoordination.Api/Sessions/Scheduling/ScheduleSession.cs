using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

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
    public static ProblemDetails Validate(ScheduleSession command)
    {
        if (command.ParsedKind is null) return Problems.Invalid("kind is \"regular\" or \"special\".");
        if (command.ParsedFormat is null) return Problems.Invalid("format is \"virtual\" or \"inPerson\".");
        if (command.ParsedFormat == SessionFormat.InPerson && TextRules.CheckShort(command.Place, "the place of a session in person", 200) is { } place)
            return place;
        if (command.ParsedStart is null) return Problems.Invalid("startsAt is an ISO 8601 instant such as 2026-12-10T10:00:00+01:00.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>The chair in office schedules a session of the body; a special session names the convened request.</summary>
    [WolverinePost("/api/bodies/{code}/sessions", OperationId = "scheduleSession"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(201)]
    public static Task<IResult> Post(string code, ScheduleSession command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var id = Guid.CreateVersion7();
        return SessionCommands.Start<SessionView>(store, id, code, caller,
            async (body, session) =>
            {
                var request = command.SpecialRequestId is { } requestId ? await session.LoadAsync<SpecialSessionRequestView>(requestId, ct) : null;
                return SessionDecisions.Schedule(id, body, command.ParsedKind!.Value, command.ParsedFormat!.Value,
                    command.ParsedFormat == SessionFormat.InPerson ? command.Place!.Trim() : null, command.ParsedStart!.Value, request, caller, clock.GetUtcNow());
            },
            view => Results.Created($"/api/sessions/{id}", view), SessionView.Next, ct);
    }
}
