using System.Globalization;
using System.Text;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.Api.Resolutions;
using CsCheck;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>
/// Whatever a client sends as a text, the checks answer with a refusal or let it through, and what they let through
/// can be normalised, measured, hashed and indexed: no input reaches an exception (which the service would answer 500).
/// </summary>
public sealed class TextPropertyTests
{
    /// <summary>Pieces that are rare in random UTF-16 but where the trouble lies.</summary>
    private static readonly string[] Awkward =
    [
        "\uFFFE", "\uFFFF", "\uFDD0", "\uD83F\uDFFF", "\uDBFF\uDFFE", "\uD800", "\uDFFF", "\uDB40\uDC01", "\uDB40\uDC7F",
        "\u200B", "\u00AD", "\uFEFF", "\u2028", "\u2029", "\u202E", "\u2066", "\uE000", "\u0301", "\u3164", "\r\n", "\r",
        "\n", "\t", "\0", "<a", "&lt;", "&", "<", " ", "ä", "a\u0308", "😀", "\uD83D\uDE00", "Die Länder", "§ 5",
    ];

    private static readonly Gen<string> Texts =
        Gen.Frequency(
                (3, Gen.Char.Select(c => c.ToString())),
                (2, Gen.Int[0, 0x10FFFF].Where(v => v is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32)),
                (3, Gen.OneOf<string>(Awkward)),
                (2, Gen.Char['a', 'z'].Select(c => c.ToString())))
            .Array[0, 40]
            .Select(string.Concat);

    [Fact]
    public void No_text_makes_the_checks_the_hash_or_the_search_index_throw()
    {
        Texts.Sample(text =>
        {
            var refusals = new[]
            {
                TextRules.CheckTitle(text), TextRules.CheckComment(text), TextRules.CheckSpan(text),
                TextRules.CheckParagraphs("Titel", [text]), TextRules.CheckParagraphs(text, ["Absatz."]),
            };
            foreach (var refusal in refusals.OfType<string>()) TextRules.Refusal(refusal).Status.ShouldBe(400);
            TextRules.CheckShort(text, "a remark", 2000)?.Status.ShouldBe(400);
            var query = TextRules.CheckQuery(text, "The search");
            query?.Status.ShouldBe(400);
            if (query is null) _ = SearchTerms.Of([text]).ToList();

            if (refusals[3] is null)
            {
                // Accepted as a paragraph: it can be stored, hashed and indexed, and holds no character a reader cannot see.
                var paragraph = new Paragraph("p1", TextCanonicalForm.Normalize(text));
                TextCanonicalForm.Hash("Titel", [paragraph]).Length.ShouldBe(64);
                TextRules.Length(text).ShouldBeGreaterThan(0);
                _ = SearchTerms.Of([paragraph.Text]).ToList();
                foreach (var rune in paragraph.Text.EnumerateRunes())
                {
                    Rune.GetUnicodeCategory(rune).ShouldNotBeOneOf(UnicodeCategory.Format, UnicodeCategory.LineSeparator,
                        UnicodeCategory.ParagraphSeparator, UnicodeCategory.PrivateUse, UnicodeCategory.Surrogate);
                    (rune.Value & 0xFFFE).ShouldNotBe(0xFFFE);
                }
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Ordinary_text_is_never_refused()
    {
        Gen.OneOf<string>("Die Länder", "bitten", "den Bund", "um Prüfung", "§ 5 Abs. 2", "3 < 5", "Müller & Söhne", "„Zitat“", "😀", "\n", "\t")
            .Array[1, 20]
            .Select(parts => string.Join(' ', parts) + ".")
            .Sample(text => TextRules.CheckParagraphs("Titel", [text]).ShouldBeNull(text));
    }
}
