using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The streaming canonicaliser writes byte for byte what the tree-based one wrote (<see cref="TreeCanonicalJson"/>), for
/// documents of every shape and every way of writing them, so that leaves sealed before still verify.
/// </summary>
public sealed class StreamingCanonicalJsonTests
{
    private static readonly string[] Pieces =
    [
        "Länder", "La\u0308nder", "Bund", "\r\n", "\r", "\n", "\t", "\u0001", "\u001f", "\"", "\\", "/", "€", "😀", "\uE000", "\uFFFD",
        "\ufb33", "\u212B", "ﬁ", "ẞ", "ö", "o\u0308", " ", "Beschluss", "1", "\u0080", "\u00a0", "\u2028", "x",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-17", "42", "123456789012345", "-123456789012345", "1234567890123456", "9007199254740993", "1.5", "4.50",
        "2e-3", "1E30", "0.000000000000000000000000001", "333333333.33333329", "-0.0", "1e21", "1e-7", "100", "1.0", "12.340e1",
        "999999999999999999999", "5e-324", "1.7976931348623157e308",
    ];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_document_canonicalises_to_the_bytes_of_the_tree_canonicaliser(int seed)
    {
        var random = new Random(seed);
        using var output = new PooledBuffer();
        for (var i = 0; i < 50; i++)
        {
            var text = Document(random);
            var expected = Encoding.UTF8.GetBytes(TreeCanonicalJson.Serialize(JsonNode.Parse(text)));
            output.Clear();
            CanonicalJson.Write(Encoding.UTF8.GetBytes(text), output, normalizeStrings: false);
            output.WrittenSpan.ToArray().ShouldBe(expected, text);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_document_gives_the_leaf_bytes_of_the_tree_canonicaliser_with_strings_in_NFC_and_LF(int seed)
    {
        var random = new Random(1000 + seed);
        using var output = new PooledBuffer();
        for (var i = 0; i < 50; i++)
        {
            var text = Document(random);
            var node = JsonNode.Parse(text)!;
            var expected = TreeCanonicalJson.LeafBytes(node);
            output.Clear();
            CanonicalJson.Write(Encoding.UTF8.GetBytes(text), output, normalizeStrings: true);
            output.WrittenSpan.ToArray().ShouldBe(expected, text);
            LeafDocument.CanonicalBytes(node).ShouldBe(expected, text);
            LeafDocument.Hash(node).ShouldBe(LeafHash(expected), text);
        }
    }

    /// <summary>RFC 9162's leaf hash, written here: SHA-256 over 0x00 and the leaf bytes.</summary>
    private static byte[] LeafHash(byte[] bytes) => System.Security.Cryptography.SHA256.HashData([0x00, .. bytes]);

    /// <summary>
    /// The leaf document of an event row as docs/audit-bundle.md lists its members, assembled here rather than by the
    /// service's leaf builder, so that a member the builder leaves out (or fills wrongly) shows as a different hash.
    /// </summary>
    private static JsonObject ExpectedLeafDocument(long seq, Guid id, Guid stream, long version, string type, DateTimeOffset timestamp,
        string data, string? userName, string? correlation, string? causation, string? headers, string? tenant) => new()
    {
        ["causationId"] = causation,
        ["correlationId"] = correlation,
        ["data"] = JsonNode.Parse(data),
        ["headers"] = headers is null ? null : JsonNode.Parse(headers),
        ["id"] = id.ToString(),
        ["seq"] = seq,
        ["stream"] = stream.ToString(),
        ["tenant"] = tenant,
        ["timestamp"] = timestamp.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture),
        ["type"] = type,
        ["userName"] = userName,
        ["version"] = version,
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_event_row_hashes_to_the_leaf_of_its_leaf_document(int seed)
    {
        var random = new Random(2000 + seed);
        for (var i = 0; i < 25; i++)
        {
            var data = Document(random);
            var headers = random.Next(3) == 0 ? null : Document(random);
            var seq = random.Next(4) == 0 ? 9_007_199_254_740_993L : random.NextInt64(1, 10_000_000);
            var (id, stream, version) = (Guid.NewGuid(), Guid.NewGuid(), random.NextInt64(1, 100_000));
            var type = random.Next(2) == 0 ? "vote_cast" : Text(random);
            var timestamp = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(random.Next(-2, 3))).AddTicks(random.NextInt64(0, 10_000_000_000));
            string? Optional() => random.Next(3) == 0 ? null : Text(random);
            var (userName, correlation, causation, tenant) = (Optional(), Optional(), Optional(), Optional());

            var expected = LeafHash(TreeCanonicalJson.LeafBytes(
                ExpectedLeafDocument(seq, id, stream, version, type, timestamp, data, userName, correlation, causation, headers, tenant)));

            LeafDocument.HashEvent(seq, id, stream, version, type, timestamp, Encoding.UTF8.GetBytes(data), userName, correlation, causation,
                headers is null ? default : Encoding.UTF8.GetBytes(headers), headers is not null, tenant).ShouldBe(expected, data);
            var document = LeafDocument.ForEvent(seq, id, stream, version, type, timestamp, JsonNode.Parse(data), userName, correlation, causation,
                headers is null ? null : JsonNode.Parse(headers), tenant);
            LeafDocument.Hash(document).ShouldBe(expected, data);
        }
    }

    [Theory]
    [InlineData("userName")]
    [InlineData("correlationId")]
    [InlineData("causationId")]
    [InlineData("tenant")]
    [InlineData("type")]
    public void Each_text_member_of_an_event_row_is_covered_by_its_leaf_hash(string member)
    {
        var (id, stream, at) = (Guid.NewGuid(), Guid.NewGuid(), new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        var values = new Dictionary<string, string> { ["userName"] = "anna", ["correlationId"] = "c", ["causationId"] = "k", ["tenant"] = "*DEFAULT*", ["type"] = "vote_cast" };
        byte[] Hash(IReadOnlyDictionary<string, string> v) => LeafDocument.HashEvent(7, id, stream, 3, v["type"], at, "{}"u8, v["userName"], v["correlationId"],
            v["causationId"], default, false, v["tenant"]);
        var changed = new Dictionary<string, string>(values) { [member] = values[member] + "x" };
        Hash(changed).ShouldNotBe(Hash(values));
        Hash(changed).ShouldBe(LeafHash(TreeCanonicalJson.LeafBytes(ExpectedLeafDocument(7, id, stream, 3, changed["type"], at, "{}", changed["userName"],
            changed["correlationId"], changed["causationId"], null, changed["tenant"]))));
    }

    [Fact]
    public void A_gap_leaf_is_unchanged()
    {
        byte[] expected = LeafHash("{\"gap\":true,\"seq\":17}"u8.ToArray());
        LeafDocument.Hash(LeafDocument.ForGap(17)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""")]
    [InlineData("""{"a":"\udc00x"}""")]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"a":1,"\u0061":2}""")]
    [InlineData("""{"b":1,"a":2,"b":3}""")]
    [InlineData("""{"a":1} {"b":2}""")]
    [InlineData("""{"a":1e400}""")]
    [InlineData("")]
    public void Text_that_is_not_one_valid_JSON_value_of_Unicode_strings_is_refused(string json)
    {
        using var output = new PooledBuffer();
        Should.Throw<Exception>(() => CanonicalJson.Write(Encoding.UTF8.GetBytes(json), output, normalizeStrings: true));
    }

    [Fact]
    public void Bytes_that_are_not_UTF_8_are_refused()
    {
        using var output = new PooledBuffer();
        byte[] json = [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];
        Should.Throw<Exception>(() => CanonicalJson.Write(json, output, normalizeStrings: false));
    }

    private static string Document(Random random)
    {
        var builder = new StringBuilder();
        WriteObject(builder, random, 0);
        return builder.ToString();
    }

    private static void WriteValue(StringBuilder builder, Random random, int depth)
    {
        switch (random.Next(depth > 3 ? 5 : 7))
        {
            case 0: WriteString(builder, random, Text(random)); break;
            case 1: builder.Append(Numbers[random.Next(Numbers.Length)]); break;
            case 2: builder.Append(random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" }); break;
            case 3: WriteString(builder, random, Text(random)); break;
            case 4: builder.Append(random.Next(1_000_000).ToString(CultureInfo.InvariantCulture)); break;
            case 5: WriteObject(builder, random, depth + 1); break;
            default:
                builder.Append('[');
                var count = random.Next(5);
                for (var i = 0; i < count; i++)
                {
                    if (i > 0) builder.Append(',');
                    Space(builder, random);
                    WriteValue(builder, random, depth + 1);
                }
                Space(builder, random);
                builder.Append(']');
                break;
        }
    }

    private static void WriteObject(StringBuilder builder, Random random, int depth)
    {
        builder.Append('{');
        var names = new HashSet<string>(StringComparer.Ordinal);
        var count = random.Next(depth == 0 ? 1 : 0, 9);
        for (var i = 0; i < count; i++)
        {
            var name = random.Next(3) == 0 ? Text(random) : ((char)('a' + random.Next(26))).ToString() + random.Next(20);
            if (!names.Add(name)) continue;
            if (names.Count > 1) builder.Append(',');
            Space(builder, random);
            WriteString(builder, random, name);
            Space(builder, random);
            builder.Append(':');
            Space(builder, random);
            WriteValue(builder, random, depth + 1);
        }
        Space(builder, random);
        builder.Append('}');
    }

    private static string Text(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(6);
        for (var i = 0; i < count; i++) builder.Append(Pieces[random.Next(Pieces.Length)]);
        return builder.ToString();
    }

    // Writes a string with every character either as it is or escaped, as other serialisers might.
    private static void WriteString(StringBuilder builder, Random random, string text)
    {
        builder.Append('"');
        var escapePair = false;
        foreach (var c in text)
        {
            // Both halves of a surrogate pair are escaped, or neither.
            var escape = char.IsLowSurrogate(c) ? escapePair : random.Next(4) == 0;
            escapePair = escape;
            if (c == '"') builder.Append(escape ? "\\u0022" : "\\\"");
            else if (c == '\\') builder.Append(escape ? "\\u005C" : "\\\\");
            else if (c == '/' && escape) builder.Append("\\/");
            else if (c == '\n' && !escape) builder.Append("\\n");
            else if (c == '\r' && !escape) builder.Append("\\r");
            else if (c == '\t' && !escape) builder.Append("\\t");
            else if (c < 0x20 || escape) builder.Append("\\u").Append(((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        builder.Append('"');
    }

    private static void Space(StringBuilder builder, Random random)
    {
        if (random.Next(3) == 0) builder.Append(random.Next(3) switch { 0 => " ", 1 => "\n  ", _ => "\t" });
    }
}
