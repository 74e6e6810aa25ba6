using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Sessions;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.History;

/// <summary>The kind of stream a timeline entry comes from.</summary>
public enum TimelineStream
{
    Resolution,
    Body,
    Session,
    SpecialSessionRequest,
}

/// <summary>
/// One step of a negotiation as an observer reads it: what happened (<see cref="Kind"/> is the stored event name,
/// <see cref="Label"/> and <see cref="Text"/> are in the requested language), who, for which Land, when, and where to
/// read the state right after it (<see cref="State"/>: the resolution, body, session or special-session request at
/// that version). <see cref="ResolutionId"/> is the resolution the entry is about, if any: its own stream, or the
/// resolution an agenda item puts before a session.
/// </summary>
public sealed record TimelineEntry(
    TimelineStream Stream,
    Guid StreamId,
    Guid? ResolutionId,
    long Version,
    long Sequence,
    string Kind,
    string Label,
    string Text,
    PersonView? By,
    string? ActingForName,
    DateTimeOffset At,
    DateTimeOffset RecordedAt,
    string State);

public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, int Page, int PageSize, int Total);

/// <summary>Filters of a timeline read; every one optional.</summary>
public sealed record TimelineFilter(string? Land, string? Person, IReadOnlySet<string>? Kinds, DateTimeOffset? From, DateTimeOffset? To)
{
    public bool Matches(TimelineEntry entry) =>
        (Land is null || entry.By?.ActingFor == Land)
        && (Person is null || entry.By?.PersonId == Person)
        && (Kinds is null || Kinds.Contains(entry.Kind))
        && (From is null || entry.RecordedAt >= From)
        && (To is null || entry.RecordedAt <= To);
}

/// <summary>
/// Which entries of a body's timeline a caller may read. The body timeline and the body's live stream both ask here,
/// entry by entry, so that a rule about who reads which resolution applies to both in one place: entries about a
/// restricted resolution are for the members of its group only (<see cref="Confidentiality"/>).
/// </summary>
public static class TimelineVisibility
{
    /// <summary>Whether an entry about <paramref name="resolutionId"/> (null: about no resolution) is readable, given the resolutions hidden from the caller.</summary>
    public static bool MaySee(IReadOnlySet<Guid> hidden, Guid? resolutionId) => resolutionId is not { } id || !hidden.Contains(id);

    /// <summary>The rule for one caller in one body, with the restricted resolutions of the body as they stand now.</summary>
    public static async Task<Func<TimelineEntry, bool>> ForAsync(IQuerySession session, Caller caller, string bodyId, CancellationToken ct)
    {
        var hidden = await Confidentiality.HiddenAsync(session, caller, bodyId, ct);
        return entry => MaySee(hidden, entry.ResolutionId);
    }
}

public static class Timeline
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static TimelineEntry Entry(IEvent e, Language language)
    {
        var described = EventDescriptions.Describe(e, language);
        var (stream, resolutionId, state) = Locate(e);
        return new TimelineEntry(stream, e.StreamId, resolutionId, e.Version, e.Sequence, e.EventTypeName, described.Label, described.Text,
            described.Actor is null ? null : PersonView.Of(described.Actor),
            described.Actor?.ActingFor is { } land ? Lands.NameOf(land) : null,
            described.At, e.Timestamp, state);
    }

    /// <summary>The stream an event belongs to, the resolution it is about, and the read of the state right after it.</summary>
    private static (TimelineStream Stream, Guid? ResolutionId, string State) Locate(IEvent e) => e.Data switch
    {
        BodyCreated b => (TimelineStream.Body, null, $"/api/bodies/{Uri.EscapeDataString(b.Code)}?version={e.Version}"),
        BodyConfigured b => (TimelineStream.Body, null, $"/api/bodies/{Uri.EscapeDataString(b.Code)}?version={e.Version}"),
        AgendaItemAdded a => (TimelineStream.Session, a.ResolutionId, $"/api/sessions/{e.StreamId}?version={e.Version}"),
        SessionScheduled or SessionOpened or AttendanceRecorded or SessionClosed =>
            (TimelineStream.Session, null, $"/api/sessions/{e.StreamId}?version={e.Version}"),
        SpecialSessionRequested or SpecialSessionSupported or SpecialSessionConvened =>
            (TimelineStream.SpecialSessionRequest, null, $"/api/special-session-requests/{e.StreamId}?version={e.Version}"),
        _ => (TimelineStream.Resolution, e.StreamId, $"/api/resolutions/{e.StreamId}?version={e.Version}"),
    };

    /// <summary>Reads the query parameters of a timeline request; a problem when one of them cannot be used.</summary>
    public static ProblemDetails? ParseFilter(string? land, string? person, string? kind, string? from, string? to, int? page, int? pageSize,
        out TimelineFilter filter, out int pageNumber, out int size)
    {
        filter = new TimelineFilter(null, null, null, null, null);
        pageNumber = page ?? 1;
        size = pageSize ?? DefaultPageSize;
        if (pageNumber < 1) return Problems.Invalid("page counts from 1.");
        if (size is < 1 or > MaxPageSize) return Problems.Invalid($"pageSize must be between 1 and {MaxPageSize}.");
        string? normalizedLand = null;
        if (land is not null && (normalizedLand = Lands.Normalize(land)) is null)
            return Problems.Invalid($"'{land}' is not a Land: use an ISO 3166-2:DE code such as \"BY\" or \"DE-BY\", or \"BUND\".");
        DateTimeOffset? fromInstant = null, toInstant = null;
        if (from is not null)
        {
            if (!TryInstant(from, out var f)) return Problems.Invalid($"from: '{from}' is not an ISO 8601 instant such as 2026-11-28T10:00:00Z.");
            fromInstant = f;
        }
        if (to is not null)
        {
            if (!TryInstant(to, out var t)) return Problems.Invalid($"to: '{to}' is not an ISO 8601 instant such as 2026-11-28T10:00:00Z.");
            toInstant = t;
        }
        var kinds = string.IsNullOrWhiteSpace(kind)
            ? null
            : kind.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        filter = new TimelineFilter(normalizedLand, string.IsNullOrWhiteSpace(person) ? null : person.Trim(), kinds, fromInstant, toInstant);
        return null;
    }

    public static TimelinePage Page(IEnumerable<IEvent> events, Language language, TimelineFilter filter, int page, int pageSize,
        Func<TimelineEntry, bool>? visible = null)
    {
        var matching = events.Select(e => Entry(e, language)).Where(e => (visible is null || visible(e)) && filter.Matches(e)).ToList();
        return new TimelinePage(matching.Skip((page - 1) * pageSize).Take(pageSize).ToList(), page, pageSize, matching.Count);
    }

    private static bool TryInstant(string text, out DateTimeOffset instant)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
        instant = instant.ToUniversalTime();
        return ok;
    }
}

public static class ResolutionTimelineEndpoint
{
    /// <summary>
    /// Every step of a resolution's negotiation in order, in German (English with <c>Accept-Language: en</c>),
    /// filtered by Land, person (id), kind (stored event names, comma-separated) and period; paged.
    /// </summary>
    [WolverineGet("/api/resolutions/{id}/timeline", OperationId = "getResolutionTimeline"), Tags("History")]
    [ProducesResponseType<TimelinePage>(200)]
    public static async Task<IResult> Get(Guid id, string? land, string? person, string? kind, string? from, string? to, int? page, int? pageSize,
        HttpRequest request, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (Timeline.ParseFilter(land, person, kind, from, to, page, pageSize, out var filter, out var pageNumber, out var size) is { } problem)
            return problem.ToResult();
        if (await Confidentiality.FindAsync(session, id, Caller.From(user), ct) is null) return Confidentiality.NotFound(id).ToResult();
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        return Results.Ok(Timeline.Page(events, EventDescriptions.FromRequest(request), filter, pageNumber, size));
    }
}

public static class BodyTimelineEndpoint
{
    /// <summary>
    /// Every step in the life of a body, in the order they happened: its own configuration, its sessions (scheduling,
    /// agenda, opening, attendance, closing), requests for special sessions, and every step of its resolutions; same
    /// filters as a resolution's timeline.
    /// </summary>
    [WolverineGet("/api/bodies/{bodyId}/timeline", OperationId = "getBodyTimeline"), Tags("History")]
    [ProducesResponseType<TimelinePage>(200)]
    public static async Task<IResult> Get(string bodyId, string? land, string? person, string? kind, string? from, string? to, int? page, int? pageSize,
        HttpRequest request, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (Timeline.ParseFilter(land, person, kind, from, to, page, pageSize, out var filter, out var pageNumber, out var size) is { } problem)
            return problem.ToResult();
        if (await session.LoadBodyAsync(bodyId, ct) is not { } body) return Problems.Missing($"There is no body '{bodyId}'.").ToResult();
        var events = await BodyEvents.AfterAsync(session, body, 0, int.MaxValue, ct);
        return Results.Ok(Timeline.Page(events, EventDescriptions.FromRequest(request), filter, pageNumber, size, await TimelineVisibility.ForAsync(session, Caller.From(user), body.Id, ct)));
    }
}

/// <summary>
/// The events of a body in global order: those of its own stream, of its sessions, of requests for its special
/// sessions and of its resolutions.
/// </summary>
public static class BodyEvents
{
    /// <summary>The streams of a body as they stand now; a stream's write model or view is committed with its first event.</summary>
    public static async Task<Guid[]> StreamsAsync(IQuerySession session, Body body, CancellationToken ct)
    {
        var resolutions = await session.Query<Resolution>().Where(r => r.Body == body.Id).Select(r => r.Id).ToListAsync(ct);
        var sessions = await session.Query<SessionView>().Where(s => s.Body == body.Id).Select(s => s.Id).ToListAsync(ct);
        var requests = await session.Query<SpecialSessionRequestView>().Where(r => r.Body == body.Id).Select(r => r.Id).ToListAsync(ct);
        return [body.StreamId, .. resolutions, .. sessions, .. requests];
    }

    public static async Task<IReadOnlyList<IEvent>> AfterAsync(IQuerySession session, Body body, long afterSequence, int limit, CancellationToken ct)
    {
        var ids = await StreamsAsync(session, body, ct);
        return await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > afterSequence && ids.Contains(e.StreamId))
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);
    }
}
