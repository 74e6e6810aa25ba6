using System.Diagnostics.Metrics;
using BundLaenderKoordination.Api.Auditing;
using Npgsql;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// The gauges an operator watches a node and the cluster by (docs/operations.md#dashboards-and-alerts), on the service's meter
/// (<see cref="Telemetry.ServiceName"/>): that the node runs, that the database answers, the event store's highest committed
/// sequence number, how far the audit sealer and each projection shard have come, and whether this node seals. One
/// short query every <c>Telemetry:ProbeSeconds</c> (5) per node reads the database; the gauges report what it read.
/// </summary>
public sealed class OperationsMetrics(AuditTables tables, AuditLog auditLog, IMeterFactory meters, IConfiguration configuration, ILogger<OperationsMetrics> logger)
    : BackgroundService
{
    private readonly Lock _lock = new();
    private int _databaseUp;
    private long? _highWaterMark;
    private long? _sealed;
    private IReadOnlyList<(string Shard, long Sequence)> _shards = [];

    private TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.2, configuration.GetValue("Telemetry:ProbeSeconds", 5.0)));

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // From the host's meter factory: the instruments go with this host (tests start several in one process).
        var meter = meters.Create(Telemetry.ServiceName);
        meter.CreateObservableGauge("blk.node.up", () => 1,
            description: "1 on every running node: the sum over nodes is the node count");
        meter.CreateObservableGauge("blk.database.up", () => Volatile.Read(ref _databaseUp),
            description: "1 while the event store answered this node's last probe, 0 when it did not");
        meter.CreateObservableGauge("blk.events.high_water_mark", () => Read(() => _highWaterMark),
            unit: "{event}", description: "The highest committed sequence number of the event store");
        meter.CreateObservableGauge("blk.audit.sealed", () => Read(() => _sealed),
            unit: "{event}", description: "Up to which sequence number the audit log is sealed (stored progress)");
        meter.CreateObservableGauge("blk.audit.sealing", () => auditLog.IsSealing ? 1 : 0,
            description: "1 on the node that holds the sealer lock and signs checkpoints");
        meter.CreateObservableGauge("blk.audit.halted", () => auditLog.IsHalted ? 1 : 0,
            description: "1 when the sealer found the stored log changed or cut short and signs nothing more");
        meter.CreateObservableGauge("blk.projection.progress", ShardProgress,
            unit: "{event}", description: "Up to which sequence number each projection shard has applied the events");
        return base.StartAsync(cancellationToken);
    }

    private IEnumerable<Measurement<long>> Read(Func<long?> value)
    {
        long? read;
        lock (_lock) read = value();
        return read is { } v ? [new Measurement<long>(v)] : [];
    }

    private IEnumerable<Measurement<long>> ShardProgress()
    {
        IReadOnlyList<(string Shard, long Sequence)> shards;
        lock (_lock) shards = _shards;
        return shards.Select(s => new Measurement<long>(s.Sequence, new KeyValuePair<string, object?>("shard", s.Shard)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ProbeAsync(stoppingToken);
                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(tables.ConnectionString);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await connection.OpenAsync(timeout.Token);
            // Tables that do not exist yet (a new database during start-up) read as no value.
            string? events, progress, progression;
            await using (var exists = new NpgsqlCommand(
                             $"SELECT to_regclass('{tables.Events}')::text, to_regclass('{tables.Progress}')::text, to_regclass('{tables.Schema}.mt_event_progression')::text", connection))
            await using (var reader = await exists.ExecuteReaderAsync(timeout.Token))
            {
                await reader.ReadAsync(timeout.Token);
                events = reader.IsDBNull(0) ? null : tables.Events;
                progress = reader.IsDBNull(1) ? null : tables.Progress;
                progression = reader.IsDBNull(2) ? null : $"{tables.Schema}.mt_event_progression";
            }
            await using var command = new NpgsqlCommand(
                (events is null ? "SELECT NULL::bigint;" : $"SELECT coalesce(max(seq_id), 0) FROM {events};") +
                (progress is null ? "SELECT NULL::bigint;" : $"SELECT sealed_seq FROM {progress} WHERE id = 1;") +
                (progression is null ? "SELECT NULL::text, NULL::bigint WHERE false;" : $"SELECT name, last_seq_id FROM {progression} WHERE name <> 'HighWaterMark';"),
                connection);
            long? highWaterMark, sealedSeq;
            var shards = new List<(string, long)>();
            await using (var reader = await command.ExecuteReaderAsync(timeout.Token))
            {
                highWaterMark = await reader.ReadAsync(timeout.Token) && !reader.IsDBNull(0) ? reader.GetInt64(0) : null;
                await reader.NextResultAsync(timeout.Token);
                sealedSeq = await reader.ReadAsync(timeout.Token) && !reader.IsDBNull(0) ? reader.GetInt64(0) : null;
                await reader.NextResultAsync(timeout.Token);
                while (await reader.ReadAsync(timeout.Token)) shards.Add((reader.GetString(0), reader.GetInt64(1)));
            }
            lock (_lock)
            {
                _highWaterMark = highWaterMark;
                _sealed = sealedSeq;
                _shards = shards;
            }
            Volatile.Write(ref _databaseUp, 1);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _databaseUp, 0) == 1)
                logger.LogWarning("The database did not answer the metrics probe: {Reason}", ex.Message);
        }
    }
}
