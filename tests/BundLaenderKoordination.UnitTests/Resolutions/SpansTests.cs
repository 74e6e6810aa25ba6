using BundLaenderKoordination.Api.Resolutions;
using CsCheck;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>How quoted passages (of comments and brackets) are followed from one wording of a paragraph to the next.</summary>
public sealed class SpansTests
{
    private static readonly string[] Pieces = ["Die", "Länder", "Bund", "prüfen", "2027", "2028", ",", ".", " ", "  ", "\n", "ä", "§ 15"];

    private static readonly Gen<string> Text = Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]).Array[1, 16].Select(string.Concat);

    /// <summary>A text, a span in it, and a second text made by changing a random stretch of the first.</summary>
    private static readonly Gen<(string Older, int Start, int Length, string Newer)> Edited =
        Gen.Select(Text, Text, Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[0, 1])
            .Select((older, insert, a, b, c, d) =>
            {
                var start = (int)(a * (older.Length - 1));
                var length = 1 + (int)(b * (older.Length - start - 1));
                var cut = (int)(c * older.Length);
                var cutLength = (int)(d * (older.Length - cut));
                return (older, start, length, older[..cut] + insert + older[(cut + cutLength)..]);
            });

    [Fact]
    public void A_followed_span_reads_in_the_newer_text_exactly_as_in_the_older()
    {
        Edited.Sample(x =>
        {
            var quote = x.Older.Substring(x.Start, x.Length);
            if (Spans.Follow(x.Older, x.Newer, x.Start, x.Length) is { } moved)
                x.Newer.Substring(moved, x.Length).ShouldBe(quote);
        }, iter: 5_000);
    }

    [Fact]
    public void A_span_the_edit_did_not_touch_is_always_found_again()
    {
        // Passages are followed word by word: a quote is found again when the words (and inner spaces) it consists
        // of are unchanged; one that begins or ends in white space shares that run with its neighbours.
        Gen.Select(Text, Text.Select(t => t.Trim()).Where(t => t.Length > 0), Text, Text).Sample((before, span, after, added) =>
        {
            // The edit appends to the text after the span, separated by a space so the diff cannot merge words across it.
            var older = before + " " + span + " " + after;
            var newer = before + " " + span + " " + after + " " + added;
            Spans.Follow(older, newer, before.Length + 1, span.Length).ShouldBe(before.Length + 1);
        }, iter: 2_000);
    }
}
