using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class TextMergeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Body D16 = BodySeed.D16;
    private static readonly Guid Id = Guid.Parse("0193a5d0-0000-7000-8000-000000000002");

    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });

    private static Resolution Proposed() =>
        Resolution.Fold(ResolutionDecisions.Propose(Id, D16, "Titel", ["Eins.", "Zwei.", "Drei."], Representative("DE-BY"), Now).Events)!;

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    private static ParagraphEdit[] Base(params (string? Id, string Text)[] paragraphs) => paragraphs.Select(p => new ParagraphEdit(p.Id, p.Text)).ToArray();

    [Fact]
    public void Edits_of_different_paragraphs_from_one_base_both_land()
    {
        var state = Proposed();
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins, geändert."), ("p2", "Zwei."), ("p3", "Drei.")), Representative("DE-HE"), Now));
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins."), ("p2", "Zwei."), ("p3", "Drei, geändert.")), Representative("DE-NW"), Now));

        state.TextVersion.ShouldBe(3);
        state.Paragraphs.ShouldBe([new Paragraph("p1", "Eins, geändert."), new Paragraph("p2", "Zwei."), new Paragraph("p3", "Drei, geändert.")]);
    }

    [Fact]
    public void An_edit_of_a_paragraph_changed_since_the_base_conflicts_with_its_current_text()
    {
        var state = Proposed();
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins."), ("p2", "Zwei, HE."), ("p3", "Drei.")), Representative("DE-HE"), Now));
        var refusal = ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins."), ("p2", "Zwei, NW."), ("p3", "Drei.")), Representative("DE-NW"), Now).Refusal!;

        refusal.Status.ShouldBe(409);
        refusal.Type.ShouldBe("/problems/paragraph-conflict");
        var conflict = ((IReadOnlyList<ParagraphConflict>)refusal.Extensions["conflicts"]!).ShouldHaveSingleItem();
        conflict.ShouldBe(new ParagraphConflict("p2", "Zwei.", "Zwei, HE.", "Zwei, NW."));
    }

    [Fact]
    public void Inserted_and_deleted_paragraphs_merge_with_others_edits()
    {
        var state = Proposed();
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins."), (null, "Neu nach Eins."), ("p2", "Zwei."), ("p3", "Drei.")), Representative("DE-HE"), Now));
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins."), ("p2", "Zwei."), (null, "Neu nach Zwei.")), Representative("DE-NW"), Now));

        state.Paragraphs.ShouldBe([new Paragraph("p1", "Eins."), new Paragraph("p4", "Neu nach Eins."), new Paragraph("p2", "Zwei."), new Paragraph("p5", "Neu nach Zwei.")]);
    }

    [Fact]
    public void Deleting_a_paragraph_someone_else_changed_conflicts()
    {
        var state = Proposed();
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins."), ("p2", "Zwei."), ("p3", "Drei, neu.")), Representative("DE-HE"), Now));
        var refusal = ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins."), ("p2", "Zwei.")), Representative("DE-NW"), Now).Refusal!;
        refusal.Status.ShouldBe(409);
        ((IReadOnlyList<ParagraphConflict>)refusal.Extensions["conflicts"]!).ShouldHaveSingleItem().CurrentText.ShouldBe("Drei, neu.");
    }

    [Fact]
    public void Moving_paragraphs_needs_the_current_text_and_unknown_ids_are_refused()
    {
        var state = Proposed();
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p1", "Eins!"), ("p2", "Zwei."), ("p3", "Drei.")), Representative("DE-HE"), Now));
        ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p2", "Zwei."), ("p1", "Eins."), ("p3", "Drei.")), Representative("DE-NW"), Now).Refusal!.Status.ShouldBe(409);
        ResolutionDecisions.EditFromBase(state, D16, 1, Base(("p9", "Neun.")), Representative("DE-NW"), Now).Refusal!.Status.ShouldBe(400);
        ResolutionDecisions.EditFromBase(state, D16, 3, Base(("p1", "Eins.")), Representative("DE-NW"), Now).Refusal!.Status.ShouldBe(400);
        ResolutionDecisions.EditFromBase(state, D16, 2, Base(("p2", "Zwei."), ("p1", "Eins!"), ("p3", "Drei.")), Representative("DE-NW"), Now).Refusal.ShouldBeNull();
    }
}
