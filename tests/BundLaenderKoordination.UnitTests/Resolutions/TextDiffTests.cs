using BundLaenderKoordination.Api.Resolutions;
using CsCheck;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class TextDiffTests
{
    private static readonly string[] Ids = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"];

    private static readonly string[] Pieces =
        ["Die", "Länder", "Bund", "und", "prüfen", "gemeinsam", "KI-Programm", "2028", ",", ".", " ", "  ", "\n", "\t", "ä", "ß", "(", ")", "§ 15"];

    private static readonly Gen<string> ParagraphText = Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]).Array[1, 14].Select(string.Concat);

    /// <summary>A text: a subset of the ids, in an order given by a seed, each with some wording.</summary>
    private static readonly Gen<Paragraph[]> Text =
        Gen.Select(Gen.Bool.Array[Ids.Length], ParagraphText.Array[Ids.Length], Gen.Int[0, 10_000], (present, texts, seed) =>
        {
            var paragraphs = Ids.Select((id, i) => new Paragraph(id, texts[i])).Where((_, i) => present[i]).ToArray();
            new Random(seed).Shuffle(paragraphs);
            return paragraphs;
        });

    [Fact]
    public void Applying_the_diff_between_any_two_versions_to_the_older_yields_the_newer()
    {
        Gen.Select(Text, Text).Sample((older, newer) =>
        {
            var diff = TextDiff.Between(older, newer);
            TextDiff.Apply(older, diff).ShouldBe(newer);
        }, iter: 2_000);
    }

    [Fact]
    public void A_diff_and_its_Synopse_name_every_paragraph_of_both_texts_exactly_once()
    {
        Gen.Select(Text, Text).Sample((older, newer) =>
        {
            var rows = TextDiff.Synopsis(TextDiff.Between(older, newer));
            rows.Select(r => r.ParagraphId).ShouldBeUnique();
            rows.Select(r => r.ParagraphId).Order().ShouldBe(older.Concat(newer).Select(p => p.Id).Distinct().Order());
            rows.Where(r => r.Old is not null).Select(r => (r.ParagraphId, r.Old)).OrderBy(r => r.ParagraphId)
                .ShouldBe(older.Select(p => (p.Id, (string?)p.Text)).OrderBy(r => r.Id));
        }, iter: 1_000);
    }

    [Fact]
    public void A_changed_word_shows_as_deleted_and_inserted_with_the_rest_unchanged()
    {
        TextDiff.Words("Die Länder prüfen bis 2028 eine Lösung.", "Die Länder prüfen bis 2030 gemeinsam eine Lösung.").ShouldBe([
            new DiffRun(RunKind.Unchanged, "Die Länder prüfen bis "),
            new DiffRun(RunKind.Deleted, "2028"),
            new DiffRun(RunKind.Inserted, "2030 gemeinsam"),
            new DiffRun(RunKind.Unchanged, " eine Lösung."),
        ]);
    }

    [Fact]
    public void Deleted_paragraphs_stay_where_they_were_and_unchanged_ones_are_marked()
    {
        var diff = TextDiff.Between(
            [new("p1", "Eins."), new("p2", "Zwei."), new("p3", "Drei.")],
            [new("p1", "Eins."), new("p4", "Vier."), new("p3", "Drei!")]);
        diff.Select(d => (d.ParagraphId, d.Status)).ShouldBe([
            ("p1", ParagraphDiffStatus.Unchanged), ("p2", ParagraphDiffStatus.Deleted), ("p4", ParagraphDiffStatus.Inserted), ("p3", ParagraphDiffStatus.Changed)]);
    }
}

public sealed class BoundedTextDiffTests
{
    private static string Words(int seed, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(i => ((seed * 7919 + i * 104729) % 100_003).ToString("x", System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_worst_case_diff_of_the_largest_text_stays_under_300_ms_and_still_spells_both_texts()
    {
        // The largest text allowed: ten paragraphs of 20,000 characters, each rewritten completely.
        var older = Enumerable.Range(1, 10).Select(i => new Paragraph($"p{i}", Words(i, 5_000)[..19_990])).ToList();
        var newer = Enumerable.Range(1, 10).Select(i => new Paragraph($"p{i}", Words(i + 100, 5_000)[..19_990])).ToList();
        TextDiff.Between(older.Take(1).ToList(), newer.Take(1).ToList());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var diff = TextDiff.Between(older, newer);
        clock.Stop();

        clock.ElapsedMilliseconds.ShouldBeLessThan(1_500, "measured on a quiet machine: well under 300 ms");
        TextDiff.Apply(older, diff).ShouldBe(newer);
    }

    [Fact]
    public void Shuffled_words_of_a_long_paragraph_are_bounded_too()
    {
        var words = Words(3, 3_000).Split(' ');
        var older = new List<Paragraph> { new("p1", string.Join(' ', words)) };
        var newer = new List<Paragraph> { new("p1", string.Join(' ', words.Reverse())) };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var diff = TextDiff.Between(older, newer);
        clock.Stop();

        clock.ElapsedMilliseconds.ShouldBeLessThan(1_500, "measured on a quiet machine: well under 300 ms");
        TextDiff.Apply(older, diff).ShouldBe(newer);
    }

    [Fact]
    public void A_small_change_in_a_long_paragraph_is_still_shown_word_by_word()
    {
        var text = Words(5, 3_000);
        var changed = text.Replace(text.Split(' ')[1_500], "Änderung");
        var runs = TextDiff.Words(text, changed);
        runs.Where(r => r.Kind == RunKind.Inserted).Select(r => r.Text).ShouldBe(["Änderung"]);
    }
}
