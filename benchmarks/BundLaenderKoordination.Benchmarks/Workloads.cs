using System.Diagnostics;
using System.Text.Json;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.History;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>The workloads of docs/performance.md, each against its raw PostgreSQL baseline in the same rounds.</summary>
public sealed class Workloads(BenchEnvironment env, BenchSettings settings, Action<string> log)
{
    private readonly RawInsert _raw = new(env.Raw);
    private IDocumentStore Store => env.Store;

    private string VoteJson(string land) => Store.Options.Serializer().ToJson(new VoteCast(
        Guid.CreateVersion7(), land, VoteChoice.Yes, 1, new string('a', 64), Scenario.Representative(land).In("D16").ActingAs("representative"), DateTimeOffset.UtcNow));

    /// <summary>Raw single INSERTs per second at 1 client: how fast this machine is right now.</summary>
    public async Task<double> CalibrateAsync()
    {
        var payload = VoteJson("DE-BY");
        var stream = Guid.CreateVersion7();
        await Rounds.ClosedLoop(1, settings.Segment / 3, async (_, _) => { await _raw.InsertAsync(stream, "vote_cast", payload); return true; });
        var segment = await Rounds.ClosedLoop(1, settings.Segment, async (_, _) => { await _raw.InsertAsync(stream, "vote_cast", payload); return true; });
        return segment.Rate;
    }

    /// <summary>1. One vote appended in-process through the service's command path vs a raw INSERT of the same JSON.</summary>
    public async Task<List<Row>> AppendAsync()
    {
        var rows = new List<Row>();
        foreach (var writers in settings.AppendWriters)
        {
            var payloads = Enumerable.Range(0, writers).Select(i => VoteJson(Scenario.Laender[i % 16])).ToArray();
            var comparison = await Rounds.Compare($"1. append one vote, in-process, {writers} writer{(writers == 1 ? "" : "s")}", "votes/s", settings.Rounds,
                async _ =>
                {
                    var streams = Enumerable.Range(0, writers).Select(_ => Guid.CreateVersion7()).ToArray();
                    return await Rounds.ClosedLoop(writers, settings.Segment, async (w, _) =>
                    {
                        await _raw.InsertAsync(streams[w], "vote_cast", payloads[w]);
                        return true;
                    });
                },
                async _ =>
                {
                    var callers = Enumerable.Range(0, writers).Select(i => Scenario.Representative(Scenario.Laender[i % 16])).ToArray();
                    var ids = new Guid[writers];
                    for (var i = 0; i < writers; i++) ids[i] = await Scenario.ProposeAsync(Store, callers[i]);
                    return await Rounds.ClosedLoop(writers, settings.Segment, async (w, n) =>
                    {
                        var choice = n % 2 == 0 ? VoteChoice.No : VoteChoice.Yes;
                        var result = await Scenario.VoteAsync(Store, ids[w], callers[w], choice);
                        return Scenario.IsOk(result);
                    }, () => env.Retries);
                }, log, () => env.SettleAsync());
            rows.Add(Figures.Throughput(comparison, "≥ 0.50x raw", comparison.MedianRatio >= 0.5));
        }
        return rows;
    }

    /// <summary>
    /// 2. POST votes and PUT text through the running service vs a raw-INSERT HTTP endpoint; the vote also on the
    /// framework floor (<see cref="FrameworkFloor"/>) in the same rounds, at the client counts of
    /// <see cref="BenchSettings.FloorClients"/>.
    /// </summary>
    public async Task<List<Row>> HttpWritesAsync()
    {
        // Warm-up outside the rounds: the first requests of an endpoint pay for code generation and JIT.
        var warm = await Scenario.ProposeOverHttpAsync(env, "DE-BW");
        var warmFloor = await env.Floor.StartStreamAsync();
        for (var n = 0; n < 20; n++)
        {
            await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, $"/api/resolutions/{warm}/votes", env.Tokens["DE-BW"], Body("vote", n, 1)));
            await env.SendAsync(env.Request(HttpMethod.Post, env.RawAddress, $"/raw/streams/{warm}/vote", null, Body("vote", n, 1)));
            var (floorOk, floorBody) = await env.SendAsync(env.Request(HttpMethod.Post, env.Floor.Address, $"/floor/resolutions/{warmFloor}/votes", null, Body("vote", n, 1)));
            if (!floorOk) throw new InvalidOperationException("The framework floor refused a vote: " + floorBody);
        }
        // The floor must have appended what it answered for: the stream's first vote and the 20 above, as vote_cast events.
        await using (var check = env.Raw.CreateCommand($"select count(*) from {FrameworkFloor.Schema}.mt_events where stream_id = $1 and type = 'vote_cast'"))
        {
            check.Parameters.Add(new Npgsql.NpgsqlParameter { Value = warmFloor });
            if ((long)(await check.ExecuteScalarAsync())! != 21) throw new InvalidOperationException("The framework floor did not append its votes.");
        }
        for (var n = 0; n < 20; n++)
            await env.SendAsync(env.Request(HttpMethod.Put, env.ServiceAddress, $"/api/resolutions/{warm}/text", env.Tokens["DE-BW"], Body("text", n, n + 1)));

        var rows = new List<Row>();
        foreach (var operation in new[] { "vote", "text" })
        {
            foreach (var clients in settings.HttpClients)
            {
                var lands = Enumerable.Range(0, clients).Select(i => Scenario.Laender[i % 16]).ToArray();
                var label = operation == "vote" ? "POST …/votes" : "PUT …/text";
                var plural = clients == 1 ? "" : "s";
                var workload = $"2. HTTP {label}, {clients} client{plural}";
                var withFloor = operation == "vote" && settings.FloorClients.Contains(clients);

                Task<Segment> Raw(int _)
                {
                    var streams = Enumerable.Range(0, clients).Select(_ => Guid.CreateVersion7()).ToArray();
                    return Rounds.ClosedLoop(clients, settings.Segment, async (c, n) =>
                        (await env.SendAsync(env.Request(HttpMethod.Post, env.RawAddress, $"/raw/streams/{streams[c]}/{operation}", null,
                            Body(operation, n, (int)n + 1)))).Ok);
                }

                async Task<Segment> Ours(int _)
                {
                    var ids = new Guid[clients];
                    for (var i = 0; i < clients; i++) ids[i] = await Scenario.ProposeOverHttpAsync(env, lands[i]);
                    var textVersions = Enumerable.Repeat(1, clients).ToArray();
                    return await Rounds.ClosedLoop(clients, settings.Segment, async (c, n) =>
                    {
                        var (ok, _) = operation == "vote"
                            ? await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, $"/api/resolutions/{ids[c]}/votes", env.Tokens[lands[c]], Body(operation, n, 1)))
                            : await env.SendAsync(env.Request(HttpMethod.Put, env.ServiceAddress, $"/api/resolutions/{ids[c]}/text", env.Tokens[lands[c]], Body(operation, n, textVersions[c])));
                        if (ok) textVersions[c]++;
                        return ok;
                    }, () => env.Retries);
                }

                // The framework floor: each client votes on a stream of its own, as on the service.
                async Task<Segment> Floor(int _)
                {
                    var ids = new Guid[clients];
                    for (var i = 0; i < clients; i++) ids[i] = await env.Floor.StartStreamAsync();
                    return await Rounds.ClosedLoop(clients, settings.Segment, async (c, n) =>
                        (await env.SendAsync(env.Request(HttpMethod.Post, env.Floor.Address, $"/floor/resolutions/{ids[c]}/votes", null, Body(operation, n, 1)))).Ok);
                }

                var floorWorkload = $"2. HTTP POST …/votes, framework floor (Wolverine aggregate workflow, no rules), {clients} client{plural}";
                var measured = await Rounds.CompareMany("req/s", settings.Rounds, Raw,
                    withFloor ? [(floorWorkload, Floor), (workload, Ours)] : [(workload, Ours)], log, () => env.SettleAsync());
                var comparison = measured[^1];
                var p50 = Comparison.Percentile(comparison.OursLatencies, 50);
                var p99 = Comparison.Percentile(comparison.OursLatencies, 99);
                var (target, met) = (operation, clients) switch
                {
                    ("vote", 1) => ("p50 ≤ 2 ms, no non-2xx", p50 <= 2 && comparison.Failures == 0),
                    ("vote", 16) => ("≥ 0.35x raw, p99 ≤ 30 ms, no non-2xx", comparison.MedianRatio >= 0.35 && p99 <= 30 && comparison.Failures == 0),
                    ("text", 16) => ("≥ 0.30x raw, no non-2xx", comparison.MedianRatio >= 0.30 && comparison.Failures == 0),
                    _ => ("no non-2xx", comparison.Failures == 0),
                };
                if (withFloor)
                {
                    var floor = measured[0];
                    rows.Add(Figures.Throughput(floor, "reference (no target), no non-2xx", floor.Failures == 0) with
                    {
                        Latency = $"floor {Figures.Latencies(floor.OursLatencies)}; raw {Figures.Latencies(floor.BaselineLatencies)}",
                    });
                }
                rows.Add(Figures.Throughput(comparison, target, met));
                if (withFloor)
                {
                    var againstFloor = comparison.Against(measured[0], $"2. HTTP POST …/votes, {clients} client{plural}: ours vs the framework floor");
                    rows.Add(Figures.Throughput(againstFloor) with
                    {
                        Latency = $"ours {Figures.Latencies(againstFloor.OursLatencies)}; floor {Figures.Latencies(againstFloor.BaselineLatencies)}",
                        Failures = comparison.Rounds.Sum(r => r.Ours.Failures) + measured[0].Rounds.Sum(r => r.Ours.Failures),
                    });
                }
            }
        }
        return rows;
    }

    private static string Body(string operation, long n, int textVersion) => operation == "vote"
        ? $$"""{"choice":"{{(n % 2 == 0 ? "no" : "yes")}}","textVersion":{{textVersion}}}"""
        : JsonSerializer.Serialize(new
        {
            baseTextVersion = textVersion,
            paragraphs = new object[]
            {
                new { id = "p1", text = $"Die Länder modernisieren ihre Register gemeinsam (Fassung {n + 2})." },
                new { id = "p2", text = "Der Bund unterstützt die Länder dabei." },
            },
        });

    /// <summary>3. Latest-state read and as-of reads deep in a long stream vs a raw SELECT of one row.</summary>
    public async Task<List<Row>> ReadsAsync()
    {
        var began = Stopwatch.GetTimestamp();
        var id = await Scenario.LongStreamAsync(Store, settings.LongStreamEvents);
        log($"  a stream of {settings.LongStreamEvents:N0} events written in {Stopwatch.GetElapsedTime(began).TotalSeconds:F1} s");
        // The read model is kept by the projection daemon: the raw baseline copies it once the daemon has it.
        await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(Store, TimeSpan.FromMinutes(5));
        await env.SettleAsync(TimeSpan.FromMinutes(2));

        // The baseline row: the same view document, copied into a table of the same shape.
        await using (var copy = env.Raw.CreateCommand($"insert into {BenchEnvironment.RawSchema}.documents select * from blk.mt_doc_resolutionview where id = $1"))
        {
            copy.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
            await copy.ExecuteNonQueryAsync();
        }

        async Task<bool> RawRead()
        {
            await using var command = env.Raw.CreateCommand($"select data from {BenchEnvironment.RawSchema}.documents where id = $1");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
            return await command.ExecuteScalarAsync() is string;
        }

        async Task<bool> Latest()
        {
            // As the service reads one resolution: the stored view and the events the daemon has not applied yet.
            await using var session = Store.QuerySession();
            return await ResolutionViewProjection.LatestAsync(session, id, CancellationToken.None) is not null;
        }

        Func<Task<bool>> AsOf(long version) => async () =>
        {
            await using var session = Store.QuerySession();
            return (await ResolutionHistory.FoldAsync(session, id, version, CancellationToken.None)).View?.Version == version;
        };

        var worst = Math.Min(settings.AsOfVersion + ResolutionHistory.SnapshotInterval - 1, settings.LongStreamEvents);
        Task<Segment> Loop(Func<Task<bool>> read) => Rounds.ClosedLoop(1, settings.Segment, (_, _) => read());

        var rows = new List<Row>();
        var latest = await Rounds.Compare("3. latest-state read vs raw SELECT of one row", "reads/s", settings.Rounds, _ => Loop(RawRead), _ => Loop(Latest), log);
        rows.Add(Figures.Throughput(latest));
        foreach (var version in new[] { (long)settings.AsOfVersion, worst })
        {
            // The target is set for version 9,000 (a snapshot boundary); the version just before the next snapshot is
            // the worst case, measured for information.
            var targeted = version == settings.AsOfVersion;
            var asOf = await Rounds.Compare($"3. as-of read at version {version:N0} of {settings.LongStreamEvents:N0}{(targeted ? "" : " (worst case between snapshots)")} vs latest-state read",
                "reads/s", settings.Rounds, _ => Loop(Latest), _ => Loop(AsOf(version)), log);
            var p50 = Comparison.Percentile(asOf.OursLatencies, 50);
            var slowdown = asOf.MedianRatio > 0 ? 1 / asOf.MedianRatio : double.PositiveInfinity;
            rows.Add(targeted
                ? Figures.Throughput(asOf, "≤ 3x the latest read (ratio ≥ 0.33), p50 ≤ 5 ms", slowdown <= 3 && p50 <= 5)
                : Figures.Throughput(asOf));
            var vsRaw = await Rounds.Compare($"3. as-of read at version {version:N0} vs raw SELECT of one row", "reads/s", settings.Rounds,
                _ => Loop(RawRead), _ => Loop(AsOf(version)), log);
            rows.Add(Figures.Throughput(vsRaw));
        }
        return rows;
    }

    /// <summary>4. Rebuild of the current-text projection over all stored events vs a raw sequential SELECT of them.</summary>
    public async Task<List<Row>> RebuildAsync()
    {
        var began = Stopwatch.GetTimestamp();
        var stored = await CountEventsAsync();
        var streams = 0;
        while (stored < settings.RebuildEvents)
        {
            var size = (int)Math.Min(1_000, Math.Max(settings.RebuildEvents - stored, 2));
            await Scenario.LongStreamAsync(Store, size);
            stored += size;
            streams++;
        }
        stored = await CountEventsAsync();
        log($"  {stored:N0} events in the store ({streams} streams added in {Stopwatch.GetElapsedTime(began).TotalSeconds:F1} s)");
        began = Stopwatch.GetTimestamp();
        await env.SettleAsync(TimeSpan.FromMinutes(5));
        log($"  waited {Stopwatch.GetElapsedTime(began).TotalSeconds:F1} s for the audit sealer to seal them");

        var comparison = await Rounds.Compare($"4. rebuild of the current-text projection over {stored:N0} events vs raw sequential SELECT", "events/s", settings.Rounds,
            _ => Rounds.Once(stored, RawScanAsync),
            _ => Rounds.Once(stored, async () =>
            {
                // The service's own daemon runs this projection's shard as a Wolverine agent; the agent rebuilds it
                // (the shard stands still while every event is replayed, as in an operator's rebuild) and resumes it.
                // Stopping the agent and rebuilding beside it raced the agent's own restart and could leave the
                // shard stopped for good.
                var runtime = env.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>();
                var shard = $"{nameof(ResolutionView)}:All";
                foreach (var family in env.Services.GetServices<Wolverine.Runtime.Agents.IAgentFamily>().OfType<Wolverine.Runtime.Agents.IEventSubscriptionAgentFamily>())
                {
                    var uri = await family.FindAgentUriAsync(shard, null, CancellationToken.None);
                    if (uri is null) continue;
                    if (runtime.Agents.TryFindActiveAgent<Wolverine.Runtime.Agents.IEventSubscriptionAgent>(uri, out var agent))
                        await agent.RebuildAsync(CancellationToken.None);
                    else if (!await family.TryRebuildRegisteredProjectionAsync(shard, null, CancellationToken.None))
                        throw new InvalidOperationException($"The projection {shard} could not be rebuilt.");
                    return;
                }
                throw new InvalidOperationException($"No agent family knows the projection {shard}.");
            }), log);
        return [Figures.Throughput(comparison, "≥ 0.20x raw", comparison.MedianRatio >= 0.2) with { Latency = "" }];
    }

    private async Task RawScanAsync()
    {
        await using var command = env.Raw.CreateCommand("select seq_id, id, stream_id, version, data, type, timestamp from blk.mt_events order by seq_id");
        await using var reader = await command.ExecuteReaderAsync();
        long rows = 0, bytes = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            bytes += reader.GetString(4).Length;
        }
        if (rows == 0 || bytes == 0) throw new InvalidOperationException("The raw scan read nothing.");
    }

    private async Task<long> CountEventsAsync()
    {
        await using var command = env.Raw.CreateCommand("select count(*) from blk.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// What one in-process vote command costs, one at a time on a quiet stream: database round trips (Npgsql commands
    /// and batches, counted), and how much of its time is spent waiting for the database.
    /// </summary>
    private const string ProfileSourceName = "BundLaenderKoordination.Benchmarks";
    private const string ProfiledCommand = "bench.vote";
    private static readonly ActivitySource ProfileSource = new(ProfileSourceName);

    public async Task<CommandProfile> ProfileVoteAsync(int votes = 200)
    {
        var caller = Scenario.Representative("DE-HE");
        var id = await Scenario.ProposeAsync(Store, caller);
        async Task Vote(int n)
        {
            var choice = n % 2 == 0 ? VoteChoice.No : VoteChoice.Yes;
            using var command = ProfileSource.StartActivity(ProfiledCommand);
            await Scenario.VoteAsync(Store, id, caller, choice);
        }
        for (var n = 0; n < votes / 4; n++) await Vote(n);

        // Only the database calls made inside a profiled command count, not those of background work (the sealer).
        static bool InCommand(Activity a)
        {
            for (var parent = a.Parent; parent is not null; parent = parent.Parent)
                if (parent.OperationName == ProfiledCommand) return true;
            return false;
        }

        long commands = 0, databaseTicks = 0;
        var statements = new Dictionary<string, (int Count, long Ticks)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or ProfileSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = a => { if (a.Source.Name == "Npgsql" && InCommand(a)) Interlocked.Increment(ref commands); },
            ActivityStopped = a =>
            {
                if (a.Source.Name != "Npgsql" || !InCommand(a)) return;
                Interlocked.Add(ref databaseTicks, a.Duration.Ticks);
                var text = (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement"))?.ToString() ?? a.DisplayName;
                var key = text.ReplaceLineEndings(" ")[..Math.Min(text.Length, 72)];
                lock (statements) statements[key] = statements.TryGetValue(key, out var seen) ? (seen.Count + 1, seen.Ticks + a.Duration.Ticks) : (1, a.Duration.Ticks);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var cpuBefore = env.Cpu.Now();
        var began = Stopwatch.GetTimestamp();
        for (var n = 0; n < votes; n++) await Vote(n);
        var total = Stopwatch.GetElapsedTime(began);
        var cpuAfter = env.Cpu.Now();
        listener.Dispose();

        var payload = VoteJson("DE-HE");
        var rawStream = Guid.CreateVersion7();
        var rawBefore = env.Cpu.Now();
        for (var n = 0; n < votes; n++) await _raw.InsertAsync(rawStream, "vote_cast", payload);
        var rawAfter = env.Cpu.Now();
        double PerVote(TimeSpan before, TimeSpan after) => (after - before).TotalMilliseconds / votes;
        return new CommandProfile((double)Interlocked.Read(ref commands) / votes, total.TotalMilliseconds / votes,
            TimeSpan.FromTicks(Interlocked.Read(ref databaseTicks)).TotalMilliseconds / votes,
            statements.OrderByDescending(s => s.Value.Ticks)
                .Select(s => new StatementCost(s.Key, (double)s.Value.Count / votes, TimeSpan.FromTicks(s.Value.Ticks / s.Value.Count).TotalMilliseconds))
                .ToList(),
            PerVote(cpuBefore.Process, cpuAfter.Process), PerVote(cpuBefore.Postgres, cpuAfter.Postgres),
            PerVote(rawBefore.Process, rawAfter.Process), PerVote(rawBefore.Postgres, rawAfter.Postgres));
    }
}

/// <summary>One vote command, on average: database round trips, wall time, and the part of it spent in database calls.</summary>
public sealed record CommandProfile(double RoundTrips, double Milliseconds, double DatabaseMilliseconds, IReadOnlyList<StatementCost> Statements,
    double ProcessCpuMs, double PostgresCpuMs, double RawProcessCpuMs, double RawPostgresCpuMs);

/// <summary>A database call of the vote command, by the start of its SQL: how often per vote, how long on average.</summary>
public sealed record StatementCost(string Sql, double PerVote, double Milliseconds);
