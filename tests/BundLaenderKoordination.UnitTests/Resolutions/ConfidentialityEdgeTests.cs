using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>The edges of the confidentiality rules: group size, spelling of "chair", missing mandates, the answers it gives.</summary>
public sealed class ConfidentialityEdgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_group_holds_at_most_every_Land_the_Bund_and_the_chair()
    {
        string?[] everyone = [.. Lands.Names.Keys, "chair"];
        everyone.Length.ShouldBe(18);
        Confidentiality.Parse(everyone, out var group).ShouldBeNull();
        group.Count.ShouldBe(18);

        var tooMany = Confidentiality.Parse([.. everyone, "BY"], out var none)!;
        tooMany.Type.ShouldBe(Problems.InvalidInput);
        tooMany.Status.ShouldBe(400);
        none.ShouldBeEmpty();
    }

    [Fact]
    public void The_chair_is_named_in_any_case_with_blanks_around_and_a_missing_code_is_refused()
    {
        Confidentiality.Parse([" CHAIR ", "chair", "DE-BY"], out var group).ShouldBeNull();
        group.ShouldBe(["DE-BY", "chair"]);
        Confidentiality.Parse([null], out _)!.Type.ShouldBe(Problems.InvalidInput);
        Confidentiality.Parse(["chairs"], out _)!.Type.ShouldBe(Problems.InvalidInput);
        Confidentiality.Parse([], out var empty).ShouldBeNull();
        empty.ShouldBeEmpty();
    }

    [Fact]
    public void Without_a_mandate_nobody_is_a_member_and_a_chair_mandate_counts_only_where_the_chair_is_listed()
    {
        Confidentiality.IsMember(null, ["DE-BY", "chair"]).ShouldBeFalse();
        Confidentiality.IsMember(new HeldMandate("D16", "DE-BY", Roles.Chair), ["DE-HE"]).ShouldBeFalse();
        Confidentiality.IsMember(new HeldMandate("D16", "DE-BY", Roles.Chair), ["DE-HE", "chair"]).ShouldBeTrue();
        Confidentiality.IsMember(new HeldMandate("D16", "DE-BY", Roles.Representative), ["DE-BY"]).ShouldBeTrue();
        Confidentiality.IsMember(new HeldMandate("D16", "DE-BY", Roles.Coordinator), ["chair"]).ShouldBeFalse();

        var outsider = new Caller("dev:x", "X", null, new HashSet<string>(), []);
        Confidentiality.MaySee(outsider, "D16", null).ShouldBeTrue("no restriction");
        Confidentiality.MaySee(outsider, "D16", []).ShouldBeTrue("an empty restriction");
        Confidentiality.MaySee(outsider, "D16", ["DE-BY"]).ShouldBeFalse();
    }

    [Fact]
    public void An_unknown_id_and_a_hidden_one_get_the_same_not_found_and_the_body_decides_only_in_the_open()
    {
        var id = Guid.Parse("0193a5d0-0000-7000-8000-000000000009");
        var missing = Confidentiality.NotFound(id);
        missing.Status.ShouldBe(404);
        missing.Type.ShouldBe(Problems.NotFound);
        missing.Detail.ShouldBe($"There is no resolution {id}.");

        var representative = new Caller("dev:by", "Bayern", null, new HashSet<string>(), [new HeldMandate("D16", "DE-BY", Roles.Representative)]).In("D16");
        var open = Resolution.Fold(ResolutionDecisions.Propose(id, BodySeed.D16, "Offen", ["Text."], representative, Now).Events)!;
        Confidentiality.BodyDecidesInTheOpen(open).ShouldBeNull();
        var restricted = Resolution.Fold(ResolutionDecisions.Propose(id, BodySeed.D16, "Zu", ["Text."], representative, Now, ["DE-BY"]).Events)!;
        var refusal = Confidentiality.BodyDecidesInTheOpen(restricted)!;
        refusal.Type.ShouldBe(Problems.RestrictionRule);
        refusal.Status.ShouldBe(422);

        var refused = Confidentiality.Refused("Titel", "Einzelheiten");
        (refused.Type, refused.Status, refused.Title, refused.Detail).ShouldBe((Problems.RestrictionRule, (int?)422, "Titel", "Einzelheiten"));
    }
}
