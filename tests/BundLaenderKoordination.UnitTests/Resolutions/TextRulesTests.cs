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

    [Theory]
    [InlineData("Null\u200BBreite")]      // zero-width space
    [InlineData("Zero\u200Cjoiner")]      // zero-width non-joiner
    [InlineData("Zero\u200Djoiner")]      // zero-width joiner
    [InlineData("\uFEFFAnfang")]          // byte order mark
    [InlineData("Wort\u2060verbinder")]   // word joiner
    [InlineData("Silben\u00ADtrennung")]  // soft hyphen
    [InlineData("links\u200Erechts")]     // left-to-right mark
    [InlineData("links\u200Frechts")]     // right-to-left mark
    [InlineData("arab\u061Cic")]          // Arabic letter mark
    [InlineData("Zeile\u2028Zeile")]      // line separator
    [InlineData("Absatz\u2029Absatz")]    // paragraph separator
    [InlineData("Tag\uDB40\uDC41")]       // tag character U+E0041
    [InlineData("privat\uE000")]          // private use
    [InlineData("privat\uDB80\uDC00")]    // private use, plane 15
    [InlineData("nicht\uFFFE")]           // noncharacter
    [InlineData("nicht\uFFFF")]
    [InlineData("nicht\uFDD0")]
    [InlineData("nicht\uD83F\uDFFE")]     // U+1FFFE, the end of plane 1
    public void Characters_a_reader_cannot_see_are_unsafe_in_every_kind_of_text(string text)
    {
        var problem = TextRules.CheckComment(text).ShouldNotBeNull();
        var refusal = TextRules.Refusal(problem);
        refusal.Type.ShouldBe("/problems/unsafe-text");
        refusal.Title.ShouldBe("The text contains characters a reader cannot see.");
        TextRules.CheckSpan(text).ShouldNotBeNull();
        TextRules.CheckParagraphs("Titel", [text]).ShouldNotBeNull();
        TextRules.CheckTitle(text).ShouldNotBeNull();
        TextRules.CheckShort(text, "a remark", 2000).ShouldNotBeNull().Type.ShouldBe("/problems/unsafe-text");
        TextRules.CheckQuery(text, "The search").ShouldNotBeNull();
    }

    [Fact]
    public void Lone_surrogates_are_unsafe_and_normalisation_never_meets_them()
    {
        // Built here: test data passed through the runner would have them replaced.
        foreach (var text in new[] { "halb" + '\uD800', '\uDC00' + "halb", "\uDE00\uD83D" })
        {
            TextRules.Refusal(TextRules.CheckComment(text).ShouldNotBeNull()).Type.ShouldBe("/problems/unsafe-text");
            TextRules.CheckTitle(text).ShouldNotBeNull().ShouldContain("lone surrogate");
            TextRules.CheckParagraphs("Titel", [text]).ShouldNotBeNull();
        }
    }

    [Theory]
    [InlineData("\u200B\u200B\u200B")]
    [InlineData("\u3164\u3164")]          // Hangul fillers: letters by category, blank on screen
    [InlineData("\u0301\u0308")]          // combining marks with nothing to combine with
    public void A_text_that_shows_nothing_is_refused(string text)
    {
        TextRules.Refusal(TextRules.CheckTitle(text).ShouldNotBeNull()).Type.ShouldBe("/problems/unsafe-text");
        TextRules.Refusal(TextRules.CheckComment(text).ShouldNotBeNull()).Type.ShouldBe("/problems/unsafe-text");
        TextRules.CheckParagraphs("Titel", [text]).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("Die Länder bitten den Bund.")]
    [InlineData("Zeile 1\nZeile 2\tmit Tab")]
    [InlineData("€ 5, § 3, „Zitat“ – ✓ 😀")]
    [InlineData("ﬁ Ligatur, Ångström, 漢字")]
    public void Ordinary_texts_in_any_script_with_symbols_and_emoji_pass(string text)
    {
        TextRules.CheckComment(text).ShouldBeNull();
        TextRules.CheckParagraphs("Titel", [text]).ShouldBeNull();
    }
}
