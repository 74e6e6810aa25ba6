using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Npgsql;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>Reads an audit bundle or a vote receipt from the database as it is; it proves nothing itself, the verifier does.</summary>
public static class AuditExport
{
    /// <summary>
    /// The bundle of a scope. Events of <paramref name="hidden"/> streams (restricted resolutions the reader may not see)
    /// are left out; in a bundle of all events their sequence numbers are listed as redacted, so that every sealed leaf
    /// is still accounted for without their payload.
    /// </summary>
    public static async Task<AuditBundle> ReadBundleAsync(NpgsqlConnection connection, AuditTables tables, string origin,
        IEnumerable<string> publicKeys, BundleScope scope, DateTimeOffset now, CancellationToken ct, IReadOnlySet<Guid>? hidden = null)
    {
        var withheld = (hidden ?? new HashSet<Guid>()).ToArray();
        var checkpoints = new List<string>();
        long size = 0;
        await using (var command = new NpgsqlCommand($"SELECT tree_size, note FROM {tables.Checkpoints} ORDER BY tree_size", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                size = reader.GetInt64(0);
                checkpoints.Add(reader.GetString(1));
            }
        // Each checkpoint with the cosignatures its witnesses returned (C2SP tlog-cosignature lines after the log's own).
        var cosignatures = await WitnessStore.ReadAsync(connection, tables, null, ct);
        if (cosignatures.Count > 0) checkpoints = checkpoints.Select(note => WitnessStore.WithCosignatures(note, cosignatures)).ToList();

        var leaves = new List<string>();
        var gaps = new List<long>();
        await using (var command = new NpgsqlCommand($"SELECT seq, kind, leaf_hash FROM {tables.Leaves} WHERE leaf_index < @size ORDER BY leaf_index", connection))
        {
            command.Parameters.AddWithValue("size", size);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetString(1) == "gap") gaps.Add(reader.GetInt64(0));
                leaves.Add(Convert.ToBase64String(reader.GetFieldValue<byte[]>(2)));
            }
        }

        var keys = publicKeys.ToList();
        await using (var command = new NpgsqlCommand($"SELECT verifier_key FROM {tables.Keys} ORDER BY first_used_at", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                if (!keys.Contains(reader.GetString(0))) keys.Add(reader.GetString(0));

        const string visible = "NOT (stream_id = ANY(@hidden))";
        // The registered credentials travel with every bundle (whole passkey streams), so that signed acts verify offline.
        const string Passkeys = "type IN ('passkey_registered', 'passkey_approved', 'passkey_revoked')";
        var events = scope.Kind switch
        {
            BundleScope.Resolution => await EventRows.QueryAsync(connection, tables, $"(stream_id = @id OR {Passkeys}) AND {visible}",
                p =>
                {
                    p.AddWithValue("id", Guid.Parse(scope.Value!));
                    p.AddWithValue("hidden", withheld);
                }, ct),
            BundleScope.Body => await EventRows.QueryAsync(connection, tables,
                $"(stream_id IN (SELECT stream_id FROM {tables.Events} WHERE type = 'resolution_proposed' AND data->>'body' = @body) OR {Passkeys}) AND {visible}",
                p =>
                {
                    p.AddWithValue("body", scope.Value!);
                    p.AddWithValue("hidden", withheld);
                }, ct),
            _ => await EventRows.QueryAsync(connection, tables, visible, p => p.AddWithValue("hidden", withheld), ct),
        };

        var redacted = new List<long>();
        if (scope.Kind == BundleScope.All && withheld.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT seq_id FROM {tables.Events} WHERE stream_id = ANY(@hidden) AND seq_id <= @size ORDER BY seq_id", connection);
            command.Parameters.AddWithValue("hidden", withheld);
            command.Parameters.AddWithValue("size", size);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) redacted.Add(reader.GetInt64(0));
        }
        return new AuditBundle(AuditBundle.CurrentFormat, origin, scope, now, leaves, gaps, checkpoints, keys, events, redacted);
    }

    /// <summary>The leaf document of the event at that version of a stream, or null.</summary>
    public static async Task<JsonObject?> ReadEventAsync(NpgsqlConnection connection, AuditTables tables, Guid stream, long version, CancellationToken ct) =>
        (await EventRows.QueryAsync(connection, tables, "stream_id = @id AND version = @version",
            p =>
            {
                p.AddWithValue("id", stream);
                p.AddWithValue("version", version);
            }, ct)).SingleOrDefault();

    /// <summary>The signed checkpoint of that size (else the latest), with the cosignatures its witnesses returned so far.</summary>
    public static async Task<string?> ReadCheckpointAsync(NpgsqlConnection connection, AuditTables tables, long? size, CancellationToken ct)
    {
        long treeSize;
        string note;
        await using (var command = new NpgsqlCommand(size is null
            ? $"SELECT tree_size, note FROM {tables.Checkpoints} ORDER BY tree_size DESC LIMIT 1"
            : $"SELECT tree_size, note FROM {tables.Checkpoints} WHERE tree_size = @size", connection))
        {
            if (size is not null) command.Parameters.AddWithValue("size", size.Value);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            treeSize = reader.GetInt64(0);
            note = reader.GetString(1);
        }
        var cosignatures = await WitnessStore.ReadAsync(connection, tables, treeSize, ct);
        return cosignatures.Count > 0 ? WitnessStore.WithCosignatures(note, cosignatures) : note;
    }
}
