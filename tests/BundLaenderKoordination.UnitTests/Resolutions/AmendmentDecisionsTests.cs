using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class AmendmentDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Body D16 = BodySeed.D16;
    private static readonly Guid Id = Guid.Parse("0193a5d0-0000-7000-8000-000000000003");
    private static readonly Guid A1 = Guid.Parse("0193a5d0-0000-7000-8000-0000000000a1");
    private static readonly Guid A2 = Guid.Parse("0193a5d0-0000-7000-8000-0000000000a2");

    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });
    private static Caller Chair => new("dev:chair", "Vorsitz", "DE-BY", new HashSet<string> { Roles.Chair });

    private static Resolution Proposed() =>
        Resolution.Fold(ResolutionDecisions.Propose(Id, D16, "Titel", ["Die Länder handeln.", "Der Bund hilft.", "Alle berichten jährlich."], Representative("DE-NW"), Now).Events)!;

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    private static AmendmentChangeInput Replace(string id, string text) => new(AmendmentChangeKind.Replace, id, null, null, 1, text);
    private static AmendmentChangeInput Span(string id, string quote, string text) => new(AmendmentChangeKind.ReplaceSpan, id, null, quote, 1, text);

    [Fact]
    public void An_amendment_whose_paragraphs_are_untouched_since_its_base_applies_as_a_new_text_version()
    {
        var state = Proposed();
        state = Apply(state, AmendmentDecisions.Propose(state, D16, A1, 1, [Span("p3", "jährlich", "halbjährlich")], "Häufiger.", Representative("DE-HE"), Now));
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, [new("p1", "Die Länder handeln jetzt."), new("p2", "Der Bund hilft."), new("p3", "Alle berichten jährlich.")], Representative("DE-BE"), Now));

        var decision = AmendmentDecisions.Accept(state, D16, A1, null, Chair, Now);
        decision.Events.Select(e => e.GetType()).ShouldBe([typeof(AmendmentAccepted), typeof(ResolutionTextEdited)]);
        state = Apply(state, decision);
        state.TextVersion.ShouldBe(3);
        state.Paragraphs.Select(p => p.Text).ShouldBe(["Die Länder handeln jetzt.", "Der Bund hilft.", "Alle berichten halbjährlich."]);
        state.Amendments[A1].Status.ShouldBe(AmendmentStatus.Accepted);
    }

    [Fact]
    public void An_amendment_whose_paragraph_changed_conflicts_until_its_author_revises_it()
    {
        var state = Proposed();
        state = Apply(state, AmendmentDecisions.Propose(state, D16, A1, 1, [Replace("p2", "Der Bund finanziert.")], "Klarer.", Representative("DE-HE"), Now));
        state = Apply(state, ResolutionDecisions.EditFromBase(state, D16, 1, [new("p1", "Die Länder handeln."), new("p2", "Der Bund unterstützt."), new("p3", "Alle berichten jährlich.")], Representative("DE-BE"), Now));

        var refusal = AmendmentDecisions.Accept(state, D16, A1, null, Chair, Now).Refusal!;
        refusal.Status.ShouldBe(409);
        refusal.Type.ShouldBe("/problems/amendment-conflict");
        ((IReadOnlyList<ParagraphConflict>)refusal.Extensions["conflicts"]!).ShouldBe([new ParagraphConflict("p2", "Der Bund hilft.", "Der Bund unterstützt.", "Der Bund finanziert.")]);

        AmendmentDecisions.Revise(state, D16, A1, 2, [Replace("p2", "x")], "r", Representative("DE-BE"), Now).Refusal!.Status.ShouldBe(403);
        state = Apply(state, AmendmentDecisions.Revise(state, D16, A1, 2, [Replace("p2", "Der Bund unterstützt und finanziert.")], "Klarer.", Representative("DE-HE"), Now));
        state = Apply(state, AmendmentDecisions.Accept(state, D16, A1, null, Chair, Now));
        state.Paragraphs[1].Text.ShouldBe("Der Bund unterstützt und finanziert.");
    }

    [Fact]
    public void The_chair_or_the_proposing_Land_decides_and_may_accept_with_changes()
    {
        var state = Proposed();
        state = Apply(state, AmendmentDecisions.Propose(state, D16, A1, 1, [Replace("p1", "Die Länder handeln sofort.")], "Eilt.", Representative("DE-HE"), Now));
        state = Apply(state, AmendmentDecisions.Propose(state, D16, A2, 1, [new(AmendmentChangeKind.Insert, null, "p1", null, 1, "Neu.")], "Fehlt.", Representative("DE-SN"), Now));

        AmendmentDecisions.Accept(state, D16, A1, null, Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(403);
        state = Apply(state, AmendmentDecisions.Accept(state, D16, A1, [Replace("p1", "Die Länder handeln zügig.")], Representative("DE-NW"), Now));
        state.Paragraphs[0].Text.ShouldBe("Die Länder handeln zügig.");
        state = Apply(state, AmendmentDecisions.Reject(state, D16, A2, "Nicht nötig.", Chair, Now));
        state.Amendments[A2].Status.ShouldBe(AmendmentStatus.Rejected);
        AmendmentDecisions.Accept(state, D16, A2, null, Chair, Now).Refusal!.Type.ShouldBe("/problems/amendment-closed");
    }

    [Fact]
    public void Support_counts_once_per_Land_and_not_for_the_author()
    {
        var state = Proposed();
        state = Apply(state, AmendmentDecisions.Propose(state, D16, A1, 1, [Replace("p1", "Anders.")], "Grund.", Representative("DE-HE"), Now));
        state = Apply(state, AmendmentDecisions.Support(state, D16, A1, Representative("DE-TH"), Now));
        AmendmentDecisions.Support(state, D16, A1, Representative("DE-TH"), Now).Events.ShouldBeEmpty();
        AmendmentDecisions.Support(state, D16, A1, Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
        state.Amendments[A1].Supporters.ShouldBe(["DE-TH"]);
    }

    [Fact]
    public void Changes_must_match_the_base_text()
    {
        var state = Proposed();
        AmendmentDecisions.Propose(state, D16, A1, 1, [Replace("p9", "x")], "r", Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
        AmendmentDecisions.Propose(state, D16, A1, 1, [Span("p1", "gibt es nicht", "x")], "r", Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
        AmendmentDecisions.Propose(state, D16, A1, 1, [Replace("p1", "Die Länder handeln.")], "r", Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
        AmendmentDecisions.Propose(state, D16, A1, 2, [Replace("p1", "x")], "r", Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
        AmendmentDecisions.Propose(state, D16, A1, 1, [Replace("p1", "x"), Span("p1", "Länder", "y")], "r", Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
    }
}
