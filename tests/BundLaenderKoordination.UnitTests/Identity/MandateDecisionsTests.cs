using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Identity;

public sealed class MandateDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid MandateId = Guid.Parse("0193a5d0-0000-7000-8000-0000000000aa");
    private static Caller Admin(string name) => new("admin:" + name, name, null, new HashSet<string> { Roles.Admin });

    private static MandateStream? Apply(MandateStream? state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate(state, MandateStream.Next);
    }

    private static MandateStream Granted() =>
        Apply(null, MandateDecisions.Grant(null, BodySeed.D16, MandateId, "p1", "Person Eins", "DE-HE", Roles.Representative, Admin("a"), [], Now))!;

    [Fact]
    public void A_grant_takes_effect_only_when_a_different_administrator_approves_it()
    {
        var granted = Granted();
        granted.InEffect.ShouldBeFalse();
        granted.Id.ShouldBe(MandateStreams.Id("p1", "D16"));

        MandateDecisions.Approve(granted, "D16", Admin("a"), [], Now).Refusal!.Type.ShouldBe(MandateDecisions.FourEyes);
        var approved = Apply(granted, MandateDecisions.Approve(granted, "D16", Admin("b"), [], Now))!;
        approved.InEffect.ShouldBeTrue();
        approved.Current!.Land.ShouldBe("DE-HE");
    }

    [Fact]
    public void Only_administrators_grant_and_only_for_members_of_the_body_as_representative_or_chair()
    {
        var representative = new Caller("r", "R", "DE-BY", new HashSet<string> { Roles.Representative });
        MandateDecisions.Grant(null, BodySeed.D16, MandateId, "p1", "P", "DE-HE", Roles.Representative, representative, [], Now).Refusal!.Status.ShouldBe(403);
        MandateDecisions.Grant(null, BodySeed.D16, MandateId, "p1", "P", "DE-HE", Roles.Admin, Admin("a"), [], Now).Refusal!.Status.ShouldBe(400);
        MandateDecisions.Grant(null, BodySeed.D16, MandateId, "p1", "P", "DE-XX", Roles.Representative, Admin("a"), [], Now).Refusal!.Status.ShouldBe(400);
    }

    [Fact]
    public void A_second_mandate_in_the_same_body_is_a_conflict_while_one_is_pending_or_in_effect()
    {
        var granted = Granted();
        MandateDecisions.Grant(granted, BodySeed.D16, Guid.NewGuid(), "p1", "P", "DE-BY", Roles.Chair, Admin("a"), [], Now).Refusal!.Type
            .ShouldBe(MandateDecisions.MandateConflict);
        var withdrawn = Apply(granted, MandateDecisions.Withdraw(granted, "D16", Admin("a"), Now))!;
        withdrawn.Current.ShouldBeNull();
        MandateDecisions.Grant(withdrawn, BodySeed.D16, Guid.NewGuid(), "p1", "P", "DE-BY", Roles.Chair, Admin("a"), [], Now).Refusal.ShouldBeNull();
    }

    [Fact]
    public void A_revocation_ends_the_mandate_only_when_a_second_administrator_confirms()
    {
        var active = Apply(Granted(), MandateDecisions.Approve(Granted(), "D16", Admin("b"), [], Now))!;
        var requested = Apply(active, MandateDecisions.RequestRevocation(active, "D16", "Wechsel", Admin("c"), Now))!;
        requested.InEffect.ShouldBeTrue();
        MandateDecisions.ConfirmRevocation(requested, "D16", Admin("c"), Now).Refusal!.Type.ShouldBe(MandateDecisions.FourEyes);
        var revoked = Apply(requested, MandateDecisions.ConfirmRevocation(requested, "D16", Admin("a"), Now))!;
        revoked.InEffect.ShouldBeFalse();
        revoked.Current.ShouldBeNull();
        MandateDecisions.RequestRevocation(revoked, "D16", "", Admin("a"), Now).Refusal!.Status.ShouldBe(404);
    }

    [Fact]
    public void A_caller_acts_for_the_Land_of_their_mandate_in_the_body_not_for_what_the_token_says()
    {
        var caller = new Caller("p1", "P", null, new HashSet<string> { Roles.Observer }, [new HeldMandate("D16", "DE-HE", Roles.Representative)]);
        var inD16 = caller.In("D16");
        inD16.Land.ShouldBe("DE-HE");
        inD16.Has(Roles.Representative).ShouldBeTrue();
        var elsewhere = caller.In("MPK");
        elsewhere.Land.ShouldBeNull();
        elsewhere.Has(Roles.Representative).ShouldBeFalse();
    }

    private static Caller Coordinator(string name, string land) =>
        new("coord:" + name, name, null, new HashSet<string>(), [new HeldMandate("D16", land, Roles.Coordinator)]);

    [Fact]
    public void A_coordinator_grants_and_revokes_mandates_of_their_own_Land_and_a_second_person_confirms()
    {
        var granted = Apply(null, MandateDecisions.Grant(null, BodySeed.D16, MandateId, "p2", "Person Zwei", "DE-HB", Roles.Representative,
            Coordinator("k1", "DE-HB"), [], Now))!;
        granted.Current!.GrantedBy.ShouldBe("coord:k1");
        MandateDecisions.Approve(granted, "D16", Coordinator("k1", "DE-HB"), [], Now).Refusal!.Type.ShouldBe(MandateDecisions.FourEyes);
        var approved = MandateDecisions.Approve(granted, "D16", Coordinator("k2", "DE-HB"), [], Now);
        approved.Events.Single().ShouldBeOfType<MandateApproved>().ApprovedBy.ShouldBe(new Actor("coord:k2", "k2", "DE-HB", Roles.Coordinator));
        var active = Apply(granted, approved)!;
        active.InEffect.ShouldBeTrue();

        var requested = Apply(active, MandateDecisions.RequestRevocation(active, "D16", "Wechsel", Coordinator("k1", "DE-HB"), Now))!;
        MandateDecisions.ConfirmRevocation(requested, "D16", Coordinator("k1", "DE-HB"), Now).Refusal!.Type.ShouldBe(MandateDecisions.FourEyes);
        Apply(requested, MandateDecisions.ConfirmRevocation(requested, "D16", Admin("b"), Now))!.InEffect.ShouldBeFalse();
    }

    [Fact]
    public void A_coordinator_touches_no_other_Land_and_no_coordinator_mandate()
    {
        var bremen = Coordinator("k1", "DE-HB");
        MandateDecisions.Grant(null, BodySeed.D16, MandateId, "p3", "Person Drei", "DE-NI", Roles.Representative, bremen, [], Now)
            .Refusal!.Status.ShouldBe(403);
        MandateDecisions.Grant(null, BodySeed.D16, MandateId, "p3", "Person Drei", "DE-HB", Roles.Coordinator, bremen, [], Now)
            .Refusal!.Status.ShouldBe(403);
        MandateDecisions.Approve(Granted(), "D16", bremen, [], Now).Refusal!.Status.ShouldBe(403, "a grant for Hessen");
        MandateDecisions.Grant(null, BodySeed.D16, MandateId, "p3", "Person Drei", "DE-HB", Roles.Representative,
            new Caller("x", "x", null, new HashSet<string>(), [new HeldMandate("D16", "DE-HB", Roles.Representative)]), [], Now).Refusal!.Status.ShouldBe(403);
    }
}
