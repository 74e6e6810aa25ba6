using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class BracketDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Body D16 = BodySeed.D16;
    private static readonly Guid Id = Guid.Parse("0193a5d0-0000-7000-8000-000000000004");
    private static readonly Guid B1 = Guid.Parse("0193a5d0-0000-7000-8000-0000000000b1");

    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });
    private static Caller Chair => new("dev:chair", "Vorsitz", "DE-BY", new HashSet<string> { Roles.Chair });

    private static Resolution Bracketed()
    {
        var state = Resolution.Fold(ResolutionDecisions.Propose(Id, D16, "Titel", ["Die Länder verpflichten sich zur Umsetzung.", "Der Bund hilft."], Representative("DE-NW"), Now).Events)!;
        return Apply(state, BracketDecisions.Bracket(state, D16, B1, "p1", "verpflichten sich", 1, ["streben an"], Representative("DE-BY"), Now));
    }

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    [Fact]
    public void No_vote_and_no_adoption_while_a_bracket_is_open()
    {
        var state = Bracketed();
        var refusal = ResolutionDecisions.Vote(state, D16, VoteChoice.Yes, 1, Representative("DE-HE"), Now).Refusal!;
        refusal.Status.ShouldBe(422);
        refusal.Type.ShouldBe("/problems/open-brackets");
        refusal.Detail!.ShouldContain("verpflichten sich");
        ResolutionDecisions.Adopt(state, D16, Chair, Now).Refusal!.Type.ShouldBe("/problems/open-brackets");
    }

    [Fact]
    public void A_bracketed_passage_is_pinned_while_the_rest_of_its_paragraph_may_change()
    {
        var state = Bracketed();
        ResolutionDecisions.EditText(state, D16, [new("p1", "Die Länder sagen zu, umzusetzen."), new("p2", "Der Bund hilft.")], Representative("DE-HE"), Now)
            .Refusal!.Type.ShouldBe("/problems/bracketed-passage");
        ResolutionDecisions.EditText(state, D16, [new("p2", "Der Bund hilft.")], Representative("DE-HE"), Now)
            .Refusal!.Type.ShouldBe("/problems/bracketed-passage");

        state = Apply(state, ResolutionDecisions.EditText(state, D16, [new("p1", "Alle Länder verpflichten sich zur raschen Umsetzung."), new("p2", "Der Bund hilft.")], Representative("DE-HE"), Now));
        var bracket = state.OpenBrackets.ShouldHaveSingleItem();
        state.Paragraphs[0].Text.Substring(bracket.Start, bracket.Quote.Length).ShouldBe("verpflichten sich");
    }

    [Fact]
    public void Resolving_with_an_alternative_or_a_written_wording_replaces_the_passage_in_a_new_text_version()
    {
        var state = Bracketed();
        state = Apply(state, BracketDecisions.ProposeAlternative(state, D16, B1, "wirken hin auf", Representative("DE-SN"), Now));
        BracketDecisions.Resolve(state, D16, B1, 2, null, Representative("DE-SN"), Now).Refusal!.Status.ShouldBe(403);
        BracketDecisions.Resolve(state, D16, B1, 3, null, Chair, Now).Refusal!.Status.ShouldBe(400);

        state = Apply(state, BracketDecisions.Resolve(state, D16, B1, 1, null, Chair, Now));
        state.Paragraphs[0].Text.ShouldBe("Die Länder streben an zur Umsetzung.");
        state.TextVersion.ShouldBe(2);
        state.OpenBrackets.ShouldBeEmpty();
        ResolutionDecisions.Vote(state, D16, VoteChoice.Yes, 2, Representative("DE-HE"), Now).Refusal.ShouldBeNull();
    }

    [Fact]
    public void Keeping_the_bracketed_wording_adds_no_text_version_and_overlapping_brackets_are_refused()
    {
        var state = Bracketed();
        BracketDecisions.Bracket(state, D16, Guid.NewGuid(), "p1", "Länder verpflichten", 1, [], Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(409);
        BracketDecisions.Bracket(state, D16, Guid.NewGuid(), "p1", "gibt es nicht", 1, [], Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);

        var decision = BracketDecisions.Resolve(state, D16, B1, 0, null, Representative("DE-NW"), Now);
        decision.Events.ShouldHaveSingleItem().ShouldBeOfType<BracketResolved>();
        Apply(state, decision).TextVersion.ShouldBe(1);
    }

    [Fact]
    public void A_span_follows_edits_around_it_and_is_lost_when_they_touch_it()
    {
        Spans.Follow("Die Länder handeln jetzt.", "Alle Länder handeln sofort.", 4, 14).ShouldBe(5);
        Spans.Follow("Die Länder handeln jetzt.", "Die Länder handeln jetzt.", 4, 14).ShouldBe(4);
        Spans.Follow("Die Länder handeln jetzt.", "Die Länder und der Bund handeln jetzt.", 4, 14).ShouldBeNull();
        Spans.Follow("Die Länder handeln jetzt.", "Die Staaten handeln jetzt.", 4, 6).ShouldBeNull();
    }
}
