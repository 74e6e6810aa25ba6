using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.History;
using JasperFx.Events;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class CommentDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Body D16 = BodySeed.D16;
    private static readonly Guid Id = Guid.Parse("0193a5d0-0000-7000-8000-000000000005");
    private static readonly Guid C1 = Guid.Parse("0193a5d0-0000-7000-8000-0000000000c1");

    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });
    private static Caller Chair => new("dev:chair", "Vorsitz", "DE-BY", new HashSet<string> { Roles.Chair });
    private static Caller Observer => new("dev:observer", "Beobachtung", null, new HashSet<string> { Roles.Observer });

    private static (Resolution State, List<object> Events) Proposed()
    {
        var events = ResolutionDecisions.Propose(Id, D16, "Titel", ["Die Länder prüfen bis 2027 eine gemeinsame Lösung.", "Der Bund hilft."],
            Representative("DE-NW"), Now).Events.ToList();
        return (Resolution.Fold(events)!, events);
    }

    private static Resolution Apply(Resolution state, Decision decision, List<object> log)
    {
        decision.Refusal.ShouldBeNull();
        log.AddRange(decision.Events);
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    private static ResolutionView View(IEnumerable<object> events) => events.Aggregate((ResolutionView?)null, ResolutionViewProjection.Next)!;

    [Fact]
    public void A_quoted_comment_records_where_its_passage_stands_and_an_unknown_passage_is_refused()
    {
        var (state, _) = Proposed();
        var added = (CommentAdded)CommentDecisions.Add(state, D16, C1, "p1", "bis 2027", 1, "Zu früh.", Representative("DE-HE"), Now).Events.Single();
        (added.ParagraphId, added.Quote, added.QuoteStart, added.TextVersion).ShouldBe(("p1", "bis 2027", "Die Länder prüfen ".Length, 1));

        CommentDecisions.Add(state, D16, C1, "p1", "bis 2030", 1, "Zu früh.", Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
        CommentDecisions.Add(state, D16, C1, null, "bis 2027", 1, "Zu früh.", Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
        CommentDecisions.Add(state, D16, C1, "p9", null, 1, "Zu früh.", Representative("DE-HE"), Now).Refusal!.Status.ShouldBe(400);
        CommentDecisions.Add(state, D16, C1, null, null, 1, "Lesen.", Observer, Now).Refusal!.Status.ShouldBe(403);
    }

    [Fact]
    public void Only_the_author_the_proposing_Land_or_the_chair_resolve_and_anyone_who_writes_reopens()
    {
        var (state, log) = Proposed();
        state = Apply(state, CommentDecisions.Add(state, D16, C1, "p2", null, 1, "Wie?", Representative("DE-HE"), Now), log);

        CommentDecisions.Resolve(state, D16, C1, Representative("DE-SN"), Now).Refusal!.Status.ShouldBe(403);
        CommentDecisions.Resolve(state, D16, C1, Representative("DE-NW"), Now).Events.ShouldHaveSingleItem().ShouldBeOfType<CommentResolved>();
        CommentDecisions.Resolve(state, D16, C1, Chair, Now).Events.ShouldHaveSingleItem();
        state = Apply(state, CommentDecisions.Resolve(state, D16, C1, Representative("DE-HE"), Now), log);
        CommentDecisions.Resolve(state, D16, C1, Representative("DE-HE"), Now).Events.ShouldBeEmpty();

        state = Apply(state, CommentDecisions.Reopen(state, D16, C1, Representative("DE-SN"), Now), log);
        state.Comments[C1].Resolved.ShouldBeFalse();
        CommentDecisions.Reopen(state, D16, C1, Representative("DE-SN"), Now).Events.ShouldBeEmpty();
        CommentDecisions.Reply(state, D16, Guid.NewGuid(), Guid.NewGuid(), "Wohin?", Representative("DE-SN"), Now).Refusal!.Status.ShouldBe(404);
    }

    [Fact]
    public void A_quoted_comment_moves_with_edits_around_its_passage_and_is_outdated_for_good_once_the_passage_changes()
    {
        var (state, log) = Proposed();
        state = Apply(state, CommentDecisions.Add(state, D16, C1, "p1", "bis 2027", 1, "Zu früh.", Representative("DE-HE"), Now), log);
        state = Apply(state, ResolutionDecisions.EditText(state, D16,
            [new ParagraphEdit("p1", "Alle Länder prüfen bis 2027 eine gemeinsame Lösung."), new ParagraphEdit("p2", "Der Bund hilft.")], Representative("DE-NW"), Now), log);
        View(log).Comments.Single().ShouldSatisfyAllConditions(c => c.Outdated.ShouldBeFalse(), c => c.QuoteStart.ShouldBe("Alle Länder prüfen ".Length));

        state = Apply(state, ResolutionDecisions.EditText(state, D16,
            [new ParagraphEdit("p1", "Alle Länder prüfen bis 2029 eine gemeinsame Lösung."), new ParagraphEdit("p2", "Der Bund hilft.")], Representative("DE-NW"), Now), log);
        Apply(state, ResolutionDecisions.EditText(state, D16,
            [new ParagraphEdit("p1", "Alle Länder prüfen bis 2027 eine gemeinsame Lösung."), new ParagraphEdit("p2", "Der Bund hilft.")], Representative("DE-NW"), Now), log);
        View(log).Comments.Single().ShouldSatisfyAllConditions(
            c => c.Outdated.ShouldBeTrue(),
            c => c.QuoteStart.ShouldBeNull(),
            c => c.WrittenAgainst.ShouldBe("Die Länder prüfen bis 2027 eine gemeinsame Lösung."));
    }

    [Fact]
    public void Replies_resolving_and_reopening_are_described_in_German_and_English()
    {
        var actor = new Actor("dev:he", "Lea Hofmann", "DE-HE", Roles.Representative);
        object[] events =
        [
            new CommentAdded(Id, C1, "p1", "Zu früh.", 1, actor, Now, "bis 2027", 18),
            new CommentReplied(Id, C1, Guid.NewGuid(), "Nein.", 1, actor, Now),
            new CommentResolved(Id, C1, actor, Now),
            new CommentReopened(Id, C1, actor, Now),
        ];
        string[] german = ["die Stelle „bis 2027“ kommentiert", "auf einen Kommentar geantwortet", "als erledigt markiert", "wieder geöffnet"];
        string[] english = ["commented on the passage \"bis 2027\"", "replied to a comment", "marked a comment as resolved", "reopened a resolved comment"];
        for (var i = 0; i < events.Length; i++)
        {
            var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(events[i].GetType()), events[i])!;
            EventDescriptions.Describe(e, Language.German).Text.ShouldContain(german[i]);
            EventDescriptions.Describe(e, Language.English).Text.ShouldContain(english[i]);
            EventDescriptions.Describe(e, Language.English).Actor.ShouldBe(actor);
        }
    }
}
