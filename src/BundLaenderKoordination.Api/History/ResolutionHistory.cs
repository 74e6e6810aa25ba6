using System.Diagnostics;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using JasperFx.Events;
using Marten;

using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.History;

/// <summary>
/// Reads a resolution as it was at any stream version or instant, in the shape of the live read: from the nearest
/// snapshot at or below that version plus at most <see cref="SnapshotInterval"/> - 1 events, so that history reads
/// of long streams stay as cheap as short ones.
/// </summary>
public static class ResolutionHistory
{
    public const int SnapshotInterval = 100;

    public sealed record Folded(ResolutionView? View, long SnapshotVersion, int EventsRead);

    /// <summary>The view at <paramref name="version"/> (null before the first event).</summary>
    public static async Task<Folded> FoldAsync(IQuerySession session, Guid id, long version, CancellationToken ct)
    {
        if (version < 1) return new Folded(null, 0, 0);
        using var activity = Telemetry.Source.StartActivity("resolution.as_of");
        var boundary = version / SnapshotInterval * SnapshotInterval;
        // The snapshot and the events after it in one round trip; only a stream without that snapshot needs a second.
        var batch = session.CreateBatchQuery();
        var loadingSnapshot = boundary > 0 ? batch.Load<ResolutionSnapshot>(ResolutionSnapshot.IdFor(id, boundary)) : Task.FromResult<ResolutionSnapshot?>(null);
        var fetchingEvents = version > boundary ? batch.Events.FetchStream(id, version: version, fromVersion: boundary + 1) : null;
        await batch.Execute(ct);
        var snapshot = await loadingSnapshot;
        var events = fetchingEvents is null ? [] : await fetchingEvents;
        if (snapshot is null && boundary > 0)
            events = await session.Events.FetchStreamAsync(id, version: version, fromVersion: 1, token: ct);
        var view = snapshot?.View;
        var from = snapshot?.Version ?? 0;
        foreach (var e in events) view = ResolutionViewProjection.Next(view, e.Data);
        var read = events.Count;
        activity?.SetTag("blk.resolution.id", id);
        activity?.SetTag("blk.as_of.version", version);
        activity?.SetTag("blk.as_of.snapshot_version", from);
        activity?.SetTag("blk.as_of.events_read", read);
        return new Folded(view, from, read);
    }

    /// <summary>The stream version that was current at <paramref name="instant"/>: 0 if the resolution did not exist yet.</summary>
    public static async Task<long> VersionAtAsync(IQuerySession session, Guid id, DateTimeOffset instant, CancellationToken ct)
    {
        var last = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == id && e.Timestamp <= instant)
            .OrderByDescending(e => e.Version)
            .Take(1)
            .ToListAsync(ct);
        return last.Count == 0 ? 0 : last[0].Version;
    }
}
