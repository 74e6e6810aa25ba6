using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Verifier;
using Npgsql;
using Shouldly;
using Xunit.Abstractions;

namespace BundLaenderKoordination.IntegrationTests.Cluster;

/// <summary>
/// Three nodes of the built service as separate processes on one PostgreSQL, behind a real HAProxy. Under a bounded
/// write load through the load balancer the node that seals the audit log (the first one, which also holds projection
/// shards) is killed with SIGKILL. Every acknowledged write must be in the store, sealing and projections must resume on
/// another node within 10 s, a written-procedure deadline that falls due meanwhile must fire exactly once, the offline
/// verifier must find the exported log clean, and live-stream clients must miss nothing and see nothing twice.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FailoverTests(AppFixture app, ITestOutputHelper output)
{
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Killing_the_sealing_node_under_load_loses_no_acknowledged_write_and_its_work_moves()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(app.ConnectionString, app.KeyCertificateFile, nodes: 3, Log);
        var api = new ClusterApi(cluster.Url);

        // The first node took the sealer lock; it also runs projection shards (Wolverine spreads them over the nodes).
        var victim = await UntilAsync("a node seals the audit log", TimeSpan.FromSeconds(60), async () =>
        {
            foreach (var node in cluster.Nodes)
                if ((await LocalCluster.NodeInfoAsync(node))?["sealing"]?.GetValue<bool>() == true) return node;
            return null;
        });
        var victimNodeId = (await LocalCluster.NodeInfoAsync(victim))!["nodeId"]!.GetValue<Guid>();
        var shardsOfVictim = await UntilAsync("the projection shards are assigned", TimeSpan.FromSeconds(60), async () =>
        {
            var all = await Assignments(cluster.Schema);
            return all.Count(a => a.Agent.StartsWith("event-subscriptions://", StringComparison.Ordinal)) > 0 ? all : null;
        });
        Log($"{victim.Name} seals; agents: {string.Join(", ", shardsOfVictim.Select(a => $"{a.Agent} -> {(a.Node == victimNodeId ? victim.Name : a.Node.ToString()[..8])}"))}");
        shardsOfVictim.ShouldContain(a => a.Node == victimNodeId && a.Agent.StartsWith("event-subscriptions://", StringComparison.Ordinal),
            "the sealing node also runs projection shards, so that killing it moves both");

        // Each node generates its endpoint code at the first request (Development): warm every node up front, so that
        // what is measured later is the failover, not the code generation of a busy machine.
        var warmUp = Stopwatch.StartNew();
        foreach (var node in cluster.Nodes)
        {
            var direct = new ClusterApi(node.Url);
            var token = await direct.Token("Vertretung Hessen", "DE-HE", "representative");
            var id = await direct.Propose(token, "D16", "Aufwärmen", "Ein Absatz.");
            (await direct.Send(HttpMethod.Get, $"/api/resolutions/{id}", token)).Status.ShouldBe(200);
            var live = new SseClient(node.Url + "/api/bodies/D16/live", await direct.Token($"Aufwärmen {node.Name}", null, "observer"));
            using var warm = new CancellationTokenSource();
            live.Start(warm.Token);
            await UntilAsync($"the live stream of {node.Name} answers", TimeSpan.FromMinutes(3), () => Task.FromResult(live.NodesServed.Count > 0 ? live : null));
            warm.Cancel();
        }
        Log($"nodes warmed up in {warmUp.Elapsed.TotalSeconds:0.0} s");

        var representative = await api.Token("Vertretung Bayern", "DE-BY", "representative");
        var chairBund = await api.Token("Vorsitz Bund", "BUND", "chair");
        var auditor = await api.Token("Prüferin", null, "auditor");

        // Live-stream clients through the load balancer until one of them is served by the node about to die.
        using var stop = new CancellationTokenSource();
        using var stopListening = new CancellationTokenSource();
        var clients = new List<SseClient>();
        for (var i = 0; i < 6 && !clients.Any(c => c.NodesServed.Contains(victim.Name)); i++)
        {
            var client = new SseClient(cluster.Url + "/api/bodies/D16/live", await api.Token($"Beobachtung {i}", null, "observer"));
            client.Start(stopListening.Token);
            try { await UntilAsync("the live stream is connected", TimeSpan.FromSeconds(120), () => Task.FromResult(client.NodesServed.Count > 0 ? client : null)); }
            catch (Xunit.Sdk.XunitException e) { throw new Xunit.Sdk.XunitException($"{e.Message} Last error: {client.LastError}"); }
            clients.Add(client);
        }
        clients.ShouldContain(c => c.NodesServed.Contains(victim.Name), "a live-stream client is served by the node that dies");

        // A written procedure whose deadline falls due while the node is dead (BL-KI decides by silence), started on the
        // node that dies: its deadline is a scheduled message in PostgreSQL that this node owns.
        var procedure = await api.Propose(representative, "BL-KI", "Gemeinsame Cloud", "Bund und Länder nutzen eine gemeinsame Cloud.");
        var deadline = DateTimeOffset.UtcNow.AddSeconds(6);
        var started = await new ClusterApi(victim.Url).Send(HttpMethod.Post, $"/api/resolutions/{procedure}/written-procedure", chairBund, new { deadline = deadline.ToString("O") });
        started.Status.ShouldBe(201, started.Body);

        // The bounded load: three writers, each proposing a resolution every 100 ms, through the load balancer.
        var acknowledged = new ConcurrentBag<Guid>();
        var failures = new ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    var id = await api.Propose(representative, "D16", $"Last {w}-{n}", $"Absatz {n} des Schreibers {w}.", throwOnFailure: false);
                    if (id is { } ok) acknowledged.Add(ok);
                    else failures.Add("refused");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failures.Add(e.GetType().Name);
                }
                await Task.Delay(100);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        var beforeKill = acknowledged.Count;
        LocalCluster.Kill(victim);
        var killedAt = Stopwatch.StartNew();
        var killedAtUtc = DateTimeOffset.UtcNow;
        var seqAtKill = await Scalar<long>($"SELECT coalesce(max(seq_id), 0) FROM {cluster.Schema}.mt_events");
        Log($"killed {victim.Name} (kill -9) at sequence {seqAtKill} after {beforeKill} acknowledged writes; deadline falls due {(deadline - killedAtUtc).TotalSeconds:0.0} s later");

        // Takeover, measured from the kill: another node holds the sealer lock and seals events appended after the kill;
        // every projection shard has applied events appended after the kill.
        var survivors = cluster.Nodes.Where(n => n != victim).ToList();
        var sealerLock = await UntilAsync("another node takes the sealer lock", TimeSpan.FromSeconds(60), async () =>
        {
            foreach (var node in survivors)
                if ((await LocalCluster.NodeInfoAsync(node))?["sealing"]?.GetValue<bool>() == true) return (TimeSpan?)killedAt.Elapsed;
            return null;
        });
        var sealing = await UntilAsync("sealing resumes", TimeSpan.FromSeconds(60), async () =>
            await Scalar<long>($"SELECT sealed_seq FROM {cluster.Schema}.audit_progress WHERE id = 1") > seqAtKill ? (TimeSpan?)killedAt.Elapsed : null);
        TimeSpan? ejected = null, reassigned = null;
        var projections = await UntilAsync("every projection shard resumes", TimeSpan.FromSeconds(60), async () =>
        {
            ejected ??= await Scalar<long>($"SELECT count(*) FROM {cluster.Schema}.wolverine_nodes WHERE id = '{victimNodeId}'") == 0 ? killedAt.Elapsed : null;
            var now = await Assignments(cluster.Schema);
            var shards = now.Where(a => a.Agent.StartsWith("event-subscriptions://", StringComparison.Ordinal)).ToList();
            reassigned ??= shards.Count == shardsOfVictim.Count(a => a.Agent.StartsWith("event-subscriptions://", StringComparison.Ordinal))
                           && shards.All(a => a.Node != victimNodeId) ? killedAt.Elapsed : null;
            return await Scalar<long>($"SELECT coalesce(min(last_seq_id), 0) FROM {cluster.Schema}.mt_event_progression WHERE name NOT LIKE 'HighWater%'") > seqAtKill
                ? (TimeSpan?)killedAt.Elapsed : null;
        });
        var moved = await Assignments(cluster.Schema);
        Log($"sealer lock taken after {sealerLock!.Value.TotalSeconds:0.0} s, sealing resumed after {sealing!.Value.TotalSeconds:0.0} s, " +
            $"{victim.Name} counted dead after {ejected?.TotalSeconds:0.0} s, its shards reassigned after {reassigned?.TotalSeconds:0.0} s, " +
            $"every projection shard resumed after {projections!.Value.TotalSeconds:0.0} s; agents now: {string.Join(", ", moved.Select(a => $"{a.Agent} -> {a.Node.ToString()[..8]}"))}");

        // The deadline fires once, on a surviving node.
        var ended = await UntilAsync("the written procedure ends at its deadline", TimeSpan.FromSeconds(90), async () =>
            await Scalar<long>($"SELECT count(*) FROM {cluster.Schema}.mt_events WHERE stream_id = '{procedure}' AND type = 'written_procedure_ended'") > 0
                ? await Scalar<DateTime>($"SELECT timestamp FROM {cluster.Schema}.mt_events WHERE stream_id = '{procedure}' AND type = 'written_procedure_ended'") : (DateTime?)null);
        Log($"the deadline fired {(new DateTimeOffset(ended!.Value, TimeSpan.Zero) - deadline).TotalSeconds:0.0} s after it fell due");

        await Task.Delay(TimeSpan.FromSeconds(3));
        stop.Cancel();
        await Task.WhenAll(writers);
        Log($"{acknowledged.Count} writes acknowledged ({acknowledged.Count - beforeKill} after the kill), {failures.Count} failed: " +
            string.Join(", ", failures.GroupBy(f => f).Select(g => $"{g.Count()} {g.Key}")));

        // Every acknowledged write is in the store.
        var stored = await Scalar<long>($"SELECT count(*) FROM {cluster.Schema}.mt_streams WHERE id = ANY(@ids)", acknowledged.ToArray());
        stored.ShouldBe(acknowledged.Count, "every acknowledged write is in the store");
        (acknowledged.Count - beforeKill).ShouldBeGreaterThan(0, "writes went on through the other nodes");

        // Fired exactly once, with nothing fired twice later either.
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await Scalar<long>($"SELECT count(*) FROM {cluster.Schema}.mt_events WHERE stream_id = '{procedure}' AND type = 'written_procedure_ended'")).ShouldBe(1);
        (await Scalar<long>($"SELECT count(*) FROM {cluster.Schema}.mt_events WHERE stream_id = '{procedure}' AND type = 'resolution_adopted'")).ShouldBe(1);

        // The whole log, exported from each surviving node (one seals, one follows), verifies clean offline.
        var key = Path.Combine(cluster.Folder, "log.pub");
        await File.WriteAllTextAsync(key, await LocalCluster.Http.GetStringAsync(cluster.Url + "/api/audit/public-keys"));
        foreach (var node in survivors)
        {
            var bundle = Path.Combine(cluster.Folder, $"bundle-{node.Name}.json");
            using var request = new HttpRequestMessage(HttpMethod.Get, node.Url + "/api/audit/bundle");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auditor);
            using var response = await LocalCluster.Http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            ((int)response.StatusCode).ShouldBe(200, System.Text.Encoding.UTF8.GetString(body));
            await File.WriteAllBytesAsync(bundle, body);
            var (verifierOutput, verifierError) = (new StringWriter(), new StringWriter());
            var exit = VerifyCommand.Run(["verify", bundle, "--key", key], verifierOutput, verifierError);
            exit.ShouldBe(0, $"the verifier finds the bundle from {node.Name} clean:\n{verifierOutput}\n{verifierError}");
            Log($"bundle exported from {node.Name}: {body.Length} bytes, verifier exit {exit}");
        }

        // The live streams: a fresh reader from the start gets the complete timeline; every client that lived through
        // the kill has exactly the same entries, in the same order, none twice.
        var everything = new SseClient(cluster.Url + "/api/bodies/D16/live", await api.Token("Beobachtung Prüfung", null, "observer"));
        using var stopReference = new CancellationTokenSource();
        everything.Start(stopReference.Token);
        var last = await Scalar<long>($"SELECT max(seq_id) FROM {cluster.Schema}.mt_events");
        var complete = new List<long>();
        for (var quiet = 0; quiet < 3; )
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = everything.Snapshot();
            quiet = now.Count > 0 && now.Count == complete.Count ? quiet + 1 : 0;
            complete = now;
            if (clock.Elapsed > TimeSpan.FromMinutes(15)) throw new Xunit.Sdk.XunitException("The fresh reader never settled.");
        }
        foreach (var id in acknowledged)
            everything.Streams.ShouldContain(id, "every acknowledged proposal is in the body's timeline");
        stopReference.Cancel();
        foreach (var client in clients)
        {
            try
            {
                await UntilAsync("the client caught up", TimeSpan.FromSeconds(60), () =>
                    Task.FromResult(client.Snapshot() is { Count: > 0 } ids && ids[^1] >= complete[^1] ? client : null));
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"{e.Message} The complete timeline ends at {complete[^1]} ({complete.Count} entries); the clients: " +
                    string.Join("; ", clients.Select(c => c.Describe())));
            }
            client.Duplicates.ShouldBe(0, "no entry arrived twice");
            client.Snapshot().ShouldBe(complete, $"the client served by {string.Join(", ", client.NodesServed)} has every entry");
        }
        var resumed = clients.Single(c => c.NodesServed.Contains(victim.Name) && c.NodesServed.Count > 1);
        Log($"live streams: {complete.Count} entries up to sequence {complete[^1]} (store: {last}); the client on {victim.Name} resumed on " +
            $"{string.Join(", ", resumed.NodesServed.Skip(1))} after {resumed.Reconnects} reconnect(s)");
        stopListening.Cancel();
        Log($"the whole test took {clock.Elapsed.TotalSeconds:0} s");

        sealerLock.Value.ShouldBeLessThanOrEqualTo(Takeover);
        sealing.Value.ShouldBeLessThanOrEqualTo(Takeover);
        projections.Value.ShouldBeLessThanOrEqualTo(Takeover);
    }

    private void Log(string line) => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

    private async Task<T> UntilAsync<T>(string what, TimeSpan limit, Func<Task<T?>> probe, TimeSpan? poll = null)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found) return found;
            if (until.Elapsed > limit) throw new Xunit.Sdk.XunitException($"Not within {limit.TotalSeconds:0} s: {what}.");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task<T> Scalar<T>(string sql, object? ids = null)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (ids is not null) command.Parameters.AddWithValue("ids", ids);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<(string Agent, Guid Node)>> Assignments(string schema)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT id, node_id FROM {schema}.wolverine_node_assignments ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<(string, Guid)>();
        while (await reader.ReadAsync()) result.Add((reader.GetString(0), reader.GetGuid(1)));
        return result;
    }
}

/// <summary>The API over plain HTTP (no test host): what a client of the load balancer sees.</summary>
public sealed class ClusterApi(string url)
{
    public async Task<string> Token(string name, string? land, params string[] roles)
    {
        using var response = await LocalCluster.Http.PostAsJsonAsync(url + "/api/dev/tokens", new { name, land, roles });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    public async Task<(int Status, string Body)> Send(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await LocalCluster.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Proposes a resolution; its id once the service acknowledged it (201), else null or an exception.</summary>
    public async Task<Guid?> Propose(string token, string body, string title, string paragraph, bool throwOnFailure = true)
    {
        var (status, answer) = await Send(HttpMethod.Post, "/api/resolutions", token, new { body, title, paragraphs = new[] { paragraph } });
        if (status == 201) return JsonNode.Parse(answer)!["id"]!.GetValue<Guid>();
        if (throwOnFailure) throw new InvalidOperationException($"Proposing was refused: {status} {answer}");
        return null;
    }

    public async Task<Guid> Propose(string token, string body, string title, string paragraph) =>
        (await Propose(token, body, title, paragraph, throwOnFailure: true))!.Value;
}

/// <summary>
/// A Server-Sent Events client as a browser's EventSource is one: when the connection ends it connects again (through
/// the load balancer, so to another node when its node died) with <c>Last-Event-ID</c> set to the last id it received.
/// </summary>
public sealed class SseClient(string url, string token)
{
    private readonly List<long> _ids = [];
    private long _last;
    private Task? _running;

    public List<string> NodesServed { get; } = [];
    public HashSet<Guid> Streams { get; } = [];
    public int Duplicates { get; private set; }
    public int Reconnects { get; private set; }
    public string? LastError { get; private set; }

    public string Describe()
    {
        lock (_ids)
            return $"{_ids.Count} entries up to {_last}, served by {string.Join(", ", NodesServed)}, {Reconnects} reconnects, {Duplicates} duplicates, " +
                   $"last error: {LastError ?? "none"}, {(_running?.IsFaulted == true ? "failed: " + _running.Exception?.InnerException?.Message : _running?.IsCompleted == true ? "ended" : "running")}";
    }

    public List<long> Snapshot()
    {
        lock (_ids) return [.. _ids];
    }

    public void Start(CancellationToken stop) => _running = Task.Run(() => RunAsync(stop));

    private async Task RunAsync(CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (_last > 0) request.Headers.Add("Last-Event-ID", _last.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                if (!response.IsSuccessStatusCode) throw new HttpRequestException($"live stream answered {(int)response.StatusCode}");
                lock (_ids) NodesServed.Add(response.Headers.TryGetValues("X-Node", out var node) ? node.First() : "?");
                if (attempt > 0) Reconnects++;
                await using var stream = await response.Content.ReadAsStreamAsync(stop);
                using var reader = new StreamReader(stream);
                long? id = null;
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..])?["streamId"]?.GetValue<Guid>() is { } streamId)
                        lock (_ids) Streams.Add(streamId);
                    else if (line.Length == 0 && id is { } complete)
                    {
                        lock (_ids)
                        {
                            if (complete <= _last) Duplicates++;
                            else
                            {
                                _ids.Add(complete);
                                _last = complete;
                            }
                        }
                        id = null;
                    }
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                LastError = $"{e.GetType().Name}: {e.Message}";
            }
            catch (OperationCanceledException)
            {
            }
            if (!stop.IsCancellationRequested) await Task.Delay(200, CancellationToken.None);
        }
    }
}
