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

    [Fact]
    public void The_refusal_of_a_decision_on_a_restricted_resolution_names_the_group_and_how_to_open_it()
    {
        var id = Guid.Parse("0193a5d0-0000-7000-8000-00000000000a");
        var representative = new Caller("dev:by", "Bayern", null, new HashSet<string>(), [new HeldMandate("D16", "DE-BY", Roles.Representative)]).In("D16");
        var restricted = Resolution.Fold(ResolutionDecisions.Propose(id, BodySeed.D16, "Zu", ["Text."], representative, Now, ["DE-BY", "DE-HE"]).Events)!;
        var refusal = Confidentiality.BodyDecidesInTheOpen(restricted)!;
        refusal.Title.ShouldBe("The body decides in the open.");
        refusal.Detail.ShouldBe($"The resolution is readable by DE-BY, DE-HE only. Open it to all readers (PUT /api/resolutions/{id}/restriction with []) before the body decides on it.");
    }

    [Fact]
    public void A_view_is_given_only_to_who_may_read_it_and_a_missing_one_to_nobody()
    {
        var bavaria = new Caller("dev:by", "Bayern", null, new HashSet<string>(), [new HeldMandate("D16", "DE-BY", Roles.Representative)]).In("D16");
        var outsider = new Caller("dev:x", "X", null, new HashSet<string>(), []);
        var open = View(BodySeed.D16, bavaria, null);
        var restricted = View(BodySeed.D16, bavaria, ["DE-BY"]);

        Confidentiality.Readable(null, bavaria).ShouldBeNull();
        Confidentiality.Readable(open, outsider).ShouldBeSameAs(open);
        Confidentiality.Readable(restricted, outsider).ShouldBeNull();
        Confidentiality.Readable(restricted, bavaria).ShouldBeSameAs(restricted);
    }

    [Fact]
    public void Hidden_are_the_restricted_resolutions_of_the_body_asked_for_that_the_caller_may_not_read()
    {
        var bavaria = new Caller("dev:by", "Bayern", null, new HashSet<string>(), [new HeldMandate("D16", "DE-BY", Roles.Representative)]).In("D16");
        var bund = new Caller("dev:bund", "Bund", null, new HashSet<string>(), [new HeldMandate("BL-KI", Lands.Bund, Roles.Representative)]).In("BL-KI");
        var blKi = Body.Fold([BodySeed.Created(BodySeed.BundLaenderKiPreset)])!;
        var ours = Proposal(BodySeed.D16, bavaria, ["DE-BY"]);
        var open = Proposal(BodySeed.D16, bavaria, null);
        var theirs = Proposal(blKi, bund, [Lands.Bund]);
        Resolution[] all = [ours, open, theirs];

        Confidentiality.HiddenAmong(all, bavaria, "D16").ShouldBeEmpty("a member of the group sees it; the open one is never hidden");
        Confidentiality.HiddenAmong(all, bavaria, null).ShouldBe(new HashSet<Guid> { theirs.Id }, ignoreOrder: true);
        Confidentiality.HiddenAmong(all, bavaria, "BL-KI").ShouldBe(new HashSet<Guid> { theirs.Id }, ignoreOrder: true);
        Confidentiality.HiddenAmong(all, bund, "D16").ShouldBe(new HashSet<Guid> { ours.Id }, ignoreOrder: true, "only the body asked for");
        Confidentiality.HiddenAmong(all, bund, null).ShouldBe(new HashSet<Guid> { ours.Id }, ignoreOrder: true);
    }

    private static Resolution Proposal(Body body, Caller caller, IReadOnlyList<string>? restrictedTo) =>
        Resolution.Fold(ResolutionDecisions.Propose(Guid.NewGuid(), body, "Titel", ["Text."], caller, Now, restrictedTo).Events)!;

    private static Api.Resolutions.GettingResolution.ResolutionView View(Body body, Caller caller, IReadOnlyList<string>? restrictedTo) =>
        ResolutionDecisions.Propose(Guid.NewGuid(), body, "Titel", ["Text."], caller, Now, restrictedTo).Events
            .Aggregate((Api.Resolutions.GettingResolution.ResolutionView?)null, Api.Resolutions.GettingResolution.ResolutionViewProjection.Next)!;
}
