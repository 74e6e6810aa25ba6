using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Npgsql;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>Reads event rows of Marten's event table as leaf documents, the one way the sealer, exports and receipts see them.</summary>
public static class EventRows
{
    private static readonly string[] Optional = ["user_name", "correlation_id", "causation_id", "headers", "tenant_id"];

    public static async Task<string> SelectListAsync(NpgsqlConnection connection, AuditTables tables, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = @schema AND table_name = 'mt_events'", connection);
        command.Parameters.AddWithValue("schema", tables.Schema);
        var present = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) present.Add(reader.GetString(0));
        var optional = Optional.Select(c => present.Contains(c) ? (c == "headers" ? "headers::text" : c) : "NULL");
        return "seq_id, id, stream_id, version, type, timestamp, data::text, " + string.Join(", ", optional);
    }

    public static JsonObject Read(NpgsqlDataReader reader) =>
        LeafDocument.ForEvent(
            reader.GetInt64(0),
            reader.GetGuid(1),
            reader.GetGuid(2),
            reader.GetInt64(3),
            reader.GetString(4),
            reader.GetFieldValue<DateTimeOffset>(5),
            JsonNode.Parse(reader.GetString(6)),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : JsonNode.Parse(reader.GetString(10)),
            reader.IsDBNull(11) ? null : reader.GetString(11));

    /// <summary>
    /// The leaf hash of the current row, computed straight from its columns (what <c>LeafDocument.Hash(Read(reader))</c>
    /// gives, without building the document).
    /// </summary>
    public static byte[] Hash(NpgsqlDataReader reader)
    {
        var data = reader.GetString(6);
        var headers = reader.IsDBNull(10) ? null : reader.GetString(10);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(data.Length + (headers?.Length ?? 0)));
        try
        {
            var dataLength = Encoding.UTF8.GetBytes(data, bytes);
            var headersLength = headers is null ? 0 : Encoding.UTF8.GetBytes(headers, bytes.AsSpan(dataLength));
            return LeafDocument.HashEvent(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetGuid(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                bytes.AsSpan(0, dataLength),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                bytes.AsSpan(dataLength, headersLength),
                headers is not null,
                reader.IsDBNull(11) ? null : reader.GetString(11));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// Marten's name for the events it appends in place of the sequence numbers of a transaction that failed. The log
    /// seals them as never used, like the gaps they fill, and exports list them as gaps.
    /// </summary>
    public const string TombstoneType = "tombstone";

    public static bool IsTombstone(NpgsqlDataReader reader) => reader.GetString(4) == TombstoneType;

    public static async Task<List<JsonObject>> QueryAsync(NpgsqlConnection connection, AuditTables tables, string where,
        Action<NpgsqlParameterCollection> parameters, CancellationToken ct)
    {
        var select = await SelectListAsync(connection, tables, ct);
        await using var command = new NpgsqlCommand(
            $"SELECT {select} FROM {tables.Events} WHERE ({where}) AND type <> '{TombstoneType}' ORDER BY seq_id", connection);
        parameters(command.Parameters);
        var rows = new List<JsonObject>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add(Read(reader));
        return rows;
    }
}
