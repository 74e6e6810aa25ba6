using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.History;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.GettingResolution;

public static class GetResolutionEndpoint
{
    /// <summary>
    /// The resolution as it is now, or exactly as it was at a stream version (<c>?version=n</c>) or an instant
    /// (<c>?at=2026-11-28T10:00:00Z</c>), in the same shape.
    /// </summary>
    [WolverineGet("/api/resolutions/{id}", OperationId = "getResolution"), Tags("Resolutions")]
    [ProducesResponseType<ResolutionView>(200)]
    public static async Task<IResult> Get(Guid id, long? version, string? at, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var current = await Confidentiality.FindAsync(session, id, Caller.From(user), ct);
        if (current is null) return Confidentiality.NotFound(id).ToResult();

        if (version is not null && at is not null)
            return Problems.Invalid("Ask for either a version or an instant, not both.").ToResult();

        if (version is { } v)
        {
            if (v < 1 || v > current.Version)
                return Problems.Missing($"Resolution {id} has versions 1 to {current.Version}; there is no version {v}.").ToResult();
            return Results.Ok((await ResolutionHistory.FoldAsync(session, id, v, ct)).View);
        }

        if (at is not null)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                return Problems.Invalid($"'{at}' is not an ISO 8601 instant such as 2026-11-28T10:00:00Z.").ToResult();
            var then = await ResolutionHistory.VersionAtAsync(session, id, instant.ToUniversalTime(), ct);
            return then == 0
                ? Problems.Missing($"Resolution {id} did not exist yet at {instant:O}.").ToResult()
                : Results.Ok((await ResolutionHistory.FoldAsync(session, id, then, ct)).View);
        }

        return Results.Ok(current);
    }
}
