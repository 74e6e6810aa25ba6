using System.Text;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The checks before any reading of an audit file, on texts written out here: one JSON value without trailing commas,
/// valid Unicode in every string and member name (with the byte where it is not), no two member names equal up to
/// letter case however they are escaped, and a leading byte order mark set aside.
/// </summary>
public sealed class StrictJsonCheckTests
{
    [Theory]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1]/*c*/")]
    [InlineData("[1] [2]")]
    [InlineData("")]
    public void Trailing_commas_comments_and_a_second_value_are_not_one_well_formed_value(string text) =>
        StrictJson.Check(Encoding.UTF8.GetBytes(text)).ShouldNotBeNull().ShouldStartWith("Not one well-formed JSON value: ");

    [Fact]
    public void Well_formed_text_passes()
    {
        StrictJson.Check("{\"a\":[1,{\"b\":\"\\u00e4\"}],\"\\u0062\":null,\"c\":\"L\u00e4nder\"}"u8).ShouldBeNull();
    }

    [Fact]
    public void A_member_name_that_is_not_valid_UTF_8_is_refused_with_its_byte()
    {
        StrictJson.Check([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'])
            .ShouldBe("A member name at byte 1 is not valid Unicode (invalid UTF-8 or a lone surrogate).");
        StrictJson.Check("{\"a\":1, \"\\ud800\":2}"u8).ShouldBe("A member name at byte 8 is not valid Unicode (invalid UTF-8 or a lone surrogate).");
    }

    [Fact]
    public void A_string_that_is_not_valid_UTF_8_is_refused_with_its_byte()
    {
        StrictJson.Check([(byte)'[', (byte)'"', (byte)'a', (byte)'"', (byte)',', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']'])
            .ShouldBe("A string at byte 5 is not valid Unicode (invalid UTF-8 or a lone surrogate).");
        StrictJson.Check("[\"\\udc00\"]"u8).ShouldBe("A string at byte 1 is not valid Unicode (invalid UTF-8 or a lone surrogate).");
    }

    [Fact]
    public void Escaped_member_names_are_compared_by_their_text()
    {
        StrictJson.Check("{\"\\u0061\":1,\"\\u0062\":2,\"\\u0063\":3}"u8).ShouldBeNull();
        StrictJson.Check("{\"\\u0061\":1,\"a\":2}"u8).ShouldBe("The member \"a\" appears twice in one object (byte 12).");
        StrictJson.Check("{\"\\u0041\":1,\"a\":2}"u8).ShouldBe("The members \"A\" and \"a\" differ only in letter case in one object (byte 12).");
    }

    [Fact]
    public void Long_escaped_names_and_strings_are_checked_whole()
    {
        var umlauts = string.Concat(Enumerable.Repeat("\\u00e4", 300));
        StrictJson.Check(Encoding.UTF8.GetBytes($"[\"{umlauts}\",\"{umlauts}x\"]")).ShouldBeNull();
        var name = new string('\u00e4', 300);
        StrictJson.Check(Encoding.UTF8.GetBytes($"{{\"{umlauts}\":1,\"{name}\":2}}"))
            .ShouldBe($"The member \"{name}\" appears twice in one object (byte {1 + 2 + 300 * 6 + 3}).");
    }

    [Fact]
    public void A_leading_byte_order_mark_is_set_aside_and_only_one()
    {
        StrictJson.WithoutByteOrderMark(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' }).ToArray().ShouldBe("{}"u8.ToArray());
        StrictJson.WithoutByteOrderMark(new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, (byte)'1' }).ToArray().ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'1' });
        StrictJson.WithoutByteOrderMark("{}"u8.ToArray()).ToArray().ShouldBe("{}"u8.ToArray());
        StrictJson.WithoutByteOrderMark(new byte[] { 0xEF, 0xBB }).ToArray().ShouldBe(new byte[] { 0xEF, 0xBB });
    }
}
