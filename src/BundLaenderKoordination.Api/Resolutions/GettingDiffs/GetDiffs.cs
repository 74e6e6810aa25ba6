using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
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

public static class GetDiffsEndpoint
{
    /// <summary>Word-level diff between two text versions (default: the previous and the current one), per paragraph.</summary>
    [WolverineGet("/api/resolutions/{id}/diff", OperationId = "getTextDiff"), Tags("Diffs")]
    [ProducesResponseType<TextVersionDiff>(200)]
    public static async Task<IResult> GetDiff(Guid id, int? from, int? to, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (state, problem) = await Load(session, id, Caller.From(user), ct);
        if (problem is not null) return problem.ToResult();
        var (older, newer, rangeProblem) = Range(state!, from, to);
        return rangeProblem?.ToResult()
               ?? Results.Ok(new TextVersionDiff(id, older, newer, TextDiff.Between(state!.TextAt(older), state.TextAt(newer))));
    }

    /// <summary>The Synopse of two text versions: old and new wording side by side, every paragraph once.</summary>
    [WolverineGet("/api/resolutions/{id}/synopsis", OperationId = "getSynopsis"), Tags("Diffs")]
    [ProducesResponseType<TextVersionSynopsis>(200)]
    public static async Task<IResult> GetSynopsis(Guid id, int? from, int? to, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (state, problem) = await Load(session, id, Caller.From(user), ct);
        if (problem is not null) return problem.ToResult();
        var (older, newer, rangeProblem) = Range(state!, from, to);
        return rangeProblem?.ToResult()
               ?? Results.Ok(new TextVersionSynopsis(id, older, newer, TextDiff.Synopsis(TextDiff.Between(state!.TextAt(older), state.TextAt(newer)))));
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

        var changes = AmendmentDecisions.ToTextChanges(amendment.Changes);
        var proposed = TextMerge.Overlay(state.Paragraphs, changes, state.NextParagraphNumber);
        var diff = TextDiff.Between(state.Paragraphs, proposed);
        var conflicting = amendment.Status == AmendmentStatus.Open && TextMerge.Conflicts(state.Paragraphs, changes).Count > 0;
        return Results.Ok(new AmendmentDiff(id, amendmentId, amendment.Number, amendment.Status, state.TextVersion, conflicting, diff, TextDiff.Synopsis(diff)));
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
