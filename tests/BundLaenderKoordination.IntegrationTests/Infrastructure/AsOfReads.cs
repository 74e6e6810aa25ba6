using System.Collections.Concurrent;
using System.Diagnostics;

namespace BundLaenderKoordination.IntegrationTests.Infrastructure;

/// <summary>Records the service's history-read spans, to see how many events each as-of read folded.</summary>
public sealed class AsOfReads : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<(Guid Resolution, long Version, long SnapshotVersion, int EventsRead)> _reads = new();

    public AsOfReads()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "bund-laender-koordination",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName != "resolution.as_of") return;
                _reads.Enqueue(((Guid)activity.GetTagItem("blk.resolution.id")!, (long)activity.GetTagItem("blk.as_of.version")!,
                    (long)activity.GetTagItem("blk.as_of.snapshot_version")!, (int)activity.GetTagItem("blk.as_of.events_read")!));
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<(Guid Resolution, long Version, long SnapshotVersion, int EventsRead)> Of(Guid resolution) =>
        _reads.Where(r => r.Resolution == resolution).ToList();

    public void Dispose() => _listener.Dispose();
}
