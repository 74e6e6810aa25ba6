using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// The one check every read of a single resolution goes through: the id must name a resolution stream (not a mandate,
/// body or session stream), else the answer is 404, the same answer as for an id that names nothing.
/// </summary>
public static class Confidentiality
{
    /// <summary>The resolution as the caller may read it now, or null: then the answer is <see cref="NotFound"/>.</summary>
    public static async Task<ResolutionView?> FindAsync(IQuerySession session, Guid id, Caller caller, CancellationToken ct)
    {
        var view = await session.LoadAsync<ResolutionView>(id, ct);
        return view;
    }

    /// <summary>The one answer for an id that names no resolution the caller may read, whatever the reason.</summary>
    public static ProblemDetails NotFound(Guid id) => Problems.Missing($"There is no resolution {id}.");
}
