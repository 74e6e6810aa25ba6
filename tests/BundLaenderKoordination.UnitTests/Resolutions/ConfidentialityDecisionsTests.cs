using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>Who may know a restricted resolution, and how its group changes: pure rules, no database.</summary>
public sealed class ConfidentialityDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Body D16 = BodySeed.D16;
    private static readonly Guid Id = Guid.Parse("0193a5d0-0000-7000-8000-000000000002");

    /// <summary>A person with a mandate in D16, as the service sees them acting in that body.</summary>
    private static Caller Holding(string land, string role, string body = "D16") =>
        new Caller("dev:" + land + role, "Person " + land, null, new HashSet<string>(), [new HeldMandate(body, land, role)]).In("D16");

    private static Caller Observer => new("dev:observer", "Beobachtung", null, new HashSet<string> { Roles.Observer }, []);

    private static Resolution Restricted(params string[] group)
    {
        var decision = ResolutionDecisions.Propose(Id, D16, "Papier", ["Text."], Holding("DE-BY", Roles.Representative), Now, group);
        decision.Refusal.ShouldBeNull();
        return Resolution.Fold(decision.Events)!;
    }

    [Fact]
    public void Members_are_those_whose_mandate_in_the_body_is_for_a_listed_Land_or_a_chair_mandate_when_the_chair_is_listed()
    {
        string[] group = ["DE-BY", "DE-HE"];
        Confidentiality.MaySee(Holding("DE-HE", Roles.Representative), "D16", group).ShouldBeTrue();
        Confidentiality.MaySee(Holding("DE-BY", Roles.Chair), "D16", group).ShouldBeTrue();
        Confidentiality.MaySee(Holding("DE-NW", Roles.Representative), "D16", group).ShouldBeFalse();
        Confidentiality.MaySee(Holding("DE-HE", Roles.Representative, body: "MPK"), "D16", group).ShouldBeFalse("a mandate in another body");
        Confidentiality.MaySee(Observer, "D16", group).ShouldBeFalse();
        Confidentiality.MaySee(Observer with { Land = "DE-BY" }, "D16", group).ShouldBeFalse("a claimed Land without a mandate");

        Confidentiality.MaySee(Holding("DE-NI", Roles.Chair), "D16", ["chair"]).ShouldBeTrue();
        Confidentiality.MaySee(Holding("DE-NI", Roles.Representative), "D16", ["chair"]).ShouldBeFalse();
        Confidentiality.MaySee(Observer, "D16", []).ShouldBeTrue("an open resolution");
    }

    [Fact]
    public void A_group_as_sent_is_normalised_and_unknown_codes_are_refused()
    {
        Confidentiality.Parse(["he", "Chair", "DE-BY", "BY", "bund"], out var group).ShouldBeNull();
        group.ShouldBe(["BUND", "DE-BY", "DE-HE", "chair"]);
        Confidentiality.Parse(["DE-XX"], out _)!.Type.ShouldBe(Problems.InvalidInput);
        Confidentiality.Parse(null, out var none).ShouldBeNull();
        none.ShouldBeEmpty();
    }

    [Fact]
    public void A_proposal_whose_group_leaves_out_its_proposer_is_refused_with_nothing_to_append()
    {
        var decision = ResolutionDecisions.Propose(Id, D16, "Papier", ["Text."], Holding("DE-SN", Roles.Representative), Now, ["DE-BY"]);
        decision.Events.ShouldBeEmpty();
        decision.Refusal!.Type.ShouldBe(Problems.RestrictionRule);
        decision.Refusal.Status.ShouldBe(422);

        var proposed = ResolutionDecisions.Propose(Id, D16, "Papier", ["Text."], Holding("DE-BY", Roles.Chair), Now, ["chair"]);
        proposed.Events.ShouldHaveSingleItem().ShouldBeOfType<ResolutionProposed>().RestrictedTo.ShouldBe(["chair"]);
        ResolutionDecisions.Propose(Id, D16, "Offen", ["Text."], Holding("DE-BY", Roles.Representative), Now, [])
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ResolutionProposed>().RestrictedTo.ShouldBeNull();
    }

    [Fact]
    public void The_proposing_Land_widens_the_group_and_the_change_records_before_and_after()
    {
        var state = Restricted("DE-BY", "DE-HE");
        var decision = ResolutionDecisions.ChangeRestriction(state, D16, ["DE-BY", "DE-HE", "DE-NW"], Holding("DE-BY", Roles.Representative), Now);

        var changed = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ResolutionRestrictionChanged>();
        changed.RestrictedTo.ShouldBe(["DE-BY", "DE-HE", "DE-NW"]);
        changed.Before.ShouldBe(["DE-BY", "DE-HE"]);
        changed.ChangedBy.ShouldBe(new Actor("dev:DE-BYrepresentative", "Person DE-BY", "DE-BY", Roles.Representative));
        changed.ChangedAt.ShouldBe(Now);
        Resolution.Next(state, changed)!.RestrictedTo.ShouldBe(["DE-BY", "DE-HE", "DE-NW"]);
    }

    [Fact]
    public void A_group_never_narrows_an_open_resolution_is_not_restricted_again_and_only_the_proposer_or_the_chair_in_office_changes_it()
    {
        var state = Restricted("DE-BY", "DE-HE");
        var bayern = Holding("DE-BY", Roles.Representative);

        ResolutionDecisions.ChangeRestriction(state, D16, ["DE-BY"], bayern, Now).Refusal!.Type.ShouldBe(Problems.RestrictionRule);
        ResolutionDecisions.ChangeRestriction(state, D16, ["DE-BY", "DE-NW"], bayern, Now).Refusal!.Type.ShouldBe(Problems.RestrictionRule);
        ResolutionDecisions.ChangeRestriction(state, D16, ["DE-BY", "DE-HE"], bayern, Now).Refusal!.Type.ShouldBe(Problems.InvalidInput);
        ResolutionDecisions.ChangeRestriction(state, D16, [], Holding("DE-HE", Roles.Representative), Now).Refusal!.Type.ShouldBe(Problems.Forbidden);

        var open = Resolution.Next(state, ResolutionDecisions.ChangeRestriction(state, D16, [], bayern, Now).Events.Single())!;
        open.RestrictedTo.ShouldBeEmpty();
        ResolutionDecisions.ChangeRestriction(open, D16, ["DE-BY"], bayern, Now).Refusal!.Type.ShouldBe(Problems.RestrictionRule);
    }

    [Fact]
    public void The_body_decides_only_on_an_open_resolution()
    {
        var state = Restricted("DE-BY", "DE-HE", "chair");
        var chairInOffice = Holding(D16.ChairOn(Now)!, Roles.Chair);

        BallotDecisions.Open(state, D16, Body.DefaultMatterType, Guid.NewGuid(), chairInOffice, Now).Refusal!.Type.ShouldBe(Problems.RestrictionRule);
        ResolutionDecisions.Adopt(state, D16, chairInOffice, Now).Refusal!.Type.ShouldBe(Problems.RestrictionRule);
        Api.Resolutions.WrittenProcedures.WrittenProcedureDecisions.Start(state, D16, Guid.NewGuid(), Now.AddDays(3), chairInOffice, Now)
            .Refusal!.Type.ShouldBe(Problems.RestrictionRule);
    }
}
