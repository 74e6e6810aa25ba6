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
        var views = await session.Query<ResolutionView>().OrderByDescending(r => r.LastChangedAt).ToListAsync(ct);
        return views.Where(r => Confidentiality.MaySee(caller, r.Body, r.RestrictedTo)).Select(r => new ResolutionSummary(r.Id, r.Title, r.Body, r.Status, r.Version, r.TextVersion, r.LastChangedAt)).ToList();
    }
}
