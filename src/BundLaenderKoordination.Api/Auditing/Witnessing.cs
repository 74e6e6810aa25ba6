using System.Globalization;
using System.Net;
using System.Text;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Runtime.Handlers;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>One witness the service asks to cosign its checkpoints: where it listens and its pinned public key.</summary>
public sealed class WitnessEndpoint
{
    /// <summary>The witness's submission prefix; the service posts to <c>{Url}/add-checkpoint</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>Its public key, "name+keyid+base64(0x04 || key)"; only cosignatures that verify with it are kept.</summary>
    public string PublicKey { get; set; } = "";
}

/// <summary>Settings of witnessing (section <c>Witnessing</c>).</summary>
public sealed class WitnessingOptions
{
    public List<WitnessEndpoint> Witnesses { get; set; } = [];

    /// <summary>How many witnesses must have cosigned a checkpoint for it to count as witnessed (default: a majority).</summary>
    public int? Quorum { get; set; }

    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>How far a cosignature's time may lie after this service's clock; a later one is not kept (the witness is asked again).</summary>
    public double ClockToleranceSeconds { get; set; } = 60;

    public int EffectiveQuorum => Quorum ?? WitnessPolicy.Majority(Witnesses.Count);
}

/// <summary>The configured witnesses with their keys read; a key that is not a witness key stops the service at start.</summary>
public sealed class WitnessDirectory
{
    public WitnessDirectory(IOptions<WitnessingOptions> options)
    {
        var settings = options.Value;
        Witnesses = settings.Witnesses.Select((w, i) =>
        {
            var key = CosignerKey.TryParse(w.PublicKey, out var problem)
                      ?? throw new InvalidOperationException($"Witnessing:Witnesses:{i}:PublicKey is not a witness key: {problem}");
            if (!Uri.TryCreate(w.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new InvalidOperationException($"Witnessing:Witnesses:{i}:Url is not an http(s) URL.");
            return (Url: url, Key: key);
        }).ToList();
        Quorum = settings.EffectiveQuorum;
        ClockTolerance = TimeSpan.FromSeconds(settings.ClockToleranceSeconds);
        if (Witnesses.Count > 0 && (Quorum < 1 || Quorum > Witnesses.Count))
            throw new InvalidOperationException($"Witnessing:Quorum is {Quorum}; it lies between 1 and the {Witnesses.Count} witness(es).");
    }

    public IReadOnlyList<(Uri Url, CosignerKey Key)> Witnesses { get; }
    public int Quorum { get; }
    public TimeSpan ClockTolerance { get; }

    public (Uri Url, CosignerKey Key)? Find(string key) => Witnesses.FirstOrDefault(w => w.Key.ToString() == key) is { Key: not null } found ? found : null;
}

/// <summary>Ask one witness to cosign the checkpoint of that size (or a later one it has not cosigned yet).</summary>
public sealed record RequestCosignature(string WitnessKey, long TreeSize);

public static class WitnessingSetup
{
    public const string HttpClientName = "witnesses";

    /// <summary>
    /// Witnesses cosign the audit log's checkpoints: after each checkpoint the sealer signs, one message per configured
    /// witness goes to a durable local queue (Wolverine's inbox in PostgreSQL, so a request survives a restart); a witness
    /// that cannot be reached is asked again with growing pauses.
    /// </summary>
    public static void AddWitnessing(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<WitnessingOptions>(builder.Configuration.GetSection("Witnessing"));
        builder.Services.AddSingleton<WitnessDirectory>();
        builder.Services.AddHttpClient(HttpClientName, (sp, client) =>
            client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WitnessingOptions>>().Value.TimeoutSeconds));
        builder.Services.AddHostedService<CheckpointAnnouncer>();
        builder.Services.ConfigureWolverine(options => options.LocalQueueFor<RequestCosignature>().UseDurableInbox());
    }
}

/// <summary>
/// Turns each checkpoint the sealer signs into a request to every configured witness. Once the service has started, the
/// latest checkpoint already stored is announced as well: one signed before this node listened (just before a restart,
/// or before witnesses were configured) would otherwise wait for the next write to be cosigned. The handler skips a
/// witness that already cosigned it, so every node announcing it at its start costs one look-up each.
/// </summary>
public sealed class CheckpointAnnouncer(AuditLog log, WitnessDirectory witnesses, AuditTables tables, IHostApplicationLifetime lifetime,
    IServiceProvider services, ILogger<CheckpointAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (witnesses.Witnesses.Count == 0) return Task.CompletedTask;
        log.CheckpointSigned += AnnounceAsync;
        lifetime.ApplicationStarted.Register(() => _ = AnnounceLatestStoredAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        log.CheckpointSigned -= AnnounceAsync;
        return Task.CompletedTask;
    }

    private Task AnnounceAsync(Checkpoint checkpoint, CancellationToken ct) => AnnounceAsync(checkpoint.Size);

    private async Task AnnounceAsync(long treeSize)
    {
        await using var scope = services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var witness in witnesses.Witnesses)
            await bus.PublishAsync(new RequestCosignature(witness.Key.ToString(), treeSize));
    }

    private async Task AnnounceLatestStoredAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(tables.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"SELECT max(tree_size) FROM {tables.Checkpoints}", connection);
            if (await command.ExecuteScalarAsync(ct) is long latest and > 0) await AnnounceAsync(latest);
        }
        catch (Exception e)
        {
            // Not fatal: the next checkpoint the sealer signs is announced as usual.
            if (!ct.IsCancellationRequested)
                logger.LogWarning(e, "The latest stored checkpoint could not be announced to the witnesses at start");
        }
    }
}

/// <summary>A witness answered with an error that may pass (it is down, overloaded, or the log here is not far enough yet).</summary>
public sealed class WitnessUnavailableException(string message) : Exception(message);

/// <summary>
/// Sends a checkpoint to one witness (C2SP tlog-witness add-checkpoint) with a consistency proof from the size the
/// witness last cosigned, and stores the cosignature it returns if it verifies with the witness's pinned key. A witness
/// that holds another size answers 409 with it; the request is sent again once from that size. A witness that refuses a
/// fork (409 without a size, 422) or the log's key (403) is logged as critical and not asked again for that checkpoint.
/// </summary>
public static class RequestCosignatureHandler
{
    public static void Configure(HandlerChain chain) =>
        chain.OnException<WitnessUnavailableException>().Or<HttpRequestException>().Or<TaskCanceledException>()
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));

    public static async Task Handle(RequestCosignature message, WitnessDirectory directory, AuditLog log, AuditTables tables,
        IHttpClientFactory clients, TimeProvider clock, ILogger<RequestCosignature> logger, CancellationToken ct)
    {
        if (directory.Find(message.WitnessKey) is not { } witness) return;
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var latestCosigned = await WitnessStore.LatestCosignedAsync(connection, tables, message.WitnessKey, ct);
        if (latestCosigned >= message.TreeSize) return;
        var note = await AuditExport.ReadCheckpointAsync(connection, tables, message.TreeSize, ct);
        if (note is null) return;
        var body = SignedNote.TryParse(note)!.Text;
        if (log.TreeSize < message.TreeSize) throw new WitnessUnavailableException($"This node's copy of the log does not reach size {message.TreeSize} yet.");

        var client = clients.CreateClient(WitnessingSetup.HttpClientName);
        var old = latestCosigned;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var request = new AddCheckpointRequest(old, old == 0 ? [] : log.ConsistencyProof(old, message.TreeSize), note);
            using var response = await client.PostAsync(new Uri(witness.Url, witness.Url.AbsolutePath.TrimEnd('/') + "/add-checkpoint"),
                new StringContent(request.ToString(), Encoding.UTF8, "text/plain"), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var lines = Cosignatures.Accept(body, text, witness.Key);
                    if (lines.Count == 0)
                    {
                        logger.LogCritical("Witness {Witness} answered the checkpoint of size {Size} without a cosignature that verifies with its pinned key",
                            witness.Key.Name, message.TreeSize);
                        return;
                    }
                    var now = clock.GetUtcNow();
                    if (WitnessClock.AheadOf(witness.Key.Verify(body, lines[0])!.Value, now, directory.ClockTolerance) is { } ahead)
                    {
                        // Not kept: a cosignature from the future would make the witness's word on when it saw the tree worthless.
                        // Asked again later (the witness then answers from the size it holds, with a fresh time).
                        logger.LogError("Witness {Witness} dated its cosignature of the checkpoint of size {Size} {Ahead} s ahead of this service's clock; not kept",
                            witness.Key.Name, message.TreeSize, ahead);
                        throw new WitnessUnavailableException($"Witness {witness.Key.Name} dated its cosignature {ahead} s in the future.");
                    }
                    await WitnessStore.AddAsync(connection, tables, message.TreeSize, witness.Key, lines[0], now, ct);
                    logger.LogInformation("Witness {Witness} cosigned the checkpoint of size {Size}", witness.Key.Name, message.TreeSize);
                    return;
                case HttpStatusCode.Conflict when response.Content.Headers.ContentType?.MediaType == WitnessRules.SizeContentType
                                                 && long.TryParse(text.TrimEnd('\n'), NumberStyles.None, CultureInfo.InvariantCulture, out var held):
                    // The witness holds another size: from a checkpoint this service does not know of having been cosigned
                    // (a lost answer), or later than this one (nothing to do).
                    // Holding exactly this checkpoint (its answer was lost, or its cosignature was not kept): asked again from
                    // it, the witness cosigns the same tree once more.
                    if (held > message.TreeSize || held == old) return;
                    old = held;
                    continue;
                case HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity:
                    logger.LogCritical("Witness {Witness} refused the checkpoint of size {Size} as a fork of what it saw ({Status}): {Answer}",
                        witness.Key.Name, message.TreeSize, (int)response.StatusCode, text.TrimEnd());
                    return;
                case HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest:
                    logger.LogError("Witness {Witness} refused the checkpoint of size {Size} ({Status}): {Answer}; check its pinned log key",
                        witness.Key.Name, message.TreeSize, (int)response.StatusCode, text.TrimEnd());
                    return;
                default:
                    throw new WitnessUnavailableException($"Witness {witness.Key.Name} answered {(int)response.StatusCode}.");
            }
        }
    }
}

/// <summary>The cosignatures the witnesses returned, kept next to the checkpoints.</summary>
public static class WitnessStore
{
    public static async Task<long> LatestCosignedAsync(NpgsqlConnection connection, AuditTables tables, string witnessKey, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(tree_size), 0) FROM {tables.Cosignatures} WHERE witness_key = @key", connection);
        command.Parameters.AddWithValue("key", witnessKey);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task AddAsync(NpgsqlConnection connection, AuditTables tables, long treeSize, CosignerKey witness, NoteSignature line,
        DateTimeOffset now, CancellationToken ct)
    {
        var seconds = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(line.Signature);
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {tables.Cosignatures} (tree_size, witness_key, line, cosigned_at, received_at) VALUES (@size, @key, @line, @at, @now)
            ON CONFLICT (tree_size, witness_key) DO NOTHING
            """, connection);
        command.Parameters.AddWithValue("size", treeSize);
        command.Parameters.AddWithValue("key", witness.ToString());
        command.Parameters.AddWithValue("line", Convert.ToBase64String([.. BitConverterBigEndian(line.KeyId), .. line.Signature]));
        command.Parameters.AddWithValue("at", DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799)));
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static byte[] BitConverterBigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>The cosignatures stored for each tree size: witness key, signature line, time.</summary>
    public static async Task<Dictionary<long, List<(string WitnessKey, NoteSignature Line, DateTimeOffset At)>>> ReadAsync(NpgsqlConnection connection,
        AuditTables tables, long? size, CancellationToken ct)
    {
        var result = new Dictionary<long, List<(string, NoteSignature, DateTimeOffset)>>();
        await using var command = new NpgsqlCommand(
            $"SELECT tree_size, witness_key, line, cosigned_at FROM {tables.Cosignatures} {(size is null ? "" : "WHERE tree_size = @size")} ORDER BY tree_size, witness_key",
            connection);
        if (size is not null) command.Parameters.AddWithValue("size", size.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = CosignerKey.TryParse(reader.GetString(1));
            var payload = Convert.FromBase64String(reader.GetString(2));
            if (key is null || payload.Length < 5) continue;
            var line = new NoteSignature(key.Name, (uint)(payload[0] << 24 | payload[1] << 16 | payload[2] << 8 | payload[3]), payload[4..]);
            if (!result.TryGetValue(reader.GetInt64(0), out var list)) result[reader.GetInt64(0)] = list = [];
            list.Add((reader.GetString(1), line, reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return result;
    }

    /// <summary>The checkpoint's note with the stored cosignatures of that size added after the log's signature.</summary>
    public static string WithCosignatures(string note, Dictionary<long, List<(string WitnessKey, NoteSignature Line, DateTimeOffset At)>> stored)
    {
        var checkpoint = SignedNote.TryParse(note) is { } signed ? Checkpoint.TryParse(signed.Text) : null;
        return checkpoint is not null && stored.TryGetValue(checkpoint.Size, out var lines) ? Cosignatures.AddTo(note, lines.Select(l => l.Line)) : note;
    }
}

public sealed record WitnessCosignature(string Witness, string PublicKey, DateTimeOffset CosignedAt);

public sealed record CheckpointWitnesses(long TreeSize, int Quorum, bool Witnessed, IReadOnlyList<WitnessCosignature> Cosignatures, IReadOnlyList<string> Witnesses);

public static class CheckpointWitnessesEndpoint
{
    /// <summary>
    /// Which configured witnesses cosigned the checkpoint of that size, and whether that makes the quorum (the latest
    /// checkpoint when no size is given).
    /// </summary>
    [WolverineGet("/api/audit/witnesses", OperationId = "getCheckpointWitnesses"), Tags("Audit"), AllowAnonymous]
    [ProducesResponseType<CheckpointWitnesses>(200)]
    public static async Task<IResult> Get(long? treeSize, WitnessDirectory directory, AuditTables tables, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var note = await AuditExport.ReadCheckpointAsync(connection, tables, treeSize, ct);
        if (note is null) return Problems.Missing(treeSize is null ? "No checkpoint has been signed yet." : $"No checkpoint was signed at tree size {treeSize}.").ToResult();
        var checkpoint = Checkpoint.TryParse(SignedNote.TryParse(note)!.Text)!;
        var stored = await WitnessStore.ReadAsync(connection, tables, checkpoint.Size, ct);
        var cosignatures = (stored.GetValueOrDefault(checkpoint.Size) ?? [])
            .Where(c => directory.Find(c.WitnessKey) is { } w && w.Key.Verify(checkpoint.Body(), c.Line) is not null)
            .Select(c => new WitnessCosignature(c.Line.KeyName, c.WitnessKey, c.At)).ToList();
        return Results.Ok(new CheckpointWitnesses(checkpoint.Size, directory.Quorum, directory.Witnesses.Count > 0 && cosignatures.Count >= directory.Quorum,
            cosignatures, directory.Witnesses.Select(w => w.Key.ToString()).ToList()));
    }
}
