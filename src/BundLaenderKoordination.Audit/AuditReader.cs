using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// The one strict reading of an audit bundle or a vote receipt. The file's bytes pass <see cref="StrictJson.Check"/>, are
/// read once into a document, and every member is checked against the format: members the format does not name, missing
/// members and values of another type are refused. Each event (a leaf document) is canonicalised from its own bytes in
/// the file, and the event the verifier works with is read back from exactly those canonical bytes, the ones it hashes:
/// what the report shows as proven is what was hashed, never a second reading of the file.
/// </summary>
/// <remarks>
/// Members, by level (all required unless marked optional):
/// bundle: format ("blk-audit-bundle-v1"), origin (non-empty string), scope, exportedAt (ISO 8601 date and time), leaves
/// (array of strings), gaps (array of integers), checkpoints (array of strings), publicKeys (array of strings), events
/// (array of leaf documents), redacted (optional: array of integers or null).
/// scope: kind ("all", "resolution" or "body"), value (null for all, a GUID for resolution, a non-empty string for body).
/// leaf document: seq and version (integers), id and stream (GUIDs), type (non-empty string), timestamp
/// (yyyy-MM-ddTHH:mm:ss.ffffffZ), data (object, free-form), headers (object or null), userName, correlationId,
/// causationId, tenant (string or null).
/// receipt: format ("blk-vote-receipt-v1"), resolution (GUID), ballot (GUID or null), textVersion (integer), textHash,
/// land, personId, personName, choice (strings), castAt (ISO 8601), seq, leafIndex, treeSize (integers), event (leaf
/// document), inclusionProof (array of strings), checkpoint (string).
/// </remarks>
public static class AuditReader
{
    private static readonly string[] BundleMembers = ["format", "origin", "scope", "exportedAt", "leaves", "gaps", "checkpoints", "publicKeys", "events"];
    private static readonly string[] ScopeMembers = ["kind", "value"];
    private static readonly string[] LeafMembers =
        ["seq", "id", "stream", "version", "type", "timestamp", "data", "userName", "correlationId", "causationId", "headers", "tenant"];
    private static readonly string[] ReceiptMembers =
    [
        "format", "resolution", "ballot", "textVersion", "textHash", "land", "personId", "personName", "choice", "castAt", "seq", "leafIndex",
        "event", "treeSize", "inclusionProof", "checkpoint",
    ];

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = StrictJson.MaxDepth };

    private sealed class MalformedException(string message) : Exception(message);

    /// <summary>Reads an audit bundle strictly (see the class remarks). Never throws.</summary>
    public static Reading<AuditBundle> ReadBundle(ReadOnlyMemory<byte> utf8Json) => Read(utf8Json, ParseBundle);

    /// <summary>Reads a vote receipt strictly (see the class remarks). Never throws.</summary>
    public static Reading<VoteReceipt> ReadReceipt(ReadOnlyMemory<byte> utf8Json) => Read(utf8Json, ParseReceipt);

    private static Reading<T> Read<T>(ReadOnlyMemory<byte> utf8Json, Func<JsonElement, T> parse) where T : class
    {
        try
        {
            var json = StrictJson.WithoutByteOrderMark(utf8Json);
            if (StrictJson.Check(json.Span) is { } problem) return Reading<T>.Refused(problem);
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return new Reading<T>(parse(document.RootElement), null);
        }
        catch (MalformedException ex)
        {
            return Reading<T>.Refused(ex.Message);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            return Reading<T>.Refused($"Unreadable: {ex.Message}");
        }
    }

    private static AuditBundle ParseBundle(JsonElement root)
    {
        Members(root, "The bundle", BundleMembers, "redacted");
        var format = String(root, "format", "The bundle");
        if (format != AuditBundle.CurrentFormat) throw new MalformedException($"Unknown bundle format \"{format}\" (expected \"{AuditBundle.CurrentFormat}\").");
        var origin = String(root, "origin", "The bundle");
        if (origin.Length == 0) throw new MalformedException("The bundle's origin is empty.");
        var scope = Scope(root.GetProperty("scope"));
        var exportedAt = Timestamp(root, "exportedAt", "The bundle");
        var leaves = Array(root, "leaves", "The bundle", (e, path) => String(e, path));
        var gaps = Array(root, "gaps", "The bundle", Integer);
        var checkpoints = Array(root, "checkpoints", "The bundle", (e, path) => String(e, path));
        var keys = Array(root, "publicKeys", "The bundle", (e, path) => String(e, path));
        IReadOnlyList<long>? redacted = root.TryGetProperty("redacted", out var r) && r.ValueKind != JsonValueKind.Null
            ? Array(root, "redacted", "The bundle", Integer)
            : null;
        var events = new List<JsonObject>();
        var canonical = new List<byte[]>();
        var hashes = new List<byte[]?>();
        foreach (var (e, index) in Array(root, "events", "The bundle", (e, _) => e).Select((e, i) => (e, i)))
        {
            var (view, bytes) = Leaf(e, $"Event {index} of the bundle");
            events.Add(view);
            canonical.Add(bytes);
            hashes.Add(Merkle.HashLeaf(bytes));
        }
        return new AuditBundle(format, origin, scope, exportedAt, leaves, gaps, checkpoints, keys, events, redacted)
        {
            EventLeafHashes = hashes,
            Canonical = new CanonicalEvents(events, canonical),
        };
    }

    private static BundleScope Scope(JsonElement scope)
    {
        Members(scope, "The bundle's scope", ScopeMembers);
        var kind = String(scope, "kind", "The bundle's scope");
        var value = scope.GetProperty("value");
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var valid = kind switch
        {
            BundleScope.All => value.ValueKind == JsonValueKind.Null,
            BundleScope.Resolution => System.Guid.TryParseExact(text, "D", out _),
            BundleScope.Body => !string.IsNullOrEmpty(text),
            _ => throw new MalformedException($"The bundle's scope kind \"{kind}\" is none of all, resolution, body."),
        };
        if (!valid) throw new MalformedException($"The value of a bundle of scope {kind} is {(kind == BundleScope.All ? "null" : kind == BundleScope.Resolution ? "a GUID" : "a non-empty string")}.");
        return new BundleScope(kind, text);
    }

    private static VoteReceipt ParseReceipt(JsonElement root)
    {
        const string what = "The receipt";
        Members(root, what, ReceiptMembers);
        var format = String(root, "format", what);
        if (format != VoteReceipt.CurrentFormat) throw new MalformedException($"Unknown receipt format \"{format}\" (expected \"{VoteReceipt.CurrentFormat}\").");
        var (view, _) = Leaf(root.GetProperty("event"), "The receipt's event");
        var ballot = root.GetProperty("ballot");
        return new VoteReceipt(format, Guid(root, "resolution", what),
            ballot.ValueKind == JsonValueKind.Null ? null : Guid(root, "ballot", what),
            checked((int)Integer(root, "textVersion", what)), String(root, "textHash", what), String(root, "land", what),
            String(root, "personId", what), String(root, "personName", what), String(root, "choice", what),
            Timestamp(root, "castAt", what), Integer(root, "seq", what), Integer(root, "leafIndex", what), view,
            Integer(root, "treeSize", what), Array(root, "inclusionProof", what, (e, path) => String(e, path)), String(root, "checkpoint", what));
    }

    /// <summary>
    /// Checks a leaf document's members and types, canonicalises it from its own bytes, and reads it back from the
    /// canonical bytes: the event as the verifier sees it, and the bytes it hashes.
    /// </summary>
    private static (JsonObject View, byte[] Canonical) Leaf(JsonElement e, string what)
    {
        Members(e, what, LeafMembers);
        Integer(e, "seq", what);
        Integer(e, "version", what);
        Guid(e, "id", what);
        Guid(e, "stream", what);
        if (String(e, "type", what).Length == 0) throw new MalformedException($"{what} has an empty type.");
        if (!DateTimeOffset.TryParseExact(String(e, "timestamp", what), LeafDocument.TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out _))
            throw new MalformedException($"{what} has a timestamp not written as {LeafDocument.TimestampFormat}.");
        Kind(e, "data", what, JsonValueKind.Object);
        Kind(e, "headers", what, JsonValueKind.Object, JsonValueKind.Null);
        foreach (var name in (string[])["userName", "correlationId", "causationId", "tenant"]) Kind(e, name, what, JsonValueKind.String, JsonValueKind.Null);
        byte[] canonical;
        try { canonical = LeafDocument.CanonicalBytes(JsonMarshal.GetRawUtf8Value(e)); }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw new MalformedException($"{what} cannot be canonicalised: {ex.Message}");
        }
        return (JsonNode.Parse(canonical)!.AsObject(), canonical);
    }

    private static void Members(JsonElement obj, string what, string[] required, params string[] optional)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new MalformedException($"{what} is not a JSON object but {Describe(obj.ValueKind)}.");
        foreach (var member in obj.EnumerateObject())
            if (!required.Contains(member.Name, StringComparer.Ordinal) && !optional.Contains(member.Name, StringComparer.Ordinal))
                throw new MalformedException($"{what} has a member \"{member.Name}\" that its format does not have.");
        foreach (var name in required)
            if (!obj.TryGetProperty(name, out _)) throw new MalformedException($"{what} lacks the member \"{name}\".");
    }

    private static JsonElement Kind(JsonElement obj, string name, string what, params JsonValueKind[] kinds)
    {
        var value = obj.GetProperty(name);
        if (!kinds.Contains(value.ValueKind))
            throw new MalformedException($"The member \"{name}\" of {Lower(what)} is {Describe(value.ValueKind)}, not {string.Join(" or ", kinds.Select(Describe))}.");
        return value;
    }

    private static string String(JsonElement obj, string name, string what) => Kind(obj, name, what, JsonValueKind.String).GetString()!;

    private static string String(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new MalformedException($"{what} is {Describe(e.ValueKind)}, not a string.");

    private static long Integer(JsonElement obj, string name, string what) => Integer(Kind(obj, name, what, JsonValueKind.Number), $"The member \"{name}\" of {Lower(what)}");

    private static long Integer(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var value)
            ? value
            : throw new MalformedException($"{what} is not an integer (of at most 64 bits).");

    private static Guid Guid(JsonElement obj, string name, string what) =>
        System.Guid.TryParseExact(String(obj, name, what), "D", out var id) ? id : throw new MalformedException($"The member \"{name}\" of {Lower(what)} is not a GUID.");

    private static DateTimeOffset Timestamp(JsonElement obj, string name, string what) =>
        Kind(obj, name, what, JsonValueKind.String).TryGetDateTimeOffset(out var at)
            ? at
            : throw new MalformedException($"The member \"{name}\" of {Lower(what)} is not an ISO 8601 date and time.");

    private static IReadOnlyList<T> Array<T>(JsonElement obj, string name, string what, Func<JsonElement, string, T> item)
    {
        var array = Kind(obj, name, what, JsonValueKind.Array);
        var items = new List<T>(array.GetArrayLength());
        var index = 0;
        foreach (var e in array.EnumerateArray()) items.Add(item(e, $"Item {index++} of \"{name}\" of {Lower(what)}"));
        return items;
    }

    private static string Lower(string what) => what.StartsWith("The ", StringComparison.Ordinal) ? "t" + what[1..] : what;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}

/// <summary>The events of a bundle as read from a file, with the canonical bytes each was read back from.</summary>
internal sealed record CanonicalEvents(IReadOnlyList<JsonObject> Events, IReadOnlyList<byte[]> Bytes);
