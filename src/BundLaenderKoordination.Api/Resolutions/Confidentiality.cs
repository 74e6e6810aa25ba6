using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// Who may know a resolution at all. A resolution restricted to a group (Länder, the Bund, the chair) exists only for
/// the group's members: persons whose mandate in effect in the resolution's body is for a listed Land, or is a chair
/// mandate when the chair is listed. For everyone else (other Länder, observers, auditors, administrators, whatever
/// their token claims) it answers exactly as an id that names nothing. Every read and write of a resolution asks here.
/// </summary>
public static class Confidentiality
{
    /// <summary>The member of a restriction that stands for whoever holds a chair mandate in the body.</summary>
    public const string Chair = "chair";

    /// <summary>Whether the caller may know the resolution: open to all readers, or the caller is in its group.</summary>
    public static bool MaySee(Caller caller, string body, IReadOnlyCollection<string>? restrictedTo)
    {
        if (restrictedTo is not { Count: > 0 }) return true;
        return IsMember(caller.MandateIn(body), restrictedTo);
    }

    public static bool IsMember(HeldMandate? mandate, IReadOnlyCollection<string> group) =>
        mandate is not null && (group.Contains(mandate.Land) || (mandate.Role == Roles.Chair && group.Contains(Chair)));

    /// <summary>The resolution as the caller may read it now, or null: then the answer is <see cref="NotFound"/>.</summary>
    public static async Task<ResolutionView?> FindAsync(IQuerySession session, Guid id, Caller caller, CancellationToken ct)
    {
        var view = await ResolutionViewProjection.LatestAsync(session, id, ct);
        return Readable(view, caller);
    }

    /// <summary>The view if the caller may read it, else null (a missing view stays null).</summary>
    public static ResolutionView? Readable(ResolutionView? view, Caller caller) =>
        view is not null && MaySee(caller, view.Body, view.RestrictedTo) ? view : null;

    /// <summary>The one answer for an id that names no resolution the caller may read, whatever the reason.</summary>
    public static ProblemDetails NotFound(Guid id) => Problems.Missing($"There is no resolution {id}.");

    /// <summary>The restricted resolutions (of one body, or of all) the caller may not see: what lists and exports leave out.</summary>
    public static async Task<IReadOnlySet<Guid>> HiddenAsync(IQuerySession session, Caller caller, string? body, CancellationToken ct)
    {
        // From the write model, committed with every event: a resolution restricted a moment ago is hidden at once, even
        // where the list itself comes from a read model the daemon has not caught up yet.
        var restricted = await session.Query<Resolution>().Where(r => r.RestrictedTo.Any()).ToListAsync(ct);
        return HiddenAmong(restricted, caller, body);
    }

    /// <summary>Of the given resolutions, those of the body (or of any body when null) that the caller may not see.</summary>
    public static IReadOnlySet<Guid> HiddenAmong(IEnumerable<Resolution> resolutions, Caller caller, string? body) =>
        resolutions.Where(r => (body is null || r.Body == body) && !MaySee(caller, r.Body, r.RestrictedTo)).Select(r => r.Id).ToHashSet();

    /// <summary>The caller with the mandates in effect now: for long-running reads (live streams) that outlast a revocation.</summary>
    public static async Task<Caller> RefreshAsync(IQuerySession session, Caller caller, CancellationToken ct) =>
        caller with { Mandates = await MandateClaims.InEffectAsync(session, caller.PersonId, ct) };

    /// <summary>
    /// Normalises a group as sent: Land codes ("BY", "DE-BY", "Bund") and "chair", each once, in a stable order. An
    /// unknown code is a problem (400).
    /// </summary>
    public static ProblemDetails? Parse(IReadOnlyList<string?>? sent, out IReadOnlyList<string> group)
    {
        group = [];
        if (sent is null) return null;
        if (sent.Count > Lands.Names.Count + 1) return Problems.Invalid("A group has at most the 16 Länder, the Bund and the chair.");
        var members = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var code in sent)
        {
            if (string.Equals(code?.Trim(), Chair, StringComparison.OrdinalIgnoreCase))
                members.Add(Chair);
            else if (Lands.Normalize(code) is { } land)
                members.Add(land);
            else
                return Problems.Invalid($"'{code}' is neither a Land (an ISO 3166-2:DE code such as \"BY\" or \"DE-BY\", or \"BUND\") nor \"chair\".");
        }
        group = [.. members];
        return null;
    }

    /// <summary>The stable type of a restriction refused by the rules (422).</summary>
    public static ProblemDetails Refused(string title, string detail) => Problems.Make(Problems.RestrictionRule, 422, title, detail);

    /// <summary>Ballots, written procedures, adoption and agenda items are the body's business: only on an open resolution.</summary>
    public static ProblemDetails? BodyDecidesInTheOpen(Resolution state) =>
        state.RestrictedTo.Count == 0
            ? null
            : Refused("The body decides in the open.",
                $"The resolution is readable by {string.Join(", ", state.RestrictedTo)} only. Open it to all readers (PUT /api/resolutions/{state.Id}/restriction with []) before the body decides on it.");
}
