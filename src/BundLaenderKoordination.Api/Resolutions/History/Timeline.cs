using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.History;

/// <summary>
/// One step of a negotiation as an observer reads it: what happened (<see cref="Kind"/> is the stored event name,
/// <see cref="Label"/> and <see cref="Text"/> are in the requested language), who, for which Land, when, and where to
/// read the state right after it.
/// </summary>
public sealed record TimelineEntry(
    Guid ResolutionId,
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

public static class Timeline
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static TimelineEntry Entry(IEvent e, Language language)
    {
        var described = EventDescriptions.Describe(e, language);
        return new TimelineEntry(e.StreamId, e.Version, e.Sequence, e.EventTypeName, described.Label, described.Text,
            described.Actor is null ? null : PersonView.Of(described.Actor),
            described.Actor?.ActingFor is { } land ? Lands.NameOf(land) : null,
            described.At, e.Timestamp, $"/api/resolutions/{e.StreamId}?version={e.Version}");
    }

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

    public static TimelinePage Page(IEnumerable<IEvent> events, Language language, TimelineFilter filter, int page, int pageSize)
    {
        var matching = events.Select(e => Entry(e, language)).Where(filter.Matches).ToList();
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
    /// Every step of every resolution of a body the caller may read, in the order they happened; same filters as a
    /// resolution's timeline.
    /// </summary>
    [WolverineGet("/api/bodies/{bodyId}/timeline", OperationId = "getBodyTimeline"), Tags("History")]
    [ProducesResponseType<TimelinePage>(200)]
    public static async Task<IResult> Get(string bodyId, string? land, string? person, string? kind, string? from, string? to, int? page, int? pageSize,
        HttpRequest request, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (Timeline.ParseFilter(land, person, kind, from, to, page, pageSize, out var filter, out var pageNumber, out var size) is { } problem)
            return problem.ToResult();
        if (await session.LoadBodyAsync(bodyId, ct) is null) return Problems.Missing($"There is no body '{bodyId}'.").ToResult();
        var events = await BodyEvents.AfterAsync(session, bodyId, Caller.From(user), 0, int.MaxValue, ct);
        return Results.Ok(Timeline.Page(events, EventDescriptions.FromRequest(request), filter, pageNumber, size));
    }
}

/// <summary>The events of all resolutions of one body that the caller may read, in global order.</summary>
public static class BodyEvents
{
    public static async Task<IReadOnlyList<IEvent>> AfterAsync(IQuerySession session, string bodyId, Caller caller, long afterSequence, int limit, CancellationToken ct)
    {
        var resolutions = await session.Query<ResolutionView>().Where(r => r.Body == bodyId).Select(r => r.Id).ToListAsync(ct);
        var hidden = await Confidentiality.HiddenAsync(session, caller, bodyId, ct);
        var ids = resolutions.Where(id => !hidden.Contains(id)).ToArray();
        if (ids.Length == 0) return [];
        return await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > afterSequence && ids.Contains(e.StreamId))
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);
    }
}
