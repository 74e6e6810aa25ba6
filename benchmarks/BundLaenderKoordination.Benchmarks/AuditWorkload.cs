using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Audit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>
/// 5. The audit log's work over stored events: sealing (each event row to its canonical leaf, hashed into the Merkle
/// tree, the root signed as a checkpoint) and verifying (each row's leaf recomputed, the root rebuilt and compared with
/// the signed checkpoint), each vs a raw SHA-256 over the same stored bytes; and the time to produce a proof.
/// The rows are read from the event table first, so both sides measure computation, not the database.
/// </summary>
public sealed class AuditWorkload(BenchEnvironment env, BenchSettings settings, Action<string> log)
{
    private sealed record StoredEvent(long Seq, Guid Id, Guid Stream, long Version, string Type, DateTimeOffset Timestamp,
        string Data, string? UserName, string? CorrelationId, string? CausationId, string? Headers, string? Tenant);

    /// <summary>The whole audit workload; with <paramref name="sealerOnly"/> only the service's sealer (backlog, lag
    /// under paced appends, lag while clients vote on one resolution), as <c>--only sealer</c> runs it.</summary>
    public async Task<List<Row>> RunAsync(bool sealerOnly = false)
    {
        if (sealerOnly) return await SealerAsync();
        var events = await ReadEventsAsync();
        log($"  {events.Count:N0} stored events read for sealing and verifying");
        var bytes = events.Select(e => Encoding.UTF8.GetBytes(e.Data)).ToArray();
        var headers = events.Select(e => e.Headers is null ? null : Encoding.UTF8.GetBytes(e.Headers)).ToArray();
        // The leaf documents as an audit bundle carries them (JSON text), for the verifier.
        var documents = events.Select(e => Encoding.UTF8.GetBytes(LeafDocumentOf(e).ToJsonString())).ToArray();
        var signer = BouncyCastleEd25519Signer.Generate("bench.bund-laender-koordination");

        Task<Segment> RawSha256() => Task.FromResult(Timed(events.Count, () =>
        {
            foreach (var b in bytes) SHA256.HashData(b);
        }));

        (MerkleTree Tree, SignedNote Checkpoint) Seal()
        {
            var tree = new MerkleTree();
            for (var i = 0; i < events.Count; i++) tree.Append(SealedLeafHash(events[i], bytes[i], headers[i]));
            var checkpoint = new Checkpoint("bench.bund-laender-koordination", tree.Size, tree.Root(), DateTimeOffset.UtcNow);
            return (tree, NoteSigning.Sign(checkpoint.Body(), signer));
        }

        var rows = new List<Row>();
        var sealing = await Rounds.Compare($"5. audit sealing of {events.Count:N0} stored events vs raw SHA-256 of their bytes", "events/s", settings.Rounds,
            _ => RawSha256(), _ => Task.FromResult(Timed(events.Count, () => Seal())), log);
        rows.Add(Figures.Throughput(sealing, "keeps up with 1,000 appends/s (≥ 1,000 events/s)", sealing.OursRate >= 1_000) with { Latency = "" });

        var (sealedTree, note) = Seal();
        var expectedRoot = sealedTree.Root();
        var verifying = await Rounds.Compare($"5. audit verification of {events.Count:N0} events (each leaf recomputed from the event's bytes, root rebuilt) vs raw SHA-256 of their bytes", "events/s", settings.Rounds,
            _ => RawSha256(),
            _ => Task.FromResult(Timed(events.Count, () =>
            {
                if (!signer.VerifierKey.Verify(note.Text, note.Signatures[0].Signature)) throw new InvalidOperationException("Checkpoint signature invalid.");
                // As the verifier does it: each event's leaf recomputed from its leaf document's bytes in the bundle.
                var tree = new MerkleTree();
                foreach (var document in documents) tree.Append(LeafDocument.Hash(document));
                if (!tree.Root().AsSpan().SequenceEqual(expectedRoot)) throw new InvalidOperationException("The rebuilt root differs.");
            })), log);
        rows.Add(Figures.Throughput(verifying, "≥ 0.40x raw SHA-256", verifying.MedianRatio >= 0.4) with { Latency = "" });

        // The whole verifier on a bundle of these events: the file parsed, leaves and root, versions, votes and text hashes checked.
        var bundle = BundleBytes(events, documents, signer);
        var whole = await Rounds.Compare($"5. verifier end to end on a bundle of {events.Count:N0} events (read, leaves, root, versions, votes, text hashes) vs raw SHA-256 of their bytes", "events/s", settings.Rounds,
            _ => RawSha256(),
            _ => Task.FromResult(Timed(events.Count, () =>
            {
                var parsed = BundleVerifier.ParseBundle(bundle) ?? throw new InvalidOperationException("The bundle could not be read.");
                var report = BundleVerifier.Verify(parsed, [signer.VerifierKey]);
                if (report.Findings.Any(f => f.Code is FindingCodes.LeafMismatch or FindingCodes.RootMismatch))
                    throw new InvalidOperationException("The verifier found leaves that differ from the sealed ones.");
            })), log);
        rows.Add(Figures.Throughput(whole) with { Latency = "" });

        // Proof generation: inclusion proofs of random leaves and consistency proofs from random earlier sizes.
        var random = new Random(8);
        var size = sealedTree.Size;
        var inclusion = MeasureEach(settings.ProofSamples, () =>
        {
            var index = random.NextInt64(size);
            var proof = sealedTree.InclusionProof(index, size);
            if (!Merkle.VerifyInclusion(index, size, sealedTree.LeafHash(index), proof, expectedRoot)) throw new InvalidOperationException("Inclusion proof invalid.");
        });
        var consistency = MeasureEach(settings.ProofSamples, () =>
        {
            var first = random.NextInt64(1, size + 1);
            var proof = sealedTree.ConsistencyProof(first, size);
            if (!Merkle.VerifyConsistency(first, size, sealedTree.Root(first), expectedRoot, proof)) throw new InvalidOperationException("Consistency proof invalid.");
        });
        rows.Add(new Row($"5. inclusion proof in a log of {size:N0} events (produce and check)", $"{Comparison.Percentile(inclusion, 50) * 1000:N0} µs (p50)", "",
            0, $"p50 {Figures.Ms(Comparison.Percentile(inclusion, 50))}, p99 {Figures.Ms(Comparison.Percentile(inclusion, 99))}", 0, 0, "", null));
        rows.Add(new Row($"5. consistency proof in a log of {size:N0} events (produce and check)", $"{Comparison.Percentile(consistency, 50) * 1000:N0} µs (p50)", "",
            0, $"p50 {Figures.Ms(Comparison.Percentile(consistency, 50))}, p99 {Figures.Ms(Comparison.Percentile(consistency, 99))}", 0, 0, "", null));
        rows.AddRange(await SealerAsync());
        return rows;
    }

    /// <summary>
    /// The service's own sealer (<see cref="AuditLog"/>, running in the service as in production): how fast it works
    /// off a backlog, and how far it trails appends arriving at 1,000 events per second ("sealed" = the event's leaf
    /// is committed in the log; checkpoints are signed from those leaves every few seconds).
    /// </summary>
    private async Task<List<Row>> SealerAsync()
    {
        var sealer = env.Services.GetRequiredService<AuditLog>();
        var timeout = TimeSpan.FromSeconds(120);
        await WaitUntilSealedAsync(sealer, await MaxSequenceAsync(), timeout);

        var began = Stopwatch.GetTimestamp();
        var id = await Scenario.LongStreamAsync(env.Store, settings.SealerBacklog);
        var backlogEnd = await MaxSequenceAsync();
        var written = Stopwatch.GetElapsedTime(began);
        var start = sealer.TreeSize;
        var caughtUp = await WaitUntilSealedAsync(sealer, backlogEnd, timeout);
        var sealedCount = backlogEnd - start;
        var backlogRate = sealedCount / Math.Max(caughtUp.TotalSeconds, 1e-3);
        log($"  sealer: {settings.SealerBacklog:N0} events appended in {written.TotalSeconds:F1} s; the remaining {sealedCount:N0} sealed {caughtUp.TotalSeconds:F1} s later");

        // Appends paced at 1,000 events per second in batches of 50, each batch's lag timed until its last event is sealed.
        var state = await LoadStateAsync(id);
        var lags = new List<double>();
        var pending = new Queue<(long Seq, long CommittedAt)>();
        var monitor = Task.Run(async () =>
        {
            while (true)
            {
                (long Seq, long CommittedAt) next;
                lock (pending)
                {
                    if (pending.Count == 0) { if (_pacingDone) return; next = (-1, 0); }
                    else next = pending.Peek();
                }
                if (next.Seq >= 0 && sealer.TreeSize >= next.Seq)
                {
                    lock (pending) pending.Dequeue();
                    lags.Add(Stopwatch.GetElapsedTime(next.CommittedAt).TotalMilliseconds);
                    continue;
                }
                await Task.Delay(5);
            }
        });
        var paced = settings.Segment * 3;
        var pacingStart = Stopwatch.GetTimestamp();
        var appended = 0;
        var events = Scenario.Negotiation(state, int.MaxValue).GetEnumerator();
        while (Stopwatch.GetElapsedTime(pacingStart) < paced)
        {
            var due = (int)(Stopwatch.GetElapsedTime(pacingStart).TotalSeconds * 1_000) + 50;
            if (appended >= due) { await Task.Delay(5); continue; }
            var batch = new List<object>(50);
            while (batch.Count < 50 && events.MoveNext()) batch.Add(events.Current);
            await using (var session = env.Store.LightweightSession())
            {
                session.Events.Append(id, batch);
                await session.SaveChangesAsync();
            }
            var committedAt = Stopwatch.GetTimestamp();
            var seq = await MaxSequenceAsync();
            lock (pending) pending.Enqueue((seq, committedAt));
            appended += batch.Count;
        }
        var pacedRate = appended / Stopwatch.GetElapsedTime(pacingStart).TotalSeconds;
        _pacingDone = true;
        if (await Task.WhenAny(monitor, Task.Delay(timeout)) != monitor) throw new TimeoutException("The sealer did not catch up with the paced appends.");
        var lagArray = lags.ToArray();
        var p99 = Comparison.Percentile(lagArray, 99);
        var contended = await ContendedSealerLagAsync(sealer, timeout);
        return
        [
            new Row($"5. sealer working off a backlog of {sealedCount:N0} events", Figures.Rate(backlogRate, "events/s"), "", 0, "", 0, 0,
                "keeps up with 1,000 appends/s", backlogRate >= 1_000),
            new Row($"5. sealer lag at {pacedRate:N0} appended events/s for {paced.TotalSeconds:0.#} s", $"{lagArray.Length} batches of 50", "", 0,
                $"lag p50 {Figures.Ms(Comparison.Percentile(lagArray, 50))}, p99 {Figures.Ms(p99)}, max {Figures.Ms(lagArray.DefaultIfEmpty().Max())}", 0, 0,
                "lag under 1 s", p99 < 1_000 && pacedRate >= 900),
            contended,
        ];
    }

    /// <summary>
    /// The sealer's lag while <see cref="BenchSettings.ContendedClients"/> clients vote over HTTP on one and the same
    /// resolution (each for its own Land, alternating yes and no so that every vote appends). The votes queue on
    /// the resolution's stream lock; any gap a failed write leaves is settled by the sealer. The lag of each event written
    /// during the measurement is its leaf's <c>sealed_at</c> minus the event's own timestamp (both PostgreSQL's
    /// clock); reported with the vote throughput reached.
    /// </summary>
    private async Task<Row> ContendedSealerLagAsync(AuditLog sealer, TimeSpan timeout)
    {
        var clients = settings.ContendedClients;
        var lands = Enumerable.Range(0, clients).Select(i => Scenario.Laender[i % Scenario.Laender.Length]).ToArray();
        var id = await Scenario.ProposeOverHttpAsync(env, lands[0]);
        // Warm-up outside the measurement (the endpoint's first requests pay for JIT): every Land votes yes once, so
        // that the measured votes, starting with no, each change the Land's vote and append.
        foreach (var land in lands.Distinct())
            await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, $"/api/resolutions/{id}/votes", env.Tokens[land], """{"choice":"yes","textVersion":1}"""));
        await WaitUntilSealedAsync(sealer, await MaxSequenceAsync(), timeout);

        var from = await MaxSequenceAsync();
        var duration = settings.Segment * 3;
        string? firstRefusal = null;
        var segment = await Rounds.ClosedLoop(clients, duration, async (c, n) =>
        {
            var (ok, body) = await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, $"/api/resolutions/{id}/votes", env.Tokens[lands[c]],
                $$"""{"choice":"{{(n % 2 == 0 ? "no" : "yes")}}","textVersion":1}"""));
            if (!ok) Interlocked.CompareExchange(ref firstRefusal, body, null);
            return ok;
        }, () => env.Retries);
        if (firstRefusal is not null) log($"  contended: {segment.Failures} votes refused, the first with: {firstRefusal[..Math.Min(firstRefusal.Length, 400)]}");
        var to = await MaxSequenceAsync();
        await WaitUntilSealedAsync(sealer, to, timeout);

        var lags = new List<double>();
        await using (var command = env.Raw.CreateCommand(
                         "select extract(epoch from (l.sealed_at - e.timestamp)) * 1000 from blk.mt_events e join blk.audit_leaves l on l.seq = e.seq_id " +
                         "where e.seq_id > $1 and e.seq_id <= $2 and e.stream_id = $3"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            command.Parameters.Add(new NpgsqlParameter { Value = to });
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) lags.Add((double)reader.GetDecimal(0));
        }
        long gaps;
        await using (var command = env.Raw.CreateCommand("select count(*) from blk.audit_leaves where kind = 'gap' and seq > $1 and seq <= $2"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            command.Parameters.Add(new NpgsqlParameter { Value = to });
            gaps = (long)(await command.ExecuteScalarAsync())!;
        }
        var lagArray = lags.ToArray();
        var p99 = Comparison.Percentile(lagArray, 99);
        log($"  contended: {clients} clients, {segment.Rate:F0} votes/s, {segment.Retries} retries, {gaps} gaps settled, {lagArray.Length} events sealed, lag p99 {p99:F0} ms");
        return new Row($"5. sealer lag while {clients} clients vote on one resolution over HTTP for {duration.TotalSeconds:0.#} s",
            $"{Figures.Rate(segment.Rate, "votes/s")}; {lagArray.Length:N0} events, {gaps:N0} gaps settled", "", 0,
            lagArray.Length == 0 ? "" : $"lag p50 {Figures.Ms(Comparison.Percentile(lagArray, 50))}, p99 {Figures.Ms(p99)}, max {Figures.Ms(lagArray.Max())}",
            segment.Failures, segment.Retries, "lag p99 < 1 s, no non-2xx", lagArray.Length > 0 && p99 < 1_000 && segment.Failures == 0);
    }

    private volatile bool _pacingDone;

    private async Task<Api.Resolutions.Resolution> LoadStateAsync(Guid id)
    {
        await using var session = env.Store.QuerySession();
        return await session.LoadAsync<Api.Resolutions.Resolution>(id) ?? throw new InvalidOperationException("No resolution.");
    }

    private async Task<long> MaxSequenceAsync()
    {
        await using var command = env.Raw.CreateCommand("select coalesce(max(seq_id), 0) from blk.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<TimeSpan> WaitUntilSealedAsync(AuditLog sealer, long seq, TimeSpan timeout)
    {
        var began = Stopwatch.GetTimestamp();
        while (sealer.TreeSize < seq)
        {
            if (Stopwatch.GetElapsedTime(began) > timeout)
                throw new TimeoutException($"The sealer reached {sealer.TreeSize} of {seq} events within {timeout.TotalSeconds} s.");
            await Task.Delay(5);
        }
        return Stopwatch.GetElapsedTime(began);
    }

    /// <summary>An audit bundle of all the events (gap leaves where a sequence number is missing), as the export writes it.</summary>
    private static byte[] BundleBytes(List<StoredEvent> events, byte[][] documents, BouncyCastleEd25519Signer signer)
    {
        var tree = new MerkleTree();
        var gaps = new List<long>();
        long seq = 0;
        foreach (var (e, document) in events.Zip(documents))
        {
            while (++seq < e.Seq)
            {
                gaps.Add(seq);
                tree.Append(LeafDocument.Hash(LeafDocument.ForGap(seq)));
            }
            tree.Append(LeafDocument.Hash(document));
        }
        var checkpoint = new Checkpoint("bench.bund-laender-koordination", tree.Size, tree.Root(), DateTimeOffset.UtcNow);
        var leaves = Enumerable.Range(0, (int)tree.Size).Select(i => Convert.ToBase64String(tree.LeafHash(i))).ToList();
        var bundle = new AuditBundle(AuditBundle.CurrentFormat, "bench.bund-laender-koordination", new BundleScope(BundleScope.All, null),
            DateTimeOffset.UtcNow, leaves, gaps, [NoteSigning.Sign(checkpoint.Body(), signer).ToString()], [signer.VerifierKey.ToString()],
            documents.Select(d => JsonNode.Parse(d)!.AsObject()).ToList());
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(bundle, AuditJson.Options);
    }

    // As the sealer does it: the leaf straight from the row's columns.
    private static byte[] SealedLeafHash(StoredEvent e, byte[] data, byte[]? headers) => LeafDocument.HashEvent(
        e.Seq, e.Id, e.Stream, e.Version, e.Type, e.Timestamp, data, e.UserName, e.CorrelationId, e.CausationId,
        headers, headers is not null, e.Tenant);

    private static JsonObject LeafDocumentOf(StoredEvent e) => LeafDocument.ForEvent(
        e.Seq, e.Id, e.Stream, e.Version, e.Type, e.Timestamp, JsonNode.Parse(e.Data), e.UserName, e.CorrelationId, e.CausationId,
        e.Headers is null ? null : JsonNode.Parse(e.Headers), e.Tenant);

    private static Segment Timed(long units, Action work)
    {
        var began = Stopwatch.GetTimestamp();
        work();
        var elapsed = Stopwatch.GetElapsedTime(began);
        return new Segment(1, 0, 0, elapsed, [elapsed.TotalMilliseconds], units);
    }

    private static double[] MeasureEach(int samples, Action work)
    {
        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var began = Stopwatch.GetTimestamp();
            work();
            times[i] = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
        }
        return times;
    }

    private async Task<List<StoredEvent>> ReadEventsAsync()
    {
        await using var connection = await env.Raw.OpenConnectionAsync();
        // The sealer's own column list, so that the leaves are those it seals.
        var select = await EventRows.SelectListAsync(connection, env.Services.GetRequiredService<AuditTables>(), CancellationToken.None);
        await using var command = new NpgsqlCommand($"select {select} from blk.mt_events order by seq_id limit $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (long)settings.AuditEvents });
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<StoredEvent>();
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync())
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), Text(7), Text(8), Text(9), Text(10), Text(11)));
        }
        if (events.Count == 0) throw new InvalidOperationException("No stored events to seal.");
        return events;
    }
}
