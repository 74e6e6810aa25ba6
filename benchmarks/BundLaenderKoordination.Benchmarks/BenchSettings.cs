namespace BundLaenderKoordination.Benchmarks;

/// <summary>How long and how large a run is. <see cref="Full"/> is the documented run; <see cref="Smoke"/> runs every
/// workload once, tiny, so that the code cannot rot (its figures mean nothing).</summary>
public sealed record BenchSettings
{
    public int Rounds { get; init; } = 3;
    public TimeSpan Segment { get; init; } = TimeSpan.FromSeconds(3);
    public int[] AppendWriters { get; init; } = [1, 4, 16];
    public int[] HttpClients { get; init; } = [1, 16, 64];
    /// <summary>Client counts at which the HTTP vote is also measured on the framework floor (same rounds).</summary>
    public int[] FloorClients { get; init; } = [1, 16];
    /// <summary>Clients voting on one and the same resolution while the sealer's lag is measured.</summary>
    public int ContendedClients { get; init; } = 16;
    public int LongStreamEvents { get; init; } = 10_000;
    public int AsOfVersion { get; init; } = 9_000;
    public int RebuildEvents { get; init; } = 100_000;
    public int ProfiledVotes { get; init; } = 400;
    public int AuditEvents { get; init; } = 100_000;
    public int ProofSamples { get; init; } = 2_000;
    public int SealerBacklog { get; init; } = 20_000;
    /// <summary>Workload 6 at the sizes the limits allow (the largest text, the longest paragraphs, every open amendment);
    /// off in the smoke run, which uses a few small ones.</summary>
    public bool FullSizeLimits { get; init; } = true;

    /// <summary>
    /// PostgreSQL's durability (fsync, synchronous_commit, full_page_writes): on, as in production, for the headline
    /// run; <c>--durability off</c> for a run that shows the CPU cost without waiting for the disk.
    /// </summary>
    public bool Durable { get; init; } = true;

    public string Durability => Durable
        ? "on (fsync, synchronous_commit, full_page_writes on, as in production)"
        : "off (fsync, synchronous_commit, full_page_writes off: CPU cost without waiting for the disk)";

    /// <summary>Raw single INSERTs per second at 1 client below which the run is flagged as measured on a busy machine.</summary>
    public double CalibrationFloor { get; init; } = 700;

    public static readonly BenchSettings Full = new();

    public static readonly BenchSettings Smoke = new()
    {
        Rounds = 1,
        Segment = TimeSpan.FromMilliseconds(150),
        AppendWriters = [2],
        HttpClients = [2],
        FloorClients = [2],
        ContendedClients = 4,
        LongStreamEvents = 260,
        AsOfVersion = 200,
        RebuildEvents = 500,
        ProfiledVotes = 8,
        AuditEvents = 500,
        ProofSamples = 20,
        SealerBacklog = 200,
        FullSizeLimits = false,
        CalibrationFloor = 0,
    };
}
