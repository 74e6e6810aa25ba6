using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.GettingDiffs;

public sealed record TextVersionDiff(Guid ResolutionId, int From, int To, IReadOnlyList<ParagraphDiff> Paragraphs);

public sealed record TextVersionSynopsis(Guid ResolutionId, int From, int To, IReadOnlyList<SynopsisRow> Rows);

/// <summary>
/// An amendment against the current text. Inserted paragraphs carry the ids they would get if it were accepted now.
/// When conflicting, the touched paragraphs show the proposed wording in place of the current one.
/// </summary>
public sealed record AmendmentDiff(Guid ResolutionId, Guid AmendmentId, int Number, AmendmentStatus Status, int CurrentTextVersion, bool Conflicting,
    IReadOnlyList<ParagraphDiff> Paragraphs, IReadOnlyList<SynopsisRow> Synopsis);

/// <summary>Every open amendment against the current text, from one reading of the resolution.</summary>
public sealed record OpenAmendmentDiffs(Guid ResolutionId, int CurrentTextVersion, IReadOnlyList<AmendmentDiff> Amendments);

/// <summary>
/// Diffs between text versions, kept in memory per (resolution, from, to): text versions never change, so a diff once
/// made is right forever. The cache is bounded by the characters it holds (<see cref="SizeLimit"/>); what falls out is
/// made again when asked for.
/// </summary>
public sealed class DiffCache
{
    public const long SizeLimit = 32 * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    public IReadOnlyList<ParagraphDiff>? Find(Guid id, int from, int to) =>
        _cache.TryGetValue((id, from, to), out IReadOnlyList<ParagraphDiff>? diff) ? diff : null;

    public IReadOnlyList<ParagraphDiff> Keep(Guid id, int from, int to, IReadOnlyList<ParagraphDiff> diff)
    {
        var size = 64 + diff.Sum(p => 64 + p.ParagraphId.Length + p.Runs.Sum(r => 32 + r.Text.Length));
        using var entry = _cache.CreateEntry((id, from, to));
        entry.Value = diff;
        entry.Size = size;
        return diff;
    }
}

public static class GetDiffsEndpoint
{
    /// <summary>Word-level diff between two text versions (default: the previous and the current one), per paragraph.</summary>
    [WolverineGet("/api/resolutions/{id}/diff", OperationId = "getTextDiff"), Tags("Diffs")]
    [ProducesResponseType<TextVersionDiff>(200)]
    public static async Task<IResult> GetDiff(Guid id, int? from, int? to, ClaimsPrincipal user, IQuerySession session, DiffCache cache, CancellationToken ct)
    {
        var (older, newer, diff, problem) = await Diff(session, cache, id, from, to, Caller.From(user), ct);
        return problem?.ToResult() ?? Results.Ok(new TextVersionDiff(id, older, newer, diff!));
    }

    /// <summary>The Synopse of two text versions: old and new wording side by side, every paragraph once.</summary>
    [WolverineGet("/api/resolutions/{id}/synopsis", OperationId = "getSynopsis"), Tags("Diffs")]
    [ProducesResponseType<TextVersionSynopsis>(200)]
    public static async Task<IResult> GetSynopsis(Guid id, int? from, int? to, ClaimsPrincipal user, IQuerySession session, DiffCache cache, CancellationToken ct)
    {
        var (older, newer, diff, problem) = await Diff(session, cache, id, from, to, Caller.From(user), ct);
        return problem?.ToResult() ?? Results.Ok(new TextVersionSynopsis(id, older, newer, TextDiff.Synopsis(diff!)));
    }

    /// <summary>
    /// The diff of two versions: from the cache when both are named and it was made before (after the same visibility
    /// check as always), else from the stream, bounded per paragraph and stopped when the caller has gone.
    /// </summary>
    private static async Task<(int From, int To, IReadOnlyList<ParagraphDiff>? Diff, ProblemDetails? Problem)> Diff(IQuerySession session,
        DiffCache cache, Guid id, int? from, int? to, Caller caller, CancellationToken ct)
    {
        if (from is { } f && to is { } t)
        {
            if (await Confidentiality.FindAsync(session, id, caller, ct) is null) return (0, 0, null, Confidentiality.NotFound(id));
            if (cache.Find(id, f, t) is { } known) return (f, t, known, null);
        }
        var (state, problem) = await Load(session, id, caller, ct);
        if (problem is not null) return (0, 0, null, problem);
        var (older, newer, rangeProblem) = Range(state!, from, to);
        if (rangeProblem is not null) return (0, 0, null, rangeProblem);
        var diff = cache.Find(id, older, newer) ?? cache.Keep(id, older, newer, TextDiff.Between(state!.TextAt(older), state.TextAt(newer), ct));
        return (older, newer, diff, null);
    }

    /// <summary>What an amendment would change in the current text, as a diff and as a Synopse.</summary>
    [WolverineGet("/api/resolutions/{id}/amendments/{amendmentId}/diff", OperationId = "getAmendmentDiff"), Tags("Diffs")]
    [ProducesResponseType<AmendmentDiff>(200)]
    public static async Task<IResult> GetAmendmentDiff(Guid id, Guid amendmentId, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (state, problem) = await Load(session, id, Caller.From(user), ct);
        if (problem is not null) return problem.ToResult();
        if (!state!.Amendments.TryGetValue(amendmentId, out var amendment))
            return Problems.Missing($"Resolution {id} has no amendment {amendmentId}.").ToResult();
        return Results.Ok(DiffOf(state, amendment, new TextDiff.Budget(TextDiff.DiffBudget), ct));
    }

    /// <summary>
    /// What the open amendments would change in the current text, in the order of their numbers: the resolution page's
    /// one read. <paramref name="skip"/> and <paramref name="take"/> select a window of them (the page shows a page of
    /// amendments at a time); without them, all. All of them share one cost budget, so the answer stays bounded however
    /// many are open.
    /// </summary>
    [WolverineGet("/api/resolutions/{id}/amendments/diffs", OperationId = "getOpenAmendmentDiffs"), Tags("Diffs")]
    [ProducesResponseType<OpenAmendmentDiffs>(200)]
    public static async Task<IResult> GetOpenAmendmentDiffs(Guid id, int? skip, int? take, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (skip < 0 || take < 0)
            return Problems.Invalid($"skip and take count open amendments and cannot be negative (skip={skip}, take={take}).").ToResult();
        var (state, problem) = await Load(session, id, Caller.From(user), ct);
        if (problem is not null) return problem.ToResult();
        var budget = new TextDiff.Budget(2 * TextDiff.DiffBudget);
        var diffs = state!.Amendments.Values.Where(a => a.Status == AmendmentStatus.Open).OrderBy(a => a.Number)
            .Skip(skip ?? 0).Take(take ?? int.MaxValue)
            .Select(a => DiffOf(state, a, budget, ct)).ToList();
        return Results.Ok(new OpenAmendmentDiffs(id, state.TextVersion, diffs));
    }

    private static AmendmentDiff DiffOf(Resolution state, AmendmentState amendment, TextDiff.Budget budget, CancellationToken ct)
    {
        var changes = AmendmentDecisions.ToTextChanges(amendment.Changes);
        var proposed = TextMerge.Overlay(state.Paragraphs, changes, state.NextParagraphNumber);
        var diff = TextDiff.Between(state.Paragraphs, proposed, budget, ct);
        var conflicting = amendment.Status == AmendmentStatus.Open && TextMerge.Conflicts(state.Paragraphs, changes).Count > 0;
        return new AmendmentDiff(state.Id, amendment.Id, amendment.Number, amendment.Status, state.TextVersion, conflicting, diff, TextDiff.Synopsis(diff));
    }

    private static async Task<(Resolution? State, ProblemDetails? Problem)> Load(IQuerySession session, Guid id, Caller caller, CancellationToken ct)
    {
        if (await Confidentiality.FindAsync(session, id, caller, ct) is null) return (null, Confidentiality.NotFound(id));
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        var state = Resolution.Fold(events.Select(e => e.Data));
        return state is null ? (null, Problems.Missing($"There is no resolution {id}.")) : (state, null);
    }

    private static (int From, int To, ProblemDetails? Problem) Range(Resolution state, int? from, int? to)
    {
        var newer = to ?? state.TextVersion;
        var older = from ?? Math.Max(1, newer - 1);
        foreach (var version in new[] { older, newer })
            if (version < 1 || version > state.TextVersion)
                return (0, 0, Problems.Missing($"Resolution {state.Id} has text versions 1 to {state.TextVersion}; there is no text version {version}."));
        return (older, newer, null);
    }
}
