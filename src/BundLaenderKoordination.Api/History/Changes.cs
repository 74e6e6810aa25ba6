using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.History;

/// <summary>A point in a resolution's history: a stream version and when it was written (null: before the proposal).</summary>
public sealed record Moment(long Version, DateTimeOffset? At);

/// <summary>A Land's vote before and after (null: no vote at that moment).</summary>
public sealed record VoteChange(string Land, string LandName, LandVoteView? Before, LandVoteView? After);

public sealed record StatusChange(ResolutionStatus? Before, ResolutionStatus After);

/// <summary>
/// What changed between two moments: the text (word-level, per paragraph), the title, the status, each Land's vote,
/// new comments, comment threads that changed (replies, resolved, reopened, outdated), amendments and brackets that
/// changed, and every step in between.
/// </summary>
public sealed record ResolutionChanges(
    Guid ResolutionId,
    Moment From,
    Moment To,
    int? TextVersionBefore,
    int TextVersionAfter,
    string? TitleBefore,
    string TitleAfter,
    IReadOnlyList<ParagraphDiff> Text,
    StatusChange? Status,
    IReadOnlyList<VoteChange> Votes,
    IReadOnlyList<CommentView> NewComments,
    IReadOnlyList<AmendmentView> ChangedAmendments,
    IReadOnlyList<BracketView> ChangedBrackets,
    IReadOnlyList<TimelineEntry> Steps,
    IReadOnlyList<CommentView> ChangedComments);

public static class ChangesEndpoint
{
    /// <summary>
    /// What changed between moment <c>from</c> and moment <c>to</c>, each a stream version (<c>3</c>) or an ISO 8601
    /// instant (<c>2026-11-28T10:00:00Z</c>). <c>from</c> defaults to before the proposal, <c>to</c> to now.
    /// </summary>
    [WolverineGet("/api/resolutions/{id}/changes", OperationId = "getChangesBetweenMoments"), Tags("History")]
    [ProducesResponseType<ResolutionChanges>(200)]
    public static async Task<IResult> Get(Guid id, string? from, string? to, HttpRequest request, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var current = await Confidentiality.FindAsync(session, id, Caller.From(user), ct);
        if (current is null) return Confidentiality.NotFound(id).ToResult();

        var (fromVersion, fromProblem) = await Resolve(session, id, from, 0, current.Version, "from", ct);
        if (fromProblem is not null) return fromProblem.ToResult();
        var (toVersion, toProblem) = await Resolve(session, id, to, current.Version, current.Version, "to", ct);
        if (toProblem is not null) return toProblem.ToResult();
        if (toVersion < 1) return Problems.Missing($"Resolution {id} did not exist yet at {to}.").ToResult();
        if (fromVersion > toVersion) return Problems.Invalid($"from (version {fromVersion}) lies after to (version {toVersion}).").ToResult();

        var before = (await ResolutionHistory.FoldAsync(session, id, fromVersion, ct)).View;
        var after = (await ResolutionHistory.FoldAsync(session, id, toVersion, ct)).View!;
        var steps = fromVersion == toVersion
            ? []
            : await session.Events.FetchStreamAsync(id, version: toVersion, fromVersion: fromVersion + 1, token: ct);
        var language = EventDescriptions.FromRequest(request);
        return Results.Ok(Compare(id, before, after, steps.Select(e => Timeline.Entry(e, language)).ToList()));
    }

    public static ResolutionChanges Compare(Guid id, ResolutionView? before, ResolutionView after, IReadOnlyList<TimelineEntry> steps)
    {
        var lands = (before?.Votes ?? []).Select(v => v.Land).Union(after.Votes.Select(v => v.Land)).Order(StringComparer.Ordinal);
        var votes = lands
            .Select(land => (land, old: before?.Votes.FirstOrDefault(v => v.Land == land), @new: after.Votes.FirstOrDefault(v => v.Land == land)))
            .Where(x => x.old?.CastAt != x.@new?.CastAt || x.old?.OnCurrentText != x.@new?.OnCurrentText)
            .Select(x => new VoteChange(x.land, (x.@new ?? x.old)!.LandName, x.old, x.@new))
            .ToList();
        var oldComments = (before?.Comments ?? []).ToDictionary(c => c.Id);
        var oldAmendments = (before?.Amendments ?? []).ToDictionary(a => a.Id);
        var oldBrackets = (before?.Brackets ?? []).ToDictionary(b => b.Id);
        return new ResolutionChanges(
            id,
            new Moment(before?.Version ?? 0, before?.LastChangedAt),
            new Moment(after.Version, after.LastChangedAt),
            before?.TextVersion,
            after.TextVersion,
            before?.Title,
            after.Title,
            TextDiff.Between(before?.Paragraphs ?? [], after.Paragraphs),
            before?.Status == after.Status ? null : new StatusChange(before?.Status, after.Status),
            votes,
            after.Comments.Where(c => !oldComments.ContainsKey(c.Id)).ToList(),
            after.Amendments.Where(a => !oldAmendments.TryGetValue(a.Id, out var old) || !Same(old, a)).ToList(),
            after.Brackets.Where(b => !oldBrackets.TryGetValue(b.Id, out var old) || !Same(old, b)).ToList(),
            steps,
            after.Comments.Where(c => oldComments.TryGetValue(c.Id, out var old) && !Same(old, c)).ToList());
    }

    private static bool Same<T>(T a, T b) =>
        System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);

    private static async Task<(long Version, ProblemDetails? Problem)> Resolve(
        IQuerySession session, Guid id, string? moment, long fallback, long current, string name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(moment)) return (fallback, null);
        if (long.TryParse(moment, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return version <= current
                ? (version, null)
                : (0, Problems.Missing($"Resolution {id} has versions 1 to {current}; there is no version {version}."));
        if (DateTimeOffset.TryParse(moment, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return (await ResolutionHistory.VersionAtAsync(session, id, instant.ToUniversalTime(), ct), null);
        return (0, Problems.Invalid($"{name}: '{moment}' is neither a version number nor an ISO 8601 instant such as 2026-11-28T10:00:00Z."));
    }
}
