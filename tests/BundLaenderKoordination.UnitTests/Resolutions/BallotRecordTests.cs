using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>
/// What a ballot records, event by event, and in which order its refusals come: the number, rule, members, text and
/// actor of an opening, the deadline it schedules, the result of a close or of a deadline, a cancellation, and the
/// adoption without an open ballot that counts only the votes on the current text.
/// </summary>
public sealed class BallotRecordTests
{
    private static readonly Body D16 = BodySeed.D16;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Caller Chair = new("dev:chair", "Vorsitz", "DE-BY", new HashSet<string> { Roles.Chair });
    private static readonly Actor ChairActor = new("dev:chair", "Vorsitz", "DE-BY", Roles.Chair);
    private static readonly Actor Clock = new("system:deadline", "Frist", null, "system");
    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });

    private static Resolution Proposed() => Resolution.Fold([ResolutionDecisions.Propose(Guid.NewGuid(), D16, "Titel",
        ["Die Länder beschleunigen den Ausbau."], Representative("DE-RP"), Now).Events[0]])!;

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    private static Resolution VotedBy(Resolution state, int yes, int no = 0)
    {
        foreach (var (land, i) in Lands.Laender.Select((l, i) => (l, i)).Take(yes + no))
            state = Apply(state, ResolutionDecisions.Vote(state, D16, i < yes ? VoteChoice.Yes : VoteChoice.No, state.TextVersion, Representative(land), Now));
        return state;
    }

    [Fact]
    public void An_opening_records_its_number_rule_members_text_and_chair_and_schedules_its_deadline()
    {
        var state = Proposed();
        var ballotId = Guid.NewGuid();
        var due = Now.AddDays(2);
        var decision = BallotDecisions.Open(state, D16, Body.DefaultMatterType, ballotId, Chair, Now, due);

        var opened = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<BallotOpened>();
        opened.ShouldBe(opened with
        {
            ResolutionId = state.Id, BallotId = ballotId, Number = 1, MatterType = "default", Rule = VotingRule.AtLeastOf(13), RuleText = "atLeast:13",
            TextVersion = 1, TextHash = state.TextHash, OpenedBy = ChairActor, OpenedAt = Now, Deadline = due,
        });
        opened.Members.ShouldBe(D16.Members);
        decision.Scheduled.ShouldHaveSingleItem().ShouldBe(new ScheduledMessage(new BallotDeadline(state.Id, ballotId, due), due));

        BallotDecisions.Open(state, D16, Body.DefaultMatterType, ballotId, Chair, Now).Scheduled.ShouldBeEmpty("no deadline, nothing scheduled");

        // The second ballot, after the first was cancelled, is number 2.
        var cancelled = Apply(Apply(state, decision), BallotDecisions.Cancel(Apply(state, decision), D16, "Neue Fassung", Chair, Now));
        ((BallotOpened)BallotDecisions.Open(cancelled, D16, "default", Guid.NewGuid(), Chair, Now).Events.Single()).Number.ShouldBe(2);
    }

    [Fact]
    public void A_deadline_must_lie_in_the_future_and_the_matter_type_must_be_one_of_the_body()
    {
        var state = Proposed();
        BallotDecisions.Open(state, D16, "default", Guid.NewGuid(), Chair, Now, Now).Refusal!.Type.ShouldBe(Problems.InvalidInput);
        BallotDecisions.Open(state, D16, "default", Guid.NewGuid(), Chair, Now, Now.AddSeconds(-1)).Refusal!.Type.ShouldBe(Problems.InvalidInput);
        BallotDecisions.Open(state, D16, "default", Guid.NewGuid(), Chair, Now, Now.AddSeconds(1)).Refusal.ShouldBeNull();

        var unknown = BallotDecisions.Open(state, D16, "budget", Guid.NewGuid(), Chair, Now).Refusal!;
        unknown.Type.ShouldBe(Problems.UnknownMatterType);
        unknown.Status.ShouldBe(422);
    }

    [Fact]
    public void No_second_ballot_opens_and_none_opens_on_a_decided_resolution()
    {
        var open = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair, Now));
        var again = BallotDecisions.Open(open, D16, "default", Guid.NewGuid(), Chair, Now).Refusal!;
        again.Type.ShouldBe(Problems.BallotOpen);
        again.Status.ShouldBe(409);
        again.Extensions["ballotId"].ShouldBe(open.OpenBallot!.Id);

        var rejected = Apply(open, BallotDecisions.Close(open, D16, Chair, Now));
        rejected.Status.ShouldBe(ResolutionStatus.Rejected);
        BallotDecisions.Open(rejected, D16, "default", Guid.NewGuid(), Chair, Now).Refusal!.Type.ShouldBe(Problems.ResolutionClosed);
        BallotDecisions.Adopt(rejected, D16, Chair, Now).Refusal!.Type.ShouldBe(Problems.ResolutionClosed);
        var noBallot = BallotDecisions.Close(rejected, D16, Chair, Now).Refusal!;
        noBallot.Type.ShouldBe(Problems.NoOpenBallot);
        noBallot.Status.ShouldBe(409);
        BallotDecisions.Cancel(rejected, D16, "Grund", Chair, Now).Refusal!.Type.ShouldBe(Problems.NoOpenBallot);
    }

    [Fact]
    public void Closing_records_the_count_by_the_rule_of_the_opening_and_adopts_or_rejects_by_it()
    {
        var open = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair, Now));
        var voted = VotedBy(open, yes: 13, no: 2);
        var later = Now.AddHours(1);
        var decision = BallotDecisions.Close(voted, D16, Chair, later);

        decision.Events.Count.ShouldBe(2);
        var closed = decision.Events[0].ShouldBeOfType<BallotClosed>();
        closed.ShouldBe(closed with
        {
            ResolutionId = voted.Id, BallotId = open.OpenBallot!.Id, TextVersion = 1, TextHash = voted.TextHash, MatterType = "default",
            Rule = VotingRule.AtLeastOf(13), RuleText = "atLeast:13", Adopted = true,
            Explanation = "13 yes of 16; at least 13 needed, an abstention is not a yes.", ClosedBy = ChairActor, ClosedAt = later,
        });
        closed.Yes.ShouldBe(Lands.Laender.Take(13).Order(StringComparer.Ordinal));
        closed.No.ShouldBe(Lands.Laender.Skip(13).Take(2).Order(StringComparer.Ordinal));
        closed.Abstain.ShouldBeEmpty();

        var adopted = decision.Events[1].ShouldBeOfType<ResolutionAdopted>();
        adopted.ShouldBe(new ResolutionAdopted(voted.Id, 1, voted.TextHash, "atLeast:13", closed.Yes, closed.No, closed.Abstain, ChairActor, later,
            open.OpenBallot!.Id));
    }

    [Fact]
    public void A_ballot_that_misses_its_rule_rejects_with_the_rule_and_the_explanation_as_reason()
    {
        var open = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair, Now));
        var voted = VotedBy(open, yes: 12, no: 1);
        var decision = BallotDecisions.Close(voted, D16, Chair, Now);
        decision.Events[0].ShouldBeOfType<BallotClosed>().Adopted.ShouldBeFalse();
        decision.Events[1].ShouldBe(new ResolutionRejected(voted.Id, open.OpenBallot!.Id, 1, voted.TextHash,
            "atLeast:13 not met: 12 yes of 16; at least 13 needed, an abstention is not a yes.", ChairActor, Now));
    }

    [Fact]
    public void At_its_deadline_the_ballot_closes_as_the_chair_would_and_a_late_or_foreign_deadline_changes_nothing()
    {
        var ballotId = Guid.NewGuid();
        var open = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", ballotId, Chair, Now, Now.AddDays(1)));
        var voted = VotedBy(open, yes: 13);
        var at = Now.AddDays(1);

        var decision = BallotDecisions.CloseAtDeadline(voted, ballotId, Clock, at);
        decision.Events.Count.ShouldBe(2);
        decision.Events[0].ShouldBeOfType<BallotClosed>().ClosedBy.ShouldBe(Clock);
        decision.Events[1].ShouldBeOfType<ResolutionAdopted>().AdoptedBy.ShouldBe(Clock);

        var rejectedAtDeadline = BallotDecisions.CloseAtDeadline(VotedBy(open, yes: 1), ballotId, Clock, at);
        rejectedAtDeadline.Events[1].ShouldBeOfType<ResolutionRejected>().RejectedBy.ShouldBe(Clock);

        BallotDecisions.CloseAtDeadline(voted, Guid.NewGuid(), Clock, at).Events.ShouldBeEmpty("the deadline of another ballot");
        BallotDecisions.CloseAtDeadline(Proposed(), ballotId, Clock, at).Events.ShouldBeEmpty("no ballot open any more");
    }

    [Fact]
    public void A_cancellation_records_its_reason_and_the_chair_and_only_the_chair_in_office_cancels()
    {
        var open = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair, Now));
        BallotDecisions.Cancel(open, D16, "Neue Fassung", Chair, Now).Events.ShouldHaveSingleItem()
            .ShouldBe(new BallotCancelled(open.Id, open.OpenBallot!.Id, "Neue Fassung", ChairActor, Now));
        BallotDecisions.Cancel(open, D16, "Neue Fassung", Representative("DE-BY"), Now).Refusal!.Status.ShouldBe(403);
        BallotDecisions.Close(open, D16, Representative("DE-BY"), Now).Refusal!.Status.ShouldBe(403);
        BallotDecisions.Adopt(open, D16, Representative("DE-BY"), Now).Refusal!.Status.ShouldBe(403);
    }

    [Fact]
    public void Adoption_without_a_ballot_counts_the_votes_on_the_current_text_in_a_ballot_opened_and_closed_at_once()
    {
        var state = VotedBy(Proposed(), yes: 13);
        var decision = BallotDecisions.Adopt(state, D16, Chair, Now);

        decision.Events.Count.ShouldBe(3);
        var opened = decision.Events[0].ShouldBeOfType<BallotOpened>();
        opened.Number.ShouldBe(1);
        opened.MatterType.ShouldBe("default");
        opened.Rule.ShouldBe(VotingRule.AtLeastOf(13));
        opened.TextVersion.ShouldBe(1);
        opened.OpenedBy.ShouldBe(ChairActor);
        var closed = decision.Events[1].ShouldBeOfType<BallotClosed>();
        closed.BallotId.ShouldBe(opened.BallotId);
        closed.Yes.Count.ShouldBe(13);
        decision.Events[2].ShouldBeOfType<ResolutionAdopted>().BallotId.ShouldBe(opened.BallotId);

        // The same 13 votes, but the text changed after them: they were cast on another version and do not count.
        var edited = Apply(state, ResolutionDecisions.EditText(state, D16, [new ParagraphEdit("p1", "Ein neuer Wortlaut.")], Representative("DE-RP"), Now));
        var refusal = BallotDecisions.Adopt(edited, D16, Chair, Now).Refusal!;
        refusal.Type.ShouldBe(Problems.AdoptionRuleNotMet);
        refusal.Status.ShouldBe(422);
    }

    [Fact]
    public void Adoption_with_a_ballot_open_closes_that_ballot()
    {
        var open = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair, Now));
        var decision = BallotDecisions.Adopt(VotedBy(open, yes: 13), D16, Chair, Now);
        decision.Events.Count.ShouldBe(2);
        decision.Events[0].ShouldBeOfType<BallotClosed>().BallotId.ShouldBe(open.OpenBallot!.Id);
        decision.Events[1].ShouldBeOfType<ResolutionAdopted>();
        BallotDecisions.Adopt(VotedBy(open, yes: 12), D16, Chair, Now).Refusal!.Type.ShouldBe(Problems.AdoptionRuleNotMet);
    }
}
