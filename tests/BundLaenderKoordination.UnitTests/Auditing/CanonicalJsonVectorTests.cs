using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// Known answers of RFC 8785 (JCS) written out by hand: the escapes of every kind of control character, numbers at the
/// edges of ECMAScript's notation, objects larger than the canonicaliser's first table of members, duplicate names
/// wherever they stand, and text that is not one JSON value or not valid Unicode.
/// </summary>
public sealed class CanonicalJsonVectorTests
{
    private static string Canonical(byte[] utf8, bool normalize)
    {
        using var output = new PooledBuffer();
        CanonicalJson.Write(utf8, output, normalize);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void A_null_node_is_written_as_null()
    {
        CanonicalJson.Serialize(null).ShouldBe("null");
        CanonicalJson.SerializeToUtf8(null).ShouldBe("null"u8.ToArray());
        using var output = new PooledBuffer();
        output.Write("["u8);
        CanonicalJson.Write((JsonNode?)null, output, normalizeStrings: true);
        output.Write("]"u8);
        Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe("[null]");
    }

    [Fact]
    public void Serialize_and_Canonicalize_keep_strings_as_they_are_while_leaf_canonicalisation_normalises_them()
    {
        var node = new JsonObject { ["t"] = "La\u0308nder\r\nBund\r", ["a"] = 1 };
        CanonicalJson.Serialize(node).ShouldBe("{\"a\":1,\"t\":\"La\u0308nder\\r\\nBund\\r\"}");
        CanonicalJson.SerializeToUtf8(node).ShouldBe(Encoding.UTF8.GetBytes("{\"a\":1,\"t\":\"La\u0308nder\\r\\nBund\\r\"}"));
        CanonicalJson.Canonicalize("{\"t\":\"La\u0308nder\\r\\nBund\\r\",\"a\":1}").ShouldBe("{\"a\":1,\"t\":\"La\u0308nder\\r\\nBund\\r\"}");
        using var output = new PooledBuffer();
        CanonicalJson.Write(node, output, normalizeStrings: true);
        Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe("{\"a\":1,\"t\":\"L\u00e4nder\\nBund\\n\"}");
    }

    [Fact]
    public void Control_characters_get_the_short_escapes_where_there_are_some_and_lower_case_u00xx_otherwise()
    {
        CanonicalJson.Canonicalize("\"\\u0008\\u000C\\u0009\\u000A\\u000D\\u0000\\u0001\\u001F\\u001b\\u007F\\u2028\\/\\u0022\\u005C\"")
            .ShouldBe("\"\\b\\f\\t\\n\\r\\u0000\\u0001\\u001f\\u001b\u007f\u2028/\\\"\\\\\"");
        CanonicalJson.Serialize(JsonValue.Create("\b\f\u000b\u0010")).ShouldBe("\"\\b\\f\\u000b\\u0010\"");
    }

    [Fact]
    public void Escaped_surrogate_pairs_become_the_character_and_a_lone_surrogate_is_refused()
    {
        CanonicalJson.Canonicalize("\"\\ud83d\\ude00 \\u00e4\"").ShouldBe("\"\U0001F600 \u00e4\"");
        CanonicalJson.Canonicalize("{\"\\ud83d\\ude00\":1,\"\\ufb33\":2,\"\\u00e4\":3}").ShouldBe("{\"\u00e4\":3,\"\U0001F600\":1,\"\ufb33\":2}");
        Should.Throw<InvalidOperationException>(() => CanonicalJson.Canonicalize("\"\\ud800\""));
        Should.Throw<InvalidOperationException>(() => CanonicalJson.Canonicalize("{\"\\udc00\":1}"));
    }

    [Fact]
    public void A_string_value_that_is_not_valid_UTF_8_is_refused_saying_so()
    {
        byte[] text = [(byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']'];
        Should.Throw<InvalidOperationException>(() => Canonical(text, normalize: false))
            .Message.ShouldBe("A JSON string that is not valid UTF-8 cannot be canonicalised.");
    }

    [Fact]
    public void A_member_name_that_is_not_valid_UTF_8_is_refused_saying_so()
    {
        byte[] text = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        Should.Throw<InvalidOperationException>(() => Canonical(text, normalize: false))
            .Message.ShouldBe("A JSON string that is not valid UTF-8 cannot be canonicalised.");
    }

    [Fact]
    public void An_escaped_member_name_or_string_that_is_not_valid_UTF_8_is_refused()
    {
        byte[] name = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'\\', (byte)'n', (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        Should.Throw<InvalidOperationException>(() => Canonical(name, normalize: false));
        byte[] value = [(byte)'"', 0xC3, 0x28, (byte)'\\', (byte)'n', (byte)'"'];
        Should.Throw<InvalidOperationException>(() => Canonical(value, normalize: true));
    }

    [Fact]
    public void An_empty_text_and_a_second_value_are_refused()
    {
        Should.Throw<JsonException>(() => Canonical([], normalize: false));
        Should.Throw<JsonException>(() => Canonical("  "u8.ToArray(), normalize: false));
        Should.Throw<JsonException>(() => Canonical("1 2"u8.ToArray(), normalize: false));
        Should.Throw<JsonException>(() => Canonical("{} []"u8.ToArray(), normalize: false));
    }

    [Fact]
    public void Two_adjacent_members_of_one_name_are_refused_as_duplicates()
    {
        Should.Throw<JsonException>(() => CanonicalJson.Canonicalize("""{"b":1,"a":2,"a":3}""")).Message.ShouldBe("Duplicate member name.");
        Should.Throw<JsonException>(() => CanonicalJson.Canonicalize("""{"a":1,"\u0061":2}""")).Message.ShouldBe("Duplicate member name.");
    }

    [Theory]
    [InlineData("""{"a":1,"c":2,"a":3}""")]
    [InlineData("""{"b":1,"c":2,"a":3,"b":4}""")]
    [InlineData("""{"a":1,"z":{"x":1},"y":2,"a":3}""")]
    public void Two_members_of_one_name_apart_are_refused_as_duplicates(string json) =>
        Should.Throw<JsonException>(() => CanonicalJson.Canonicalize(json)).Message.ShouldBe("Duplicate member name.");

    [Fact]
    public void An_object_of_many_members_in_reverse_order_is_sorted()
    {
        // 40 members, more than the first table of 16 and than its first doubling.
        var input = "{" + string.Join(",", Enumerable.Range(0, 40).Reverse().Select(i => $"\"k{i:D2}\":{i}")) + "}";
        var expected = "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i:D2}\":{i}")) + "}";
        CanonicalJson.Canonicalize(input).ShouldBe(expected);
    }

    [Fact]
    public void An_object_of_many_members_already_in_order_is_written_as_it_is()
    {
        const string input = """{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"r":[18],"s":{"t":19}}""";
        CanonicalJson.Canonicalize(input).ShouldBe(input);
        Should.Throw<JsonException>(() => CanonicalJson.Canonicalize(input[..^1] + ",\"b\":0}")).Message.ShouldBe("Duplicate member name.");
    }

    [Theory]
    [InlineData("\"abcdefghijklmno\\r\"", "\"abcdefghijklmno\\n\"")]
    [InlineData("\"abcdefghijklmnopqrstuvwxyz01234\\r\"", "\"abcdefghijklmnopqrstuvwxyz01234\\n\"")]
    [InlineData("\"a\\r\\nb\\rc\\n\\r\"", "\"a\\nb\\nc\\n\\n\"")]
    [InlineData("\"\\r\"", "\"\\n\"")]
    public void A_carriage_return_becomes_a_line_feed_also_as_the_last_character(string json, string expected) =>
        Canonical(Encoding.UTF8.GetBytes(json), normalize: true).ShouldBe(expected);

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.25, "0.25")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.999, "0.999")]
    [InlineData(1.5, "1.5")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1.5e-6, "0.0000015")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.25e-7, "1.25e-7")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e21, "1.5e+21")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(-1e-300, "-1e-300")]
    public void Numbers_between_the_notations_are_written_as_ECMAScript_writes_them(double value, string expected) =>
        CanonicalJson.FormatNumber(value).ShouldBe(expected);

    [Fact]
    public void NaN_and_Infinity_are_refused_saying_they_are_not_JSON_numbers()
    {
        Should.Throw<InvalidOperationException>(() => CanonicalJson.FormatNumber(double.NaN)).Message.ShouldBe("NaN and Infinity are not JSON numbers.");
        Should.Throw<InvalidOperationException>(() => CanonicalJson.FormatNumber(double.NegativeInfinity)).Message.ShouldBe("NaN and Infinity are not JSON numbers.");
        Should.Throw<InvalidOperationException>(() => CanonicalJson.Canonicalize("[1e400]")).Message.ShouldBe("NaN and Infinity are not JSON numbers.");
    }

    [Theory]
    [InlineData("-0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("0e10", "0")]
    [InlineData("-5", "-5")]
    [InlineData("123456789012345", "123456789012345")]
    [InlineData("-123456789012345", "-123456789012345")]
    [InlineData("1234567890123456", "1234567890123456")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("-9007199254740993", "-9007199254740992")]
    [InlineData("1e21", "1e+21")]
    [InlineData("0.50", "0.5")]
    [InlineData("5E-1", "0.5")]
    [InlineData("-1E-7", "-1e-7")]
    [InlineData("100e-2", "1")]
    public void Number_tokens_are_written_in_canonical_form(string token, string expected) =>
        CanonicalJson.Canonicalize(token).ShouldBe(expected);

    [Theory]
    [InlineData(1L, "1")]
    [InlineData(-1L, "-1")]
    [InlineData(0L, "0")]
    [InlineData(999_999_999_999_999L, "999999999999999")]
    [InlineData(-999_999_999_999_999L, "-999999999999999")]
    [InlineData(1_000_000_000_000_000L, "1000000000000000")]
    [InlineData(-1_000_000_000_000_000L, "-1000000000000000")]
    [InlineData(9_007_199_254_740_993L, "9007199254740992")]
    [InlineData(-9_007_199_254_740_993L, "-9007199254740992")]
    [InlineData(long.MaxValue, "9223372036854776000")]
    [InlineData(long.MinValue, "-9223372036854776000")]
    public void An_event_s_sequence_number_is_hashed_as_the_number_a_JCS_reader_sees(long seq, string canonical)
    {
        var id = Guid.Parse("00000000-0000-4000-8000-000000000001");
        var stream = Guid.Parse("0f3c2d9e-1111-4a5b-8c7d-000000000001");
        var at = new DateTimeOffset(2026, 11, 29, 5, 0, 1, TimeSpan.Zero);
        var document =
            "{\"causationId\":null,\"correlationId\":null,\"data\":{},\"headers\":null,\"id\":\"00000000-0000-4000-8000-000000000001\",\"seq\":" + canonical +
            ",\"stream\":\"0f3c2d9e-1111-4a5b-8c7d-000000000001\",\"tenant\":null,\"timestamp\":\"2026-11-29T05:00:01.000000Z\",\"type\":\"t\",\"userName\":null,\"version\":" +
            canonical + "}";
        var expected = SHA256.HashData([0x00, .. Encoding.UTF8.GetBytes(document)]);
        LeafDocument.HashEvent(seq, id, stream, seq, "t", at, "{}"u8, null, null, null, default, false, null).ShouldBe(expected);
    }
}
