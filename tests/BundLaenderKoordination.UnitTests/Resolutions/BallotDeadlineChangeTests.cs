using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>
/// The chair moves an open ballot's deadline: the change records the old and the new deadline, schedules a reminder for
/// the new one, and the reminder of the old one no longer closes the ballot.
/// </summary>
public sealed class BallotDeadlineChangeTests
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

    [Fact]
    public void A_moved_deadline_is_recorded_scheduled_and_voids_the_reminder_of_the_old_one()
    {
        var ballotId = Guid.NewGuid();
        var first = Now.AddDays(1);
        var open = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", ballotId, Chair, Now, first));
        var second = Now.AddDays(3);

        var change = BallotDecisions.ChangeDeadline(open, D16, second, Chair, Now.AddHours(1));
        change.Events.ShouldHaveSingleItem().ShouldBe(new BallotDeadlineChanged(open.Id, ballotId, first, second, ChairActor, Now.AddHours(1)));
        change.Scheduled.ShouldHaveSingleItem().ShouldBe(new ScheduledMessage(new BallotDeadline(open.Id, ballotId, second), second));
        var moved = Apply(open, change);
        moved.OpenBallot!.Deadline.ShouldBe(second);

        BallotDecisions.CloseAtDeadline(moved, ballotId, Clock, first, first).Events.ShouldBeEmpty("the reminder of the old deadline");
        BallotDecisions.CloseAtDeadline(moved, ballotId, Clock, first).Events.ShouldBeEmpty("a reminder without due time before the deadline in force");
        BallotDecisions.CloseAtDeadline(moved, ballotId, Clock, second, second).Events[0].ShouldBeOfType<BallotClosed>().ClosedBy.ShouldBe(Clock);
    }

    [Fact]
    public void Only_the_chair_moves_the_deadline_of_an_open_ballot_and_only_into_the_future()
    {
        var open = Apply(Proposed(), BallotDecisions.Open(Proposed(), D16, "default", Guid.NewGuid(), Chair, Now));
        BallotDecisions.ChangeDeadline(open, D16, Now.AddDays(1), Representative("DE-BY"), Now).Refusal!.Status.ShouldBe(403);
        var past = BallotDecisions.ChangeDeadline(open, D16, Now.AddMinutes(-1), Chair, Now);
        past.Refusal!.Status.ShouldBe(422);
        past.Refusal.Type.ShouldBe(Problems.BallotDeadlineRule);
        past.Events.ShouldBeEmpty();
        var none = BallotDecisions.ChangeDeadline(Proposed(), D16, Now.AddDays(1), Chair, Now);
        none.Refusal!.Status.ShouldBe(422);
        none.Refusal.Type.ShouldBe(Problems.BallotDeadlineRule);
        BallotDecisions.ChangeDeadline(open, D16, Now.AddDays(1), Chair, Now).Events.ShouldHaveSingleItem()
            .ShouldBeOfType<BallotDeadlineChanged>().OldDeadline.ShouldBeNull();
    }
}
