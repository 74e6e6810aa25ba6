using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// What a leaf of the log commits to. An event leaf is the JSON object of the immutable fields of one event row
/// (sequence, event id, stream, version, type, timestamp, data, user name, correlation and causation id, headers,
/// tenant); a gap leaf records
/// that a sequence number was never used. The leaf hash is RFC 9162's leaf hash over the RFC 8785 canonical UTF-8
/// bytes of the object after every string value was normalised to Unicode NFC with LF line ends.
/// </summary>
public static class LeafDocument
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static JsonObject ForEvent(long seq, Guid id, Guid stream, long version, string type, DateTimeOffset timestamp,
        JsonNode? data, string? userName, string? correlationId, string? causationId, JsonNode? headers, string? tenant) => new()
    {
        ["seq"] = seq,
        ["id"] = id.ToString("D"),
        ["stream"] = stream.ToString("D"),
        ["version"] = version,
        ["type"] = type,
        ["timestamp"] = FormatTimestamp(timestamp),
        ["data"] = data,
        ["userName"] = userName,
        ["correlationId"] = correlationId,
        ["causationId"] = causationId,
        ["headers"] = headers,
        ["tenant"] = tenant,
    };

    public static JsonObject ForGap(long seq) => new() { ["seq"] = seq, ["gap"] = true };

    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>The leaf's canonical bytes: RFC 8785 over the document with every string value in NFC and LF.</summary>
    public static byte[] CanonicalBytes(JsonNode document)
    {
        using var output = new PooledBuffer();
        CanonicalJson.Write(document, output, normalizeStrings: true);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The leaf's canonical bytes from a leaf document given as JSON text in UTF-8 (as an audit bundle carries it).</summary>
    public static byte[] CanonicalBytes(ReadOnlySpan<byte> documentUtf8)
    {
        using var output = new PooledBuffer();
        CanonicalJson.Write(documentUtf8, output, normalizeStrings: true);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Hash(JsonNode document)
    {
        var output = Rent();
        CanonicalJson.Write(document, output, normalizeStrings: true);
        return HashRented(output);
    }

    /// <summary>The leaf hash of a leaf document given as JSON text in UTF-8 (as an audit bundle carries it).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> documentUtf8)
    {
        var output = Rent();
        CanonicalJson.Write(documentUtf8, output, normalizeStrings: true);
        return HashRented(output);
    }

    /// <summary>
    /// The leaf hash of an event row, straight from its columns (<paramref name="data"/> and <paramref name="headers"/> as
    /// the stored JSON text in UTF-8): the same bytes as <c>Hash(ForEvent(...))</c>, without building the document.
    /// </summary>
    public static byte[] HashEvent(long seq, Guid id, Guid stream, long version, string type, DateTimeOffset timestamp,
        ReadOnlySpan<byte> data, string? userName, string? correlationId, string? causationId, ReadOnlySpan<byte> headers,
        bool hasHeaders, string? tenant)
    {
        var output = Rent();
        // The members in canonical order (sorted by name).
        output.Write("{\"causationId\":"u8);
        WriteText(causationId, output);
        output.Write(",\"correlationId\":"u8);
        WriteText(correlationId, output);
        output.Write(",\"data\":"u8);
        CanonicalJson.Write(data, output, normalizeStrings: true);
        output.Write(",\"headers\":"u8);
        if (hasHeaders) CanonicalJson.Write(headers, output, normalizeStrings: true);
        else output.Write("null"u8);
        output.Write(",\"id\":"u8);
        WriteGuid(id, output);
        output.Write(",\"seq\":"u8);
        CanonicalJson.WriteInteger(seq, output);
        output.Write(",\"stream\":"u8);
        WriteGuid(stream, output);
        output.Write(",\"tenant\":"u8);
        WriteText(tenant, output);
        output.Write(",\"timestamp\":\""u8);
        var span = output.GetSpan(32);
        if (!timestamp.UtcDateTime.TryFormat(span, out var written, TimestampFormat, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("The timestamp could not be formatted.");
        output.Advance(written);
        output.Write("\",\"type\":"u8);
        WriteText(type, output);
        output.Write(",\"userName\":"u8);
        WriteText(userName, output);
        output.Write(",\"version\":"u8);
        CanonicalJson.WriteInteger(version, output);
        output.Write((byte)'}');
        return HashRented(output);
    }

    [ThreadStatic] private static PooledBuffer? _leaf;

    // The thread's leaf buffer, holding the RFC 9162 leaf prefix 0x00, so that the hash needs no second copy.
    private static PooledBuffer Rent()
    {
        var output = _leaf ??= new PooledBuffer(4096);
        output.Clear();
        output.Write(0x00);
        return output;
    }

    private static byte[] HashRented(PooledBuffer output)
    {
        var hash = SHA256.HashData(output.WrittenSpan);
        output.Clear();
        return hash;
    }

    private static void WriteGuid(Guid value, PooledBuffer output)
    {
        output.Write((byte)'"');
        var span = output.GetSpan(36);
        value.TryFormat(span, out var written, "D");
        output.Advance(written);
        output.Write((byte)'"');
    }

    private static void WriteText(string? text, PooledBuffer output)
    {
        if (text is null) output.Write("null"u8);
        else if (Ascii.IsValid(text) && !text.Contains('\r')) CanonicalJson.WriteEscapedString(text, output);
        else CanonicalJson.WriteEscapedString(NormalizeText(text), output);
    }

    /// <summary>A copy with every string value in NFC and LF (text can arrive decomposed or with CR LF).</summary>
    public static JsonNode? Normalize(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Normalize).ToArray()),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String =>
            JsonValue.Create(NormalizeText(value.GetValue<string>())),
        _ => node.DeepClone(),
    };

    public static string NormalizeText(string text) => TextHash.Normalize(text);
}
