using System.Globalization;
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

    public static byte[] CanonicalBytes(JsonNode document) => CanonicalJson.SerializeToUtf8(Normalize(document));

    public static byte[] Hash(JsonNode document) => Merkle.HashLeaf(CanonicalBytes(document));

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
