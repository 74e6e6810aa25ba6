using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("<script>")]
    [InlineData("</p>")]
    [InlineData("<!-- x -->")]
    [InlineData("<?xml")]
    [InlineData("a<b")]
    [InlineData("&amp;")]
    [InlineData("&#x3C;")]
    [InlineData("&#60;")]
    [InlineData("links\u202Erechts")]
    [InlineData("\u2066isoliert\u2069")]
    public void Text_a_browser_could_read_as_markup_is_unsafe_in_every_kind_of_text(string text)
    {
        var problem = TextRules.CheckComment(text).ShouldNotBeNull();
        TextRules.Refusal(problem).Type.ShouldBe("/problems/unsafe-text");
        TextRules.CheckSpan(text).ShouldNotBeNull();
        TextRules.CheckParagraphs("", [text]).ShouldNotBeNull();
        TextRules.CheckTitle(text).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("3 < 5")]
    [InlineData("<5 %")]
    [InlineData("5 > 3")]
    [InlineData("Müller & Söhne")]
    [InlineData("AT&T")]
    [InlineData("&;")]
    [InlineData("§ 15 Abs. 2")]
    [InlineData("<3")]
    public void Plain_text_with_angle_brackets_and_ampersands_that_open_nothing_is_fine(string text)
    {
        TextRules.CheckComment(text).ShouldBeNull();
        TextRules.CheckTitle(text).ShouldBeNull();
    }

    [Fact]
    public void Other_refusals_stay_invalid_input()
    {
        TextRules.Refusal(TextRules.CheckComment("")!).Type.ShouldBe("/problems/invalid-input");
        TextRules.Refusal(TextRules.CheckComment("Text\u0007")!).Type.ShouldBe("/problems/invalid-input");
    }
}
