using System.Text.Json;
using BundLaenderKoordination.Audit;
using Npgsql;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>
/// Writes an audit bundle straight to a stream while its rows are read from PostgreSQL: each leaf hash and each event is
/// written as it comes from the reader and not kept, so the memory an export needs does not grow with the log. The
/// bytes are those of <see cref="AuditExport.ReadBundleAsync"/> serialised with <see cref="AuditJson.Options"/> (same
/// members, order, escaping); only the checkpoints, the keys and the gaps, which are few,
/// are held while writing. Run it inside one repeatable-read transaction, so that all of its queries see one snapshot.
/// </summary>
public static class AuditBundleStream
{
    /// <summary>Bytes written before the writer hands them to the stream (and waits for it).</summary>
    private const int FlushThreshold = 64 * 1024;

    private const string Visible = "NOT (stream_id = ANY(@hidden))";

    /// <summary>The condition on Marten's event table that selects the events of a scope, and its parameters.</summary>
    /// <summary>
    /// The registered credentials travel with every bundle (whole passkey streams), so that signed acts verify offline;
    /// they do not make a scope without events of its own exportable.
    /// </summary>
    private const string Passkeys = "type IN ('passkey_registered', 'passkey_approved', 'passkey_revoked')";

    private static (string Where, Action<NpgsqlParameterCollection> Parameters) Selection(AuditTables tables, BundleScope scope, Guid[] withheld,
        bool withPasskeys = false)
    {
        var (where, parameters) = ScopeSelection(tables, scope, withheld);
        return withPasskeys && scope.Kind is BundleScope.Resolution or BundleScope.Body
            ? ($"(({where}) OR ({Passkeys} AND {Visible}))", parameters)
            : (where, parameters);
    }

    private static (string Where, Action<NpgsqlParameterCollection> Parameters) ScopeSelection(AuditTables tables, BundleScope scope, Guid[] withheld) =>
        scope.Kind switch
        {
            BundleScope.Resolution => ($"stream_id = @id AND {Visible}", p =>
            {
                p.AddWithValue("id", Guid.Parse(scope.Value!));
                p.AddWithValue("hidden", withheld);
            }),
            BundleScope.Body => ($"stream_id IN (SELECT stream_id FROM {tables.Events} WHERE type = 'resolution_proposed' AND data->>'body' = @body) AND {Visible}",
                p =>
                {
                    p.AddWithValue("body", scope.Value!);
                    p.AddWithValue("hidden", withheld);
                }),
            _ => (Visible, p => p.AddWithValue("hidden", withheld)),
        };

    /// <summary>Whether the scope holds any event the reader may see (a bundle of one resolution or body without one is not exported).</summary>
    public static async Task<bool> HasEventsAsync(NpgsqlConnection connection, AuditTables tables, BundleScope scope, IReadOnlySet<Guid> hidden, CancellationToken ct)
    {
        var (where, parameters) = Selection(tables, scope, hidden.ToArray());
        await using var command = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM {tables.Events} WHERE ({where}) AND type <> '{EventRows.TombstoneType}')", connection);
        parameters(command.Parameters);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Writes the bundle of <paramref name="scope"/> to <paramref name="output"/> (see the class summary).</summary>
    public static async Task WriteAsync(Stream output, NpgsqlConnection connection, AuditTables tables, string origin,
        IEnumerable<string> publicKeys, BundleScope scope, DateTimeOffset now, IReadOnlySet<Guid> hidden, CancellationToken ct)
    {
        var withheld = hidden.ToArray();
        // The checkpoints (one per sealing, small) are read first: the last one's size is the bundle's tree size.
        var checkpoints = new List<string>();
        long size = 0;
        await using (var command = new NpgsqlCommand($"SELECT tree_size, note FROM {tables.Checkpoints} ORDER BY tree_size", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                size = reader.GetInt64(0);
                checkpoints.Add(reader.GetString(1));
            }
        var cosignatures = await WitnessStore.ReadAsync(connection, tables, null, ct);
        if (cosignatures.Count > 0) checkpoints = checkpoints.Select(note => WitnessStore.WithCosignatures(note, cosignatures)).ToList();

        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = AuditJson.Options.Encoder, Indented = false });
        json.WriteStartObject();
        json.WriteString("format", AuditBundle.CurrentFormat);
        json.WriteString("origin", origin);
        json.WritePropertyName("scope");
        json.WriteStartObject();
        json.WriteString("kind", scope.Kind);
        if (scope.Value is null) json.WriteNull("value");
        else json.WriteString("value", scope.Value);
        json.WriteEndObject();
        json.WriteString("exportedAt", now);

        var gaps = new List<long>();
        json.WriteStartArray("leaves");
        await using (var command = new NpgsqlCommand($"SELECT seq, kind, leaf_hash FROM {tables.Leaves} WHERE leaf_index < @size ORDER BY leaf_index", connection))
        {
            command.Parameters.AddWithValue("size", size);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetString(1) == "gap") gaps.Add(reader.GetInt64(0));
                json.WriteStringValue(Convert.ToBase64String(reader.GetFieldValue<byte[]>(2)));
                await FlushWhenFullAsync(json, ct);
            }
        }
        json.WriteEndArray();
        WriteNumbers(json, "gaps", gaps);
        json.WriteStartArray("checkpoints");
        foreach (var note in checkpoints) json.WriteStringValue(note);
        json.WriteEndArray();

        var keys = publicKeys.ToList();
        await using (var command = new NpgsqlCommand($"SELECT verifier_key FROM {tables.Keys} ORDER BY first_used_at", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                if (!keys.Contains(reader.GetString(0))) keys.Add(reader.GetString(0));
        json.WriteStartArray("publicKeys");
        foreach (var key in keys) json.WriteStringValue(key);
        json.WriteEndArray();
        await FlushWhenFullAsync(json, ct);

        json.WriteStartArray("events");
        var (where, parameters) = Selection(tables, scope, withheld, withPasskeys: true);
        var select = await EventRows.SelectListAsync(connection, tables, ct);
        await using (var command = new NpgsqlCommand(
                         $"SELECT {select} FROM {tables.Events} WHERE ({where}) AND type <> '{EventRows.TombstoneType}' ORDER BY seq_id", connection))
        {
            parameters(command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                EventRows.Read(reader).WriteTo(json, AuditJson.Options);
                await FlushWhenFullAsync(json, ct);
            }
        }
        json.WriteEndArray();

        json.WriteStartArray("redacted");
        if (scope.Kind == BundleScope.All && withheld.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT seq_id FROM {tables.Events} WHERE stream_id = ANY(@hidden) AND seq_id <= @size ORDER BY seq_id", connection);
            command.Parameters.AddWithValue("hidden", withheld);
            command.Parameters.AddWithValue("size", size);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                json.WriteNumberValue(reader.GetInt64(0));
                await FlushWhenFullAsync(json, ct);
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, List<long> numbers)
    {
        json.WriteStartArray(name);
        foreach (var number in numbers) json.WriteNumberValue(number);
        json.WriteEndArray();
    }

    private static async ValueTask FlushWhenFullAsync(Utf8JsonWriter json, CancellationToken ct)
    {
        if (json.BytesPending >= FlushThreshold) await json.FlushAsync(ct);
    }
}
