using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.GettingResolution;

public sealed record ResolutionSummary(Guid Id, string Title, string Body, ResolutionStatus Status, long Version, int TextVersion, DateTimeOffset LastChangedAt);

public static class ListResolutionsEndpoint
{
    /// <summary>All resolutions the caller may read, most recently changed first.</summary>
    [WolverineGet("/api/resolutions", OperationId = "listResolutions"), Tags("Resolutions")]
    [ProducesResponseType<IReadOnlyList<ResolutionSummary>>(200)]
    public static async Task<IReadOnlyList<ResolutionSummary>> Get(ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var caller = Caller.From(user);
        // From the write model, committed with every event (the read model follows through the projection daemon): a
        // resolution just proposed or changed is listed as it is now. Only the fields the list shows are read.
        var rows = await session.Query<Resolution>().OrderByDescending(r => r.LastChangedAt)
            .Select(r => new ListRow(r.Id, r.Title, r.Body, r.Status, r.StreamVersion, r.TextVersion, r.LastChangedAt, r.RestrictedTo))
            .ToListAsync(ct);
        return rows.Where(r => Confidentiality.MaySee(caller, r.Body, r.RestrictedTo))
            .Select(r => new ResolutionSummary(r.Id, r.Title, r.Body, r.Status, r.Version, r.TextVersion, r.LastChangedAt)).ToList();
    }
}

internal sealed record ListRow(Guid Id, string Title, string Body, ResolutionStatus Status, long Version, int TextVersion, DateTimeOffset LastChangedAt, IReadOnlyList<string> RestrictedTo);
