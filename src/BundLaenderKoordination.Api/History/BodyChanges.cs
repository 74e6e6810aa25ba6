using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Bodies.GettingBody;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Sessions;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.History;

/// <summary>A point in a body's history: the version of its own stream then and the instant (null: before it existed).</summary>
public sealed record BodyMoment(long Version, DateTimeOffset? At);

/// <summary>A member whose vote changed, or who joined (<see cref="Before"/> null) or left (<see cref="After"/> null).</summary>
public sealed record MemberChange(string Land, string Name, bool? Before, bool? After);

public sealed record RuleChange(string MatterType, VotingRule? Before, VotingRule? After);

public sealed record ChairChange(ChairRead? Before, ChairRead? After);

/// <summary>A session of the body as it stood at both moments (<see cref="Before"/> null: scheduled in between).</summary>
public sealed record SessionChange(Guid Id, SessionSummary? Before, SessionSummary After);

/// <summary>
/// What changed in a body between two moments: members, voting rules, the chair in office, sessions scheduled, held
/// (closed) and otherwise changed (agenda, attendance, opening), and every step of the body's timeline in between.
/// </summary>
public sealed record BodyChanges(
    string Code,
    BodyMoment From,
    BodyMoment To,
    IReadOnlyList<MemberChange> Members,
    IReadOnlyList<RuleChange> Rules,
    ChairChange? Chair,
    IReadOnlyList<SessionSummary> SessionsScheduled,
    IReadOnlyList<SessionSummary> SessionsHeld,
    IReadOnlyList<SessionChange> SessionsChanged,
    IReadOnlyList<TimelineEntry> Steps);

public static class BodyChangesEndpoint
{
    /// <summary>
    /// What changed in a body between <c>from</c> and <c>to</c>, each an ISO 8601 instant or a version of the body's own
    /// stream; <c>from</c> defaults to before the body existed, <c>to</c> to now.
    /// </summary>
    [WolverineGet("/api/bodies/{bodyId}/changes", OperationId = "getBodyChangesBetweenMoments"), Tags("History")]
    [ProducesResponseType<BodyChanges>(200)]
    public static async Task<IResult> Get(string bodyId, string? from, string? to, HttpRequest request, ClaimsPrincipal user,
        IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadBodyAsync(bodyId, ct) is not { } current) return Problems.Missing($"There is no body '{bodyId}'.").ToResult();
        var (fromInstant, fromProblem) = await Resolve(session, current, from, "from", ct);
        if (fromProblem is not null) return fromProblem.ToResult();
        var (toInstant, toProblem) = await Resolve(session, current, to, "to", ct);
        if (toProblem is not null) return toProblem.ToResult();
        var end = toInstant ?? clock.GetUtcNow();
        if (fromInstant > end) return Problems.Invalid($"from ({fromInstant:O}) lies after to ({end:O}).").ToResult();

        var before = fromInstant is { } start ? await BodyAsOf.AtAsync(session, current, start, ct) : null;
        var after = await BodyAsOf.AtAsync(session, current, end, ct);
        if (after is null) return Problems.Missing($"Body {current.Id} did not exist yet at {end:O}.").ToResult();

        var visible = await TimelineVisibility.ForAsync(session, Caller.From(user), current.Id, ct);
        var language = EventDescriptions.FromRequest(request);
        var steps = (await BodyEvents.AfterAsync(session, current, 0, int.MaxValue, ct))
            .Where(e => (fromInstant is null || e.Timestamp > fromInstant) && e.Timestamp <= end)
            .Select(e => Timeline.Entry(e, language))
            .Where(visible)
            .ToList();
        return Results.Ok(Compare(before, after, fromInstant, end, steps));
    }

    public static BodyChanges Compare(BodyRead? before, BodyRead after, DateTimeOffset? from, DateTimeOffset to, IReadOnlyList<TimelineEntry> steps)
    {
        var oldMembers = (before?.Members ?? []).ToDictionary(m => m.Land);
        var newMembers = after.Members.ToDictionary(m => m.Land);
        var members = oldMembers.Keys.Union(newMembers.Keys).Order(StringComparer.Ordinal)
            .Select(land => (land, old: oldMembers.GetValueOrDefault(land), @new: newMembers.GetValueOrDefault(land)))
            .Where(x => x.old?.Voting != x.@new?.Voting)
            .Select(x => new MemberChange(x.land, (x.@new ?? x.old)!.Name, x.old?.Voting, x.@new?.Voting))
            .ToList();
        var oldRules = before?.Rules ?? new Dictionary<string, VotingRule>();
        var rules = oldRules.Keys.Union(after.Rules.Keys).Order(StringComparer.Ordinal)
            .Select(type => new RuleChange(type, oldRules.GetValueOrDefault(type), after.Rules.GetValueOrDefault(type)))
            .Where(r => r.Before != r.After)
            .ToList();
        var oldSessions = (before?.Sessions ?? []).ToDictionary(s => s.Id);
        var changed = after.Sessions.Where(s => !oldSessions.TryGetValue(s.Id, out var old) || old.Version != s.Version).ToList();
        return new BodyChanges(
            after.Code,
            new BodyMoment(before?.Version ?? 0, from),
            new BodyMoment(after.Version, to),
            members,
            rules,
            before?.Chair?.Land == after.Chair?.Land ? null : new ChairChange(before?.Chair, after.Chair),
            changed.Where(s => !oldSessions.ContainsKey(s.Id)).ToList(),
            changed.Where(s => s.Status == SessionStatus.Closed).ToList(),
            changed.Select(s => new SessionChange(s.Id, oldSessions.GetValueOrDefault(s.Id), s)).ToList(),
            steps);
    }

    /// <summary>A moment as an instant: an ISO 8601 instant as given, or the instant a version of the body's own stream was written.</summary>
    private static async Task<(DateTimeOffset? Instant, ProblemDetails? Problem)> Resolve(
        IQuerySession session, Body current, string? moment, string name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(moment)) return (null, null);
        if (long.TryParse(moment, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            if (version < 1 || version > current.Version)
                return (null, Problems.Missing($"Body {current.Id} has versions 1 to {current.Version}; there is no version {version}."));
            var events = await session.Events.FetchStreamAsync(current.StreamId, version, fromVersion: version, token: ct);
            return (events[^1].Timestamp, null);
        }
        if (DateTimeOffset.TryParse(moment, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return (instant.ToUniversalTime(), null);
        return (null, Problems.Invalid($"{name}: '{moment}' is neither a version of the body nor an ISO 8601 instant such as 2026-11-28T10:00:00Z."));
    }
}
