using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>The examples of RFC 8785 (JSON Canonicalization Scheme).</summary>
public sealed class CanonicalJsonTests
{
    [Fact]
    public void The_example_of_section_3_2_2_canonicalises_as_the_RFC_prints_it()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        CanonicalJson.Canonicalize(input).ShouldBe(
            """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""");
    }

    [Fact]
    public void Members_are_sorted_by_UTF_16_code_units_as_in_section_3_2_3()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        CanonicalJson.Canonicalize(input).ShouldBe(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\"," +
            "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    [Fact]
    public void Nested_objects_and_arrays_keep_array_order_and_sort_members_at_every_level()
    {
        CanonicalJson.Canonicalize("""{ "b": [3, {"z": 1, "a": 2}], "a": {"d": null, "c": "x"} }""")
            .ShouldBe("""{"a":{"c":"x","d":null},"b":[3,{"a":2,"z":1}]}""");
    }

    // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Numbers_are_written_as_ECMAScript_writes_them(string ieee754, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(Convert.ToInt64(ieee754, 16));
        CanonicalJson.FormatNumber(value).ShouldBe(expected);
    }

    [Theory]
    [InlineData("7fffffffffffffff")]
    [InlineData("7ff0000000000000")]
    public void NaN_and_Infinity_are_refused(string ieee754)
    {
        var value = BitConverter.Int64BitsToDouble(Convert.ToInt64(ieee754, 16));
        Should.Throw<InvalidOperationException>(() => CanonicalJson.FormatNumber(value));
    }

    [Fact]
    public void Duplicate_member_names_are_refused()
    {
        Should.Throw<Exception>(() => CanonicalJson.Canonicalize("""{"a":1,"a":2}"""));
    }

    [Fact]
    public void A_leaf_document_hashes_equal_whether_an_umlaut_arrives_composed_or_decomposed()
    {
        var composed = System.Text.Json.Nodes.JsonNode.Parse("{\"text\":\"Die L\u00e4nder\\r\\nbitten\"}")!;
        var decomposed = System.Text.Json.Nodes.JsonNode.Parse("{\"text\":\"Die La\u0308nder\\nbitten\"}")!;
        LeafDocument.Hash(composed).ShouldBe(LeafDocument.Hash(decomposed));
    }
}
