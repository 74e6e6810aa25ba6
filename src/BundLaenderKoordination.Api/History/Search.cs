using System.Security.Claims;
using System.Text;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.History;

/// <summary>
/// The words of a resolution for search: those of its current text and title, and every word any earlier text
/// version had, so that a resolution is found by a wording it once had.
/// </summary>
public sealed record ResolutionSearchEntry(
    Guid Id,
    string Body,
    string Title,
    ResolutionStatus Status,
    long Version,
    int TextVersion,
    DateTimeOffset LastChangedAt,
    IReadOnlyList<string> CurrentTerms,
    IReadOnlyList<string> Terms);

public sealed class ResolutionSearchProjection : SingleStreamProjection<ResolutionSearchEntry, Guid>
{
    public override ResolutionSearchEntry? Evolve(ResolutionSearchEntry? entry, Guid id, IEvent e) => (entry, e.Data) switch
    {
        (null, ResolutionProposed p) => WithText(
            new ResolutionSearchEntry(p.ResolutionId, p.Body, p.Title, ResolutionStatus.UnderNegotiation, 1, p.TextVersion, p.ProposedAt, [], []),
            p.Title, p.Paragraphs),
        (not null, ResolutionTextEdited t) => WithText(entry with { TextVersion = t.TextVersion, LastChangedAt = t.EditedAt }, entry.Title, t.Paragraphs)
            with { Version = entry.Version + 1 },
        (not null, ResolutionAdopted a) => entry with { Status = ResolutionStatus.Adopted, Version = entry.Version + 1, LastChangedAt = a.AdoptedAt },
        (not null, Resolutions.Positions.ResolutionWithdrawn w) => entry with { Status = ResolutionStatus.Withdrawn, Version = entry.Version + 1, LastChangedAt = w.WithdrawnAt },
        (not null, ResolutionRejected r) => entry with { Status = ResolutionStatus.Rejected, Version = entry.Version + 1, LastChangedAt = r.RejectedAt },
        (not null, _) => entry with { Version = entry.Version + 1, LastChangedAt = e.Timestamp },
        _ => entry,
    };

    private static ResolutionSearchEntry WithText(ResolutionSearchEntry entry, string title, IEnumerable<Paragraph> paragraphs)
    {
        var current = SearchTerms.Of(paragraphs.Select(p => p.Text).Prepend(title)).ToList();
        return entry with { CurrentTerms = current, Terms = entry.Terms.Union(current).Order(StringComparer.Ordinal).ToList() };
    }
}

public static class SearchTerms
{
    /// <summary>Lower-case words (letters and digits, NFC) of at least two characters, each once.</summary>
    public static IEnumerable<string> Of(IEnumerable<string> texts)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var text in texts)
        {
            foreach (var c in text.Normalize(NormalizationForm.FormC))
            {
                if (char.IsLetterOrDigit(c)) word.Append(char.ToLowerInvariant(c));
                else Flush();
            }
            Flush();
        }
        return words;

        void Flush()
        {
            if (word.Length >= 2) words.Add(word.ToString());
            word.Clear();
        }
    }
}

public sealed record SearchHit(Guid Id, string Title, string Body, ResolutionStatus Status, long Version, int TextVersion, DateTimeOffset LastChangedAt, bool InCurrentText);

public static class SearchEndpoint
{
    /// <summary>
    /// Resolutions whose current or any former text or title contains all the words of <c>q</c>, optionally of one
    /// body and in one status; most recently changed first. <c>inCurrentText</c> says whether the current text still does.
    /// </summary>
    [WolverineGet("/api/resolutions/search", OperationId = "searchResolutions"), Tags("History")]
    [ProducesResponseType<IReadOnlyList<SearchHit>>(200)]
    public static async Task<IResult> Get(string? q, string? body, string? status, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (q is not null && Resolutions.TextRules.CheckQuery(q, "The search (q)") is { } unreadable) return unreadable.ToResult();
        var terms = SearchTerms.Of([q ?? ""]).ToList();
        if (terms.Count == 0) return Problems.Invalid("Give at least one word of two or more letters as q.").ToResult();
        if (terms.Count > 20) return Problems.Invalid("Search for at most 20 words at once.").ToResult();
        ResolutionStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<ResolutionStatus>(status.Replace("-", ""), ignoreCase: true, out var parsed) || int.TryParse(status, out _))
                return Problems.Invalid($"'{status}' is not a status: use {string.Join(", ", Enum.GetNames<ResolutionStatus>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.").ToResult();
            wanted = parsed;
        }

        var hidden = (await Confidentiality.HiddenAsync(session, Caller.From(user), null, ct)).ToArray();
        IQueryable<ResolutionSearchEntry> query = session.Query<ResolutionSearchEntry>();
        if (hidden.Length > 0) query = query.Where(r => !hidden.Contains(r.Id));
        foreach (var term in terms) query = query.Where(r => r.Terms.Contains(term));
        if (!string.IsNullOrWhiteSpace(body)) query = query.Where(r => r.Body == body.Trim());
        if (wanted is { } s) query = query.Where(r => r.Status == s);
        var hits = await query.OrderByDescending(r => r.LastChangedAt).Take(200).ToListAsync(ct);
        return Results.Ok(hits.Select(r => new SearchHit(r.Id, r.Title, r.Body, r.Status, r.Version, r.TextVersion, r.LastChangedAt,
            terms.All(r.CurrentTerms.Contains))).ToList());
    }
}
