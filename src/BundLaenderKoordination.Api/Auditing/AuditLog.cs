using BundLaenderKoordination.Audit;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>
/// The one ordered sealer of the audit log. Holding a PostgreSQL advisory lock (so one node of a cluster seals), it appends a leaf
/// per event in Marten's global sequence order, never past a missing sequence number: a gap is waited for until no
/// transaction that could still commit it is open (<see cref="PendingAppends"/>), then sealed as a "never used" leaf;
/// all gaps seen in one read settle together. Leaves and progress
/// commit together. While there are new leaves it signs a checkpoint every <see cref="AuditOptions.CheckpointIntervalSeconds"/>,
/// and on demand; it refuses to sign when the stored leaves no longer give the root it signed before.
/// </summary>
/// <remarks>
/// Every other node follows: it reads the leaves and checkpoints the sealer stored (so that it serves proofs, receipts and
/// bundles as well), and asks the sealer for a checkpoint with a PostgreSQL notification on <see cref="CheckpointChannel"/>,
/// which the sealer listens for on the connection that holds its lock. When the sealer's node dies, its connection
/// closes, PostgreSQL releases the lock and the next node to try takes it (within <see cref="LockRetryInterval"/>); a
/// sealer whose lock connection breaks stops sealing at once and becomes a follower (decision 42).
/// </remarks>
public sealed class AuditLog(AuditTables tables, AuditSigningKey key, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditLog> logger)
    : BackgroundService
{
    /// <summary>How often a follower tries to take the sealer lock and reads what the sealer stored.</summary>
    public static readonly TimeSpan LockRetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a follower waits for the sealer to sign a checkpoint it asked for.</summary>
    public static readonly TimeSpan CheckpointWait = TimeSpan.FromSeconds(10);

    // One sealer per schema: "blk_audt" combined with a stable hash of the schema name.
    private long AdvisoryLockKey => 0x626c6b5f61756474 ^ BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tables.Schema)));

    /// <summary>The notification channel on which followers ask the sealer of this schema for a checkpoint.</summary>
    public string CheckpointChannel => "blk_audit_checkpoint_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tables.Schema)))[..16];

    private readonly AuditOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<long, PendingAppends.Fence> _pendingGaps = [];
    private bool _settleAgain;
    private DateTimeOffset _lastGapWarning;
    private readonly Lock _treeLock = new();
    private MerkleTree _tree = new();
    private Checkpoint? _latest;
    private string? _refusal;
    private volatile bool _sealing;
    private volatile bool _checkpointRequested;
    private DateTimeOffset _lastCheckpointAt;

    public AuditSigningKey Key => key;

    /// <summary>Raised on the sealer after each checkpoint it signed and stored (for example, to have witnesses cosign it).</summary>
    public event Func<Checkpoint, CancellationToken, Task>? CheckpointSigned;

    /// <summary>True on the instance that holds the sealer lock and signs checkpoints.</summary>
    public bool IsSealing => _sealing && _refusal is null;

    /// <summary>True on the instance that holds the sealer lock but signs nothing more (the stored log changed or was cut short).</summary>
    public bool IsHalted => _sealing && _refusal is not null;

    /// <summary>
    /// Why the log signs nothing more, or null while it works: the sealer's own finding, or on a follower what it found
    /// reading the stored log, or that no sealer answered its request for a checkpoint.
    /// </summary>
    public string? Refusal => _refusal;

    private Guid _logId;

    // The last signed checkpoint of this log, kept outside the database (per log, so that a new database starts afresh).
    private string? StateFile => _options.StateFile is { } configured ? $"{configured}.{_logId:N}"
        : key.File is null ? null : $"{key.File}.{_logId:N}.checkpoint";
    public string Origin => _options.Origin;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await tables.EnsureAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _started.TrySetException(ex);
            logger.LogCritical(ex, "The audit log sealer stopped");
            return;
        }
        var following = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lockConnection = new NpgsqlConnection(tables.ConnectionString);
                await lockConnection.OpenAsync(stoppingToken);
                while (!await TryLockAsync(lockConnection, stoppingToken))
                {
                    await FollowAsync(following ? "" : "Another instance seals the audit log; this one follows it", stoppingToken);
                    following = true;
                    _started.TrySetResult();
                    await Task.Delay(LockRetryInterval, clock, stoppingToken);
                }
                await SealWhileLockedAsync(lockConnection, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The lock connection broke (the database restarted, the network failed): PostgreSQL has released the lock,
                // so another node may seal by now. This one seals nothing until it holds the lock again.
                if (_sealing) logger.LogWarning(ex, "The audit log sealer lost its lock connection; it stops sealing and tries to take the lock again");
                else logger.LogDebug(ex, "Following the audit log failed; retrying");
                _sealing = false;
                following = false;
                try { await Task.Delay(LockRetryInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task SealWhileLockedAsync(NpgsqlConnection lockConnection, CancellationToken stoppingToken)
    {
        await _gate.WaitAsync(stoppingToken);
        try
        {
            _refusal = null;
            _pendingGaps.Clear();
            _latest = null;
            _lastCheckpointAt = default;
            await LoadAsync(stoppingToken);
            _sealing = true;
        }
        finally
        {
            _gate.Release();
        }
        _started.TrySetResult();
        lockConnection.Notification += (_, _) => _checkpointRequested = true;
        await using (var listen = new NpgsqlCommand($"LISTEN {CheckpointChannel}", lockConnection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        logger.LogInformation("Audit log {Origin} sealed up to sequence {Size}; this instance seals it, signing with key {KeyId}", Origin, TreeSize, key.VerifierKey.KeyIdHex);

        while (!stoppingToken.IsCancellationRequested)
        {
            await _gate.WaitAsync(stoppingToken);
            try
            {
                await SealAsync(stoppingToken);
                var requested = _checkpointRequested;
                _checkpointRequested = false;
                if (requested || clock.GetUtcNow() - _lastCheckpointAt >= TimeSpan.FromSeconds(_options.CheckpointIntervalSeconds))
                    await CheckpointAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Sealing the audit log failed; retrying");
            }
            finally
            {
                _gate.Release();
            }
            // Waits on the lock connection: a request for a checkpoint wakes it, and a broken connection ends the sealing.
            if (!_checkpointRequested)
                await lockConnection.WaitAsync(TimeSpan.FromSeconds(_options.PollIntervalSeconds), stoppingToken);
        }
    }

    /// <summary>A follower's round: reads the leaves and the latest checkpoint the sealer stored since the last round.</summary>
    private async Task FollowAsync(string announce, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_sealing) return;
            await RefreshAsync(ct);
            if (announce.Length > 0)
                logger.LogInformation("{Announcement} (sealed up to sequence {Size})", announce, TreeSize);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Seals every settled event now and signs a checkpoint if the log grew; returns the latest checkpoint. On a follower:
    /// asks the sealer for a checkpoint and waits (up to <see cref="CheckpointWait"/>) until one covers every event
    /// committed before the request.
    /// </summary>
    public async Task<Checkpoint?> CheckpointNowAsync(CancellationToken ct)
    {
        try { await _started.Task.WaitAsync(CheckpointWait, ct); }
        catch (TimeoutException) { return _latest; }
        if (_sealing)
        {
            await _gate.WaitAsync(ct);
            try
            {
                if (_sealing)
                {
                    await SealAsync(ct);
                    await CheckpointAsync(ct);
                    return _latest;
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        return await RequestCheckpointAsync(ct);
    }

    private async Task<Checkpoint?> RequestCheckpointAsync(CancellationToken ct)
    {
        long committed;
        await using (var connection = new NpgsqlConnection(tables.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"SELECT coalesce(max(seq_id), 0) FROM {tables.Events}; SELECT pg_notify(@channel, '')", connection);
            command.Parameters.AddWithValue("channel", CheckpointChannel);
            committed = Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        }
        var until = clock.GetUtcNow() + CheckpointWait;
        while (true)
        {
            await _gate.WaitAsync(ct);
            try
            {
                if (_sealing) return _latest;
                await RefreshAsync(ct);
            }
            finally
            {
                _gate.Release();
            }
            if (_refusal is not null || (_latest?.Size ?? 0) >= committed) return _latest;
            if (clock.GetUtcNow() >= until)
            {
                logger.LogWarning("No instance signed a checkpoint up to sequence {Sequence} within {Seconds} s of being asked", committed, CheckpointWait.TotalSeconds);
                return _latest;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, ct);
        }
    }

    public long TreeSize
    {
        get { lock (_treeLock) return _tree.Size; }
    }

    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        lock (_treeLock) return _tree.InclusionProof(index, size);
    }

    public byte[] InclusionLeaf(long index)
    {
        lock (_treeLock) return _tree.LeafHash(index);
    }

    public IReadOnlyList<byte[]> ConsistencyProof(long first, long second)
    {
        lock (_treeLock) return _tree.ConsistencyProof(first, second);
    }

    private async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Extends this follower's tree by the leaves stored since, and takes the latest stored checkpoint if the tree gives
    /// its root; with the same checks as <see cref="LoadAsync"/>. Call with the gate held.
    /// </summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        if (_logId == Guid.Empty || TreeSize == 0 && _latest is null)
        {
            // The first round reads everything, as the sealer does when it takes the lock.
            _refusal = null;
            await LoadAsync(ct);
            return;
        }
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var added = new List<byte[]>();
        var size = TreeSize;
        await using (var command = new NpgsqlCommand($"SELECT leaf_index, seq, leaf_hash FROM {tables.Leaves} WHERE leaf_index >= @from ORDER BY leaf_index", connection))
        {
            command.Parameters.AddWithValue("from", size);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetInt64(0) != size + added.Count || reader.GetInt64(1) != size + added.Count + 1)
                {
                    _refusal ??= $"The stored leaves are not contiguous at leaf {size + added.Count}.";
                    break;
                }
                added.Add(reader.GetFieldValue<byte[]>(2));
            }
        }
        lock (_treeLock)
            foreach (var leaf in added) _tree.Append(leaf);
        await using (var command = new NpgsqlCommand($"SELECT note FROM {tables.Checkpoints} ORDER BY tree_size DESC LIMIT 1", connection))
        {
            if (await command.ExecuteScalarAsync(ct) is string note
                && SignedNote.TryParse(note) is { } signed && Checkpoint.TryParse(signed.Text) is { } checkpoint && checkpoint.Size != _latest?.Size)
            {
                lock (_treeLock)
                {
                    if (checkpoint.Size > _tree.Size) return; // Signed after this read of the leaves: taken next round.
                    if (!_tree.Root(checkpoint.Size).AsSpan().SequenceEqual(checkpoint.RootHash))
                        _refusal ??= "The stored leaves no longer give the root of the latest signed checkpoint.";
                    else
                        _latest = checkpoint;
                }
            }
        }
        if (_refusal is not null) logger.LogCritical("The audit log as stored fails its checks: {Reason} Verify the database against kept checkpoints.", _refusal);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var tree = new MerkleTree();
        await using (var command = new NpgsqlCommand($"SELECT leaf_index, seq, leaf_hash FROM {tables.Leaves} ORDER BY leaf_index", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetInt64(0) != tree.Size || reader.GetInt64(1) != tree.Size + 1)
                {
                    _refusal = $"The stored leaves are not contiguous at leaf {tree.Size}.";
                    break;
                }
                tree.Append(reader.GetFieldValue<byte[]>(2));
            }
        }
        await using (var command = new NpgsqlCommand($"SELECT sealed_seq, log_id FROM {tables.Progress} WHERE id = 1", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            var progress = reader.GetInt64(0);
            _logId = reader.GetGuid(1);
            if (progress != tree.Size) _refusal ??= $"The sealer's progress ({progress}) differs from the stored leaves ({tree.Size}).";
        }
        await using (var command = new NpgsqlCommand($"SELECT note FROM {tables.Checkpoints} ORDER BY tree_size DESC LIMIT 1", connection))
        {
            if (await command.ExecuteScalarAsync(ct) is string note)
            {
                var checkpoint = SignedNote.TryParse(note) is { } signed ? Checkpoint.TryParse(signed.Text) : null;
                if (checkpoint is null || checkpoint.Size > tree.Size || !tree.Root(checkpoint.Size).AsSpan().SequenceEqual(checkpoint.RootHash))
                    _refusal ??= "The stored leaves no longer give the root of the latest signed checkpoint.";
                else
                    _latest = checkpoint;
            }
        }
        if (StateFile is { } stateFile && File.Exists(stateFile)
            && SignedNote.TryParse(await File.ReadAllTextAsync(stateFile, ct)) is { } kept && Checkpoint.TryParse(kept.Text) is { } signedLast)
        {
            if (signedLast.Size > tree.Size)
                _refusal ??= $"This service signed the log at size {signedLast.Size}, but the database holds only {tree.Size} leaves (an older backup, or the tail cut off).";
            else if (!tree.Root(signedLast.Size).AsSpan().SequenceEqual(signedLast.RootHash))
                _refusal ??= $"The stored leaves do not give the root this service signed at size {signedLast.Size}.";
        }
        if (_refusal is not null)
            logger.LogCritical("The audit log will sign nothing: {Reason} Verify the database against kept checkpoints.", _refusal);
        lock (_treeLock) _tree = tree;
    }

    private async Task SealAsync(CancellationToken ct)
    {
        if (_refusal is not null) return;
        for (var settling = 0; ; )
        {
            _settleAgain = false;
            var sealedNow = await SealBatchAsync(ct);
            if (sealedNow >= _options.BatchSize) continue;
            // New missing numbers whose fence may already be drained (the losers of a race are usually gone by then):
            // look once more at once instead of a poll interval later.
            if (!_settleAgain || ++settling > 3) return;
            await Task.Delay(TimeSpan.FromMilliseconds(5 * settling), ct);
        }
    }

    private async Task<int> SealBatchAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        await using (var command = new NpgsqlCommand($"SELECT sealed_seq FROM {tables.Progress} WHERE id = 1 FOR UPDATE", connection))
        {
            var progress = (long)(await command.ExecuteScalarAsync(ct))!;
            if (progress != TreeSize)
            {
                _refusal = $"The sealer's progress in the database ({progress}) differs from its own ({TreeSize}).";
                logger.LogCritical("The audit log will sign nothing: {Reason}", _refusal);
                return 0;
            }
        }

        // Which earlier fences have drained: read before the events, so that the read below sees every commit of a
        // drained fence's transactions.
        var holdersNow = _pendingGaps.Count == 0 ? null : await PendingAppends.HoldersAsync(connection, tables.Schema, ct);
        var select = await EventRows.SelectListAsync(connection, tables, ct);
        var next = TreeSize + 1;
        var now = clock.GetUtcNow();
        var leaves = new List<(long Seq, string Kind, Guid? Stream, byte[] Hash)>();
        var newGaps = new List<long>();
        await using (var command = new NpgsqlCommand(
                         $"SELECT {select} FROM {tables.Events} WHERE seq_id >= @from ORDER BY seq_id LIMIT @limit", connection))
        {
            command.Parameters.AddWithValue("from", next);
            command.Parameters.AddWithValue("limit", _options.BatchSize);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var blocked = false;
            var expected = next;
            while (await reader.ReadAsync(ct))
            {
                var seq = reader.GetInt64(0);
                // A missing number below a committed one is either an append still running or one that rolled back.
                // Every missing number seen in this read gets its fence at once, so that they settle together.
                for (; expected < seq; expected++)
                {
                    if (!_pendingGaps.TryGetValue(expected, out var fence))
                    {
                        newGaps.Add(expected);
                        blocked = true;
                    }
                    else if (blocked || holdersNow is null || !fence.DrainedBy(holdersNow))
                        blocked = true;
                    else
                    {
                        leaves.Add((expected, "gap", null, LeafDocument.Hash(LeafDocument.ForGap(expected))));
                        next = expected + 1;
                    }
                }
                expected = seq + 1;
                if (blocked) continue;
                // Marten fills the numbers of a failed transaction with tombstones, afterwards and on its own connection
                // (so possibly after the number was sealed as unused): either way the number was never used.
                leaves.Add(EventRows.IsTombstone(reader)
                    ? (seq, "gap", null, LeafDocument.Hash(LeafDocument.ForGap(seq)))
                    : (seq, "event", reader.GetGuid(2), EventRows.Hash(reader)));
                next = seq + 1;
            }
        }
        if (newGaps.Count > 0)
        {
            // Taken after the read that showed the numbers missing: whatever transaction still holds one holds the
            // sequence's lock now.
            var fence = await PendingAppends.TakeAsync(connection, tables.Schema, now, ct);
            foreach (var gap in newGaps) _pendingGaps[gap] = fence;
            _settleAgain = true;
        }
        foreach (var leaf in leaves) _pendingGaps.Remove(leaf.Seq);
        WarnAboutLongGaps(now);
        if (leaves.Count == 0) return 0;

        await using (var importer = await connection.BeginBinaryImportAsync(
                         $"COPY {tables.Leaves} (leaf_index, seq, kind, stream_id, leaf_hash, sealed_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var leaf in leaves)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(leaf.Seq - 1, NpgsqlDbType.Bigint, ct);
                await importer.WriteAsync(leaf.Seq, NpgsqlDbType.Bigint, ct);
                await importer.WriteAsync(leaf.Kind, NpgsqlDbType.Text, ct);
                if (leaf.Stream is { } stream) await importer.WriteAsync(stream, NpgsqlDbType.Uuid, ct);
                else await importer.WriteNullAsync(ct);
                await importer.WriteAsync(leaf.Hash, NpgsqlDbType.Bytea, ct);
                await importer.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }
            await importer.CompleteAsync(ct);
        }
        await using (var command = new NpgsqlCommand($"UPDATE {tables.Progress} SET sealed_seq = @seq, updated_at = now() WHERE id = 1", connection))
        {
            command.Parameters.AddWithValue("seq", leaves[^1].Seq);
            await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        lock (_treeLock)
            foreach (var leaf in leaves) _tree.Append(leaf.Hash);
        return leaves.Count;
    }

    /// <summary>A missing number that stays unsettled means an append transaction that neither commits nor ends.</summary>
    private void WarnAboutLongGaps(DateTimeOffset now)
    {
        if (_pendingGaps.Count == 0 || now - _lastGapWarning < TimeSpan.FromSeconds(_options.GapWarningSeconds)) return;
        var oldest = _pendingGaps.MinBy(g => g.Value.TakenAt);
        if (now - oldest.Value.TakenAt < TimeSpan.FromSeconds(_options.GapWarningSeconds)) return;
        _lastGapWarning = now;
        logger.LogWarning(
            "Sealing waits at sequence {Sequence} since {Since}: a transaction that took it is still open ({Transactions}); see pg_locks and pg_stat_activity",
            oldest.Key, oldest.Value.TakenAt, string.Join(", ", oldest.Value.Transactions));
    }

    private async Task CheckpointAsync(CancellationToken ct)
    {
        if (_refusal is not null) return;
        MerkleTree tree;
        long size;
        byte[] root;
        lock (_treeLock)
        {
            tree = _tree;
            size = tree.Size;
            if (size == 0 || _latest?.Size == size) return;
            root = tree.Root(size);
            if (_latest is not null && !tree.Root(_latest.Size).AsSpan().SequenceEqual(_latest.RootHash))
                _refusal = "The log no longer extends its latest checkpoint.";
        }
        if (_refusal is not null)
        {
            logger.LogCritical("The audit log will sign nothing: {Reason}", _refusal);
            return;
        }
        var now = clock.GetUtcNow();
        var checkpoint = new Checkpoint(Origin, size, root, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()));
        var note = NoteSigning.Sign(checkpoint.Body(), key).ToString();

        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {tables.Checkpoints} (tree_size, root_hash, issued_at, note) VALUES (@size, @root, @at, @note);
            INSERT INTO {tables.Keys} (key_id, verifier_key, algorithm, first_used_at) VALUES (@keyId, @vkey, @alg, @at) ON CONFLICT (key_id) DO NOTHING;
            """, connection);
        command.Parameters.AddWithValue("size", size);
        command.Parameters.AddWithValue("root", root);
        command.Parameters.AddWithValue("at", checkpoint.Time);
        command.Parameters.AddWithValue("note", note);
        command.Parameters.AddWithValue("keyId", key.VerifierKey.KeyIdHex);
        command.Parameters.AddWithValue("vkey", key.VerifierKey.ToString());
        command.Parameters.AddWithValue("alg", NoteAlgorithms.Name(key.VerifierKey.Algorithm));
        await command.ExecuteNonQueryAsync(ct);
        if (StateFile is { } stateFile)
        {
            var temporary = stateFile + ".tmp";
            await File.WriteAllTextAsync(temporary, note, ct);
            File.Move(temporary, stateFile, overwrite: true);
        }
        _latest = checkpoint;
        _lastCheckpointAt = now;
        if (CheckpointSigned is { } signed)
        {
            try { await signed(checkpoint, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Announcing the checkpoint of size {Size} failed", size);
            }
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
