using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Alba;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Auditing;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using Xunit.Abstractions;

namespace BundLaenderKoordination.IntegrationTests.Exports;

/// <summary>
/// The audit bundle is written to the response as it is read from PostgreSQL: the same bytes as the bundle built in
/// memory, and an export of 100,000 events that the process's memory hardly notices.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditBundleStreamingTests(AppFixture app, ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task The_streamed_bundle_has_exactly_the_bytes_of_the_bundle_built_in_memory_in_every_scope()
    {
        var audit = new AuditScenario(app);
        var negotiation = await audit.FullNegotiation();
        await audit.SealEverything();
        var keys = new[] { audit.Log.Key.VerifierKey.ToString() };
        var now = DateTimeOffset.UtcNow;
        var cases = new (BundleScope Scope, IReadOnlySet<Guid> Hidden)[]
        {
            (new BundleScope(BundleScope.All, null), new HashSet<Guid>()),
            // A withheld resolution: its events leave the bundle and their numbers are listed as redacted.
            (new BundleScope(BundleScope.All, null), new HashSet<Guid> { negotiation.Id }),
            (new BundleScope(BundleScope.Resolution, negotiation.Id.ToString("D")), new HashSet<Guid>()),
            (new BundleScope(BundleScope.Body, "D16"), new HashSet<Guid>()),
        };
        foreach (var (scope, hidden) in cases)
        {
            await using var connection = new NpgsqlConnection(app.ConnectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
            var built = await AuditExport.ReadBundleAsync(connection, audit.Tables, audit.Log.Origin, keys, scope, now, default, hidden);
            var streamed = new MemoryStream();
            await AuditBundleStream.WriteAsync(streamed, connection, audit.Tables, audit.Log.Origin, keys, scope, now, hidden, default);

            var expected = JsonSerializer.SerializeToUtf8Bytes(built, AuditJson.Options);
            streamed.ToArray().ShouldBe(expected, $"scope {scope.Kind}, {hidden.Count} hidden");
            built.Events.ShouldNotBeEmpty();
            if (hidden.Count > 0) built.Redacted!.ShouldNotBeEmpty();
            (await AuditBundleStream.HasEventsAsync(connection, audit.Tables, scope, hidden, default)).ShouldBeTrue();
        }
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            (await AuditBundleStream.HasEventsAsync(connection, audit.Tables, new BundleScope(BundleScope.Resolution, Guid.NewGuid().ToString("D")),
                new HashSet<Guid>(), default)).ShouldBeFalse();
            (await AuditBundleStream.HasEventsAsync(connection, audit.Tables, new BundleScope(BundleScope.Resolution, negotiation.Id.ToString("D")),
                new HashSet<Guid> { negotiation.Id }, default)).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task An_export_of_100000_events_grows_the_managed_heap_by_less_than_50_MiB_and_verifies_clean()
    {
        // A host of its own (own schema, no projection daemon), so that the shared database stays small for the other tests.
        await using var host = await app.StartHost("Development", settings: new Dictionary<string, string> { ["Projections:Run"] = "false" });
        var api = new ApiClient(host);
        var audit = new AuditScenario(host, app.ConnectionString);
        var store = host.Services.GetRequiredService<IDocumentStore>();

        var began = Stopwatch.GetTimestamp();
        const int streams = 10, perStream = 10_000;
        var proposer = await api.Representative("DE-BY");
        // Two resolutions at a time, each filled in batches of 5,000 events.
        await Parallel.ForEachAsync(Enumerable.Range(1, streams), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (n, _) =>
        {
            var id = (await api.Propose(proposer, $"Beschluss {n} zur Registermodernisierung",
                "Die Länder modernisieren ihre Register gemeinsam.", "Der Bund unterstützt die Länder dabei.")).Id;
            await using var query = store.QuerySession();
            var state = await query.Events.AggregateStreamAsync<Resolution>(id) ?? throw new InvalidOperationException("No resolution.");
            foreach (var chunk in Negotiation(state, perStream).Chunk(5_000))
            {
                await using var session = store.LightweightSession();
                session.Events.Append(id, chunk);
                await session.SaveChangesAsync();
            }
        });
        var sealedAt = await audit.SealEverything();
        sealedAt.TreeSize.ShouldBeGreaterThanOrEqualTo(streams * perStream);
        output.WriteLine($"{sealedAt.TreeSize:N0} events appended and sealed in {Stopwatch.GetElapsedTime(began).TotalSeconds:F1} s");

        var auditor = await audit.Auditor();
        var file = Path.Combine(Path.GetTempPath(), $"blk-bundle-{Guid.NewGuid():N}.json");
        try
        {
            var streamed = await Measure(async () =>
            {
                using var client = host.Server.CreateClient();
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/audit/bundle");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auditor);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                ((int)response.StatusCode).ShouldBe(200);
                response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
                response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
                await using var body = await response.Content.ReadAsStreamAsync();
                await using var target = File.Create(file);
                await body.CopyToAsync(target);
                return target.Length;
            });
            // In memory, as the bundle was built before it was streamed: the yardstick that shows the measurement sees a copy
            // (measured second, so that what it leaves behind does not hide the streamed export's growth).
            var inMemory = await Measure(async () =>
            {
                await using var connection = new NpgsqlConnection(app.ConnectionString);
                await connection.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
                var bundle = await AuditExport.ReadBundleAsync(connection, audit.Tables, audit.Log.Origin, [], new BundleScope(BundleScope.All, null),
                    DateTimeOffset.UtcNow, default);
                return JsonSerializer.SerializeToUtf8Bytes(bundle, AuditJson.Options).LongLength;
            });

            foreach (var (name, m) in new[] { ("streamed", streamed), ("in memory", inMemory) })
                output.WriteLine($"{name}: {m.Bytes / (double)MiB:F1} MiB file in {m.Seconds:F1} s; heap after collections grew by up to " +
                                 $"{m.HeapGrowth / (double)MiB:F1} MiB, working set by up to {m.WorkingSetGrowth / (double)MiB:F1} MiB ({m.Collections} collections)");

            streamed.Collections.ShouldBeGreaterThan(0, "without a collection during the export the heap's size says nothing");
            streamed.HeapGrowth.ShouldBeLessThan(50 * MiB);
            inMemory.HeapGrowth.ShouldBeGreaterThan(streamed.Bytes,
                "building the bundle in memory holds a copy of it; the measurement must see that");

            // The offline verifier reads the file as a whole (it is not a streaming reader).
            var read = BundleVerifier.ParseBundle(await File.ReadAllBytesAsync(file));
            read.ShouldNotBeNull();
            read.Events.Count.ShouldBeGreaterThanOrEqualTo(streams * perStream);
            read.Leaves.Count.ShouldBeGreaterThanOrEqualTo(streams * perStream);
            AuditScenario.ShouldBeClean(BundleVerifier.Verify(read, await audit.PinnedKeys()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record Measured(long Bytes, long HeapGrowth, long WorkingSetGrowth, int Collections, double Seconds);

    /// <summary>
    /// Runs <paramref name="export"/> while a thread samples the managed heap's size after each garbage collection
    /// (<see cref="GCMemoryInfo.HeapSizeBytes"/>: what the collector keeps, live objects and fragmentation) and the
    /// process's working set; answers the largest growth of each over a full collection before. The bytes allocated and
    /// not yet collected (up to a generation-0 budget, whatever is alive) are not counted: they are not memory the export holds.
    /// </summary>
    private static async Task<Measured> Measure(Func<Task<long>> export)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetGCMemoryInfo().HeapSizeBytes;
        var workingSet = Environment.WorkingSet;
        var collections = GC.CollectionCount(0);
        long peakHeap = baseline, peakWorkingSet = workingSet;
        var running = true;
        var sampler = new Thread(() =>
        {
            while (Volatile.Read(ref running))
            {
                peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                Thread.Sleep(2);
            }
        }) { IsBackground = true };
        sampler.Start();
        var began = Stopwatch.GetTimestamp();
        long bytes;
        try
        {
            bytes = await export();
        }
        finally
        {
            Volatile.Write(ref running, false);
            sampler.Join();
        }
        peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
        return new Measured(bytes, peakHeap - baseline, peakWorkingSet - workingSet, GC.CollectionCount(0) - collections,
            Stopwatch.GetElapsedTime(began).TotalSeconds);
    }

    private static readonly string[] Laender = Lands.Laender.ToArray();

    private static Caller Representative(string land) =>
        new("dev:last-" + land.ToLowerInvariant(), "Vertretung " + land, null, ImmutableHashSet<string>.Empty,
            [new HeldMandate(BodySeed.D16.Id, land, Roles.Representative)]);

    /// <summary>
    /// The events of a long negotiation, decided by the service's own rules on the state so far: every tenth a new text
    /// version, the others votes of the 16 Länder in turn.
    /// </summary>
    private static IEnumerable<object> Negotiation(Resolution start, int count)
    {
        var state = start;
        var now = DateTimeOffset.UtcNow;
        for (var k = 1; count > 0; k++)
        {
            var caller = Representative(Laender[k % Laender.Length]).In(BodySeed.D16.Id);
            var decision = k % 10 == 0
                ? ResolutionDecisions.EditText(state, BodySeed.D16,
                    [new ParagraphEdit("p1", $"Die Länder modernisieren ihre Register gemeinsam (Fassung {k})."), new ParagraphEdit("p2", state.Paragraphs[1].Text)],
                    caller, now)
                : ResolutionDecisions.Vote(state, BodySeed.D16, (VoteChoice)((k / Laender.Length) % 3), state.TextVersion, caller, now);
            foreach (var e in decision.Events)
            {
                if (count-- <= 0) yield break;
                state = Resolution.Next(state, e)!;
                yield return e;
            }
        }
    }
}
