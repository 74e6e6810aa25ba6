using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.History;

/// <summary>
/// The read view of a resolution exactly as it was at a stream version that is a multiple of
/// <see cref="ResolutionHistory.SnapshotInterval"/>. Its id is derived from stream and version, so a reader finds the
/// nearest snapshot below any version with one key lookup.
/// </summary>
public sealed record ResolutionSnapshot(string Id, Guid ResolutionId, long Version, ResolutionView View)
{
    public static string IdFor(Guid resolutionId, long version) => $"{resolutionId:N}:{version}";
}

/// <summary>
/// Writes a <see cref="ResolutionSnapshot"/> in the same transaction as the event that reaches a multiple of the
/// snapshot interval. Appends that cross no such boundary cost nothing here.
/// </summary>
public sealed class ResolutionSnapshotProjection : IProjection
{
    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var stream in events.GroupBy(e => e.StreamId))
        {
            // In stream order. Appends without an expected version leave the numbering to the server, so then the
            // batch continues the stored stream.
            var ordered = stream.ToList();
            var first = ordered[0].Version;
            if (first == 0) first = ((await operations.Events.FetchStreamStateAsync(stream.Key, cancellation))?.Version ?? 0) + 1;
            var last = first + ordered.Count - 1;
            if (last / ResolutionHistory.SnapshotInterval * ResolutionHistory.SnapshotInterval < first) continue;

            var view = (await ResolutionHistory.FoldAsync(operations, stream.Key, first - 1, cancellation)).View;
            foreach (var e in ordered)
            {
                view = ResolutionViewProjection.Next(view, e.Data);
                if (view is not null && view.Version % ResolutionHistory.SnapshotInterval == 0)
                    operations.Store(new ResolutionSnapshot(ResolutionSnapshot.IdFor(stream.Key, view.Version), stream.Key, view.Version, view));
            }
        }
    }
}
