using System.Collections.Immutable;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class BallotDecisionsTests
{
    private static readonly Body D16 = BodySeed.D16;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static Caller Chair(string land = "DE-BY") => new("dev:chair", "Vorsitz", land, new HashSet<string> { Roles.Chair });
    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });

    private static Resolution Proposed() => Resolution.Fold([ResolutionDecisions.Propose(Guid.NewGuid(), D16, "Titel",
        ["Die Länder beschleunigen den Ausbau."], Representative("DE-RP"), Now).Events[0]])!;

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    [Fact]
    public void The_ballot_records_the_rule_in_force_and_the_text_it_is_on()
    {
        var state = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair(), Now));
        var opened = (BallotOpened)BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair(), Now).Events.Single();
        opened.Rule.ShouldBe(VotingRule.AtLeastOf(13));
        opened.TextVersion.ShouldBe(1);
        state.OpenBallot.ShouldNotBeNull();
    }

    [Fact]
    public void Only_the_chair_of_the_Land_in_office_opens_a_ballot()
    {
        BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair("DE-HE"), Now).Refusal!.Status.ShouldBe(403);
        BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Representative("DE-BY"), Now).Refusal!.Status.ShouldBe(403);
    }

    [Fact]
    public void A_Bund_vote_in_a_D16_ballot_is_refused()
    {
        var state = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair(), Now));
        ResolutionDecisions.Vote(state, D16, VoteChoice.Yes, 1, Representative(Lands.Bund), Now).Refusal!.Status.ShouldBe(403);
    }

    [Fact]
    public void Votes_cast_before_the_ballot_opened_do_not_count_in_it()
    {
        var state = Proposed();
        foreach (var land in Lands.Laender.Take(13))
            state = Apply(state, ResolutionDecisions.Vote(state, D16, VoteChoice.Yes, 1, Representative(land), Now));
        state = Apply(state, BallotDecisions.Open(state, D16, "default", Guid.NewGuid(), Chair(), Now));
        state.OpenBallot!.Votes.ShouldBe(ImmutableDictionary<string, VoteChoice>.Empty);

        var closed = BallotDecisions.Close(state, D16, Chair(), Now);
        ((BallotClosed)closed.Events[0]).Adopted.ShouldBeFalse();
        closed.Events[1].ShouldBeOfType<ResolutionRejected>();
    }

    [Fact]
    public void The_text_cannot_change_while_a_ballot_is_open()
    {
        var state = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair(), Now));
        var refusal = ResolutionDecisions.EditText(state, D16, [new ParagraphEdit("p1", "Ein anderer Text.")], Representative("DE-RP"), Now).Refusal!;
        refusal.Status.ShouldBe(409);
        refusal.Type.ShouldBe("/problems/ballot-open");
    }
}
