using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using Microsoft.AspNetCore.Mvc;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>What one Land can add to one resolution is bounded; the limit is a 400 with its own type, and other Länder go on.</summary>
public sealed class ResolutionLimitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Body D16 = BodySeed.D16;
    private static readonly Guid Id = Guid.Parse("0193a5d0-0000-7000-8000-0000000000aa");

    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });

    private static Resolution Proposed() =>
        Resolution.Fold(ResolutionDecisions.Propose(Id, D16, "Titel", ["Die Länder prüfen eine gemeinsame Lösung.", "Der Bund hilft."],
            Representative("DE-NW"), Now).Events)!;

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    private static void ShouldBeTheLimit(ProblemDetails? refusal, string what, int limit)
    {
        refusal.ShouldNotBeNull();
        (refusal.Status, refusal.Type).ShouldBe((400, "/problems/limit-reached"));
        refusal.Extensions["what"].ShouldBe(what);
        refusal.Extensions["limit"].ShouldBe(limit);
    }

    [Fact]
    public void A_Land_opens_at_most_the_limit_of_comment_threads_and_a_thread_takes_at_most_the_limit_of_replies()
    {
        var state = Proposed();
        var hessen = Representative("DE-HE");
        for (var i = 0; i < ResolutionLimits.MaxCommentsPerLand; i++)
            state = Apply(state, CommentDecisions.Add(state, D16, Guid.NewGuid(), null, null, 1, "Anmerkung.", hessen, Now));
        ShouldBeTheLimit(CommentDecisions.Add(state, D16, Guid.NewGuid(), null, null, 1, "Noch eine.", hessen, Now).Refusal,
            "comment threads per Land", ResolutionLimits.MaxCommentsPerLand);
        CommentDecisions.Add(state, D16, Guid.NewGuid(), null, null, 1, "Sachsen auch.", Representative("DE-SN"), Now).Refusal.ShouldBeNull();

        var thread = state.Comments.Keys.First();
        for (var i = 0; i < ResolutionLimits.MaxRepliesPerComment; i++)
            state = Apply(state, CommentDecisions.Reply(state, D16, thread, Guid.NewGuid(), "Antwort.", Representative(i % 2 == 0 ? "DE-HE" : "DE-SN"), Now));
        ShouldBeTheLimit(CommentDecisions.Reply(state, D16, thread, Guid.NewGuid(), "Noch eine.", hessen, Now).Refusal,
            "replies per comment", ResolutionLimits.MaxRepliesPerComment);
    }

    [Fact]
    public void A_Land_proposes_at_most_the_limit_of_amendments()
    {
        var state = Proposed();
        var bayern = Representative("DE-BY");
        AmendmentChangeInput[] change = [new(AmendmentChangeKind.Replace, "p2", null, null, 1, "Der Bund hilft sehr.")];
        var chair = new Actor("dev:vorsitz", "Vorsitz", "DE-BY", Roles.Chair);
        for (var i = 0; i < ResolutionLimits.MaxAmendmentsPerLand; i++)
        {
            var amendment = Guid.NewGuid();
            state = Apply(state, AmendmentDecisions.Propose(state, D16, amendment, 1, change, "Klarer.", bayern, Now));
            // Decided ones count too; at most 30 may be open at a time (a limit of its own).
            state = Resolution.Next(state, new AmendmentRejected(Id, amendment, "Abgelehnt.", chair, Now))!;
        }
        ShouldBeTheLimit(AmendmentDecisions.Propose(state, D16, Guid.NewGuid(), 1, change, "Klarer.", bayern, Now).Refusal,
            "amendments per Land", ResolutionLimits.MaxAmendmentsPerLand);
        AmendmentDecisions.Propose(state, D16, Guid.NewGuid(), 1, change, "Klarer.", Representative("DE-HB"), Now).Refusal.ShouldBeNull();
    }

    [Fact]
    public void A_passage_takes_at_most_the_limit_of_alternatives()
    {
        var state = Proposed();
        var bracket = Guid.NewGuid();
        state = Apply(state, BracketDecisions.Bracket(state, D16, bracket, "p1", "gemeinsame", 1, [], Representative("DE-BY"), Now));
        for (var i = 0; i < ResolutionLimits.MaxAlternatives; i++)
            state = Apply(state, BracketDecisions.ProposeAlternative(state, D16, bracket, $"Fassung {i}", Representative("DE-HE"), Now));
        ShouldBeTheLimit(BracketDecisions.ProposeAlternative(state, D16, bracket, "Noch eine", Representative("DE-HE"), Now).Refusal,
            "alternatives per bracketed passage", ResolutionLimits.MaxAlternatives);
    }

    [Fact]
    public void A_text_has_at_most_the_limit_of_paragraphs_however_it_comes_about()
    {
        TextRules.Refusal(TextRules.CheckParagraphs("Titel", Enumerable.Repeat("x", ResolutionLimits.MaxParagraphs + 1).ToList())!)
            .Type.ShouldBe("/problems/limit-reached");
        TextRules.CheckParagraphs("Titel", Enumerable.Repeat("x", ResolutionLimits.MaxParagraphs).ToList()).ShouldBeNull();

        // A merge that would add one paragraph too many.
        var state = Proposed();
        var full = Enumerable.Range(1, ResolutionLimits.MaxParagraphs).Select(i => new ParagraphEdit(i <= 2 ? "p" + i : null, "Absatz " + i)).ToList();
        state = Apply(state, ResolutionDecisions.EditText(state, D16, full, Representative("DE-NW"), Now));
        var oneMore = state.Paragraphs.Select(p => new ParagraphEdit(p.Id, p.Text)).Append(new ParagraphEdit(null, "Zu viel.")).ToList();
        ShouldBeTheLimit(ResolutionDecisions.EditText(state, D16, oneMore, Representative("DE-NW"), Now).Refusal, "paragraphs", ResolutionLimits.MaxParagraphs);
    }
}
