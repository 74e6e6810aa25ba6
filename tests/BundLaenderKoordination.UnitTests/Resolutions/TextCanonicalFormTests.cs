using System.Text;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class TextCanonicalFormTests
{
    private static readonly Paragraph[] Text = [new("p1", "Die Länder bitten den Bund."), new("p2", "Zweiter Absatz.")];

    [Fact]
    public void The_canonical_form_is_length_prefixed_and_names_ids_in_order()
    {
        Encoding.UTF8.GetString(TextCanonicalForm.Encode("Titel", Text)).ShouldBe(
            "blk-text-v1\ntitle 5\nTitel\nparagraph p1 28\nDie Länder bitten den Bund.\nparagraph p2 15\nZweiter Absatz.\n");
    }

    [Fact]
    public void The_hash_is_lower_case_hex_SHA_256_of_the_canonical_form()
    {
        var hash = TextCanonicalForm.Hash("Titel", Text);
        hash.ShouldMatch("^[0-9a-f]{64}$");
        // Known answer, recomputed independently with the recipe in docs/text-hash.md.
        hash.ShouldBe("74b8e708580e02a8b2e63709e5a7e9d5f997cd41f97c001f9dae8587772b9f29");
    }

    [Fact]
    public void A_decomposed_umlaut_hashes_equal_to_the_composed_one()
    {
        var composed = "Die L\u00e4nder";
        var decomposed = "Die La\u0308nder";
        decomposed.ShouldNotBe(composed);
        TextCanonicalForm.Hash("T", [new("p1", decomposed)]).ShouldBe(TextCanonicalForm.Hash("T", [new("p1", composed)]));
        TextCanonicalForm.Hash("Bu\u0308ndnis", Text).ShouldBe(TextCanonicalForm.Hash("B\u00fcndnis", Text));
    }

    [Fact]
    public void Line_ends_are_hashed_as_LF()
    {
        TextCanonicalForm.Hash("T", [new("p1", "a\r\nb\rc")]).ShouldBe(TextCanonicalForm.Hash("T", [new("p1", "a\nb\nc")]));
    }

    [Fact]
    public void Paragraph_ids_and_order_are_part_of_the_hash()
    {
        var original = TextCanonicalForm.Hash("T", Text);
        TextCanonicalForm.Hash("T", [Text[1], Text[0]]).ShouldNotBe(original);
        TextCanonicalForm.Hash("T", [Text[0] with { Id = "p3" }, Text[1]]).ShouldNotBe(original);
        TextCanonicalForm.Hash("T2", Text).ShouldNotBe(original);
    }

    [Fact]
    public void Moving_a_line_break_between_paragraphs_changes_the_hash()
    {
        TextCanonicalForm.Hash("T", [new("p1", "a\nparagraph p2 1\nb")])
            .ShouldNotBe(TextCanonicalForm.Hash("T", [new("p1", "a"), new("p2", "b")]));
    }
}
