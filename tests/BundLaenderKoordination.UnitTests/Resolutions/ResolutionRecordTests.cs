using BundLaenderKoordination.Tests.Shared;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>
/// What the negotiation records, field by field, and which refusal comes for which edit or vote: texts stored in their
/// normal form, new text versions with their hash (from the tests' own oracle) and base, votes inside and outside a
/// ballot, and the edits from an older text version.
/// </summary>
public sealed class ResolutionRecordTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Body D16 = BodySeed.D16;
    private static readonly Guid Id = Guid.Parse("0193a5d0-0000-7000-8000-000000000003");
    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });
    private static readonly Caller Chair = new("dev:chair", "Vorsitz", "DE-BY", new HashSet<string> { Roles.Chair });

    private static Resolution Proposed() =>
        Resolution.Fold(ResolutionDecisions.Propose(Id, D16, "Titel", ["Erster.", "Zweiter."], Representative("DE-BY"), Now).Events)!;

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    [Fact]
    public void A_proposal_stores_title_and_paragraphs_in_NFC_with_LF_and_hashes_that_form()
    {
        var decomposed = "Mu\u0308ller sagt:\r\nJa.\rGut.";
        var proposed = ResolutionDecisions.Propose(Id, D16, "  Fo\u0308rderung ", [decomposed], Representative("DE-BY"), Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ResolutionProposed>();
        proposed.Title.ShouldBe(Oracles.Normalized("Fo\u0308rderung"));
        proposed.Paragraphs.ShouldBe([new Paragraph("p1", Oracles.Normalized(decomposed))]);
        proposed.Paragraphs[0].Text.ShouldBe("M\u00fcller sagt:\nJa.\nGut.");
        proposed.TextHash.ShouldBe(Oracles.TextHash("F\u00f6rderung", [("p1", "M\u00fcller sagt:\nJa.\nGut.")]));
        proposed.TextVersion.ShouldBe(1);
        proposed.Body.ShouldBe("D16");
        proposed.RestrictedTo.ShouldBeNull();
    }

    [Fact]
    public void A_new_text_version_records_its_number_hash_base_and_the_writing_role()
    {
        var state = Proposed();
        var edited = ResolutionDecisions.EditText(state, D16, [new("p1", "Erster, neu."), new("p2", "Zweiter.")], Chair, Now.AddMinutes(5))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ResolutionTextEdited>();
        edited.ShouldBe(edited with
        {
            ResolutionId = Id, TextVersion = 2, TextHash = Oracles.TextHash("Titel", [("p1", "Erster, neu."), ("p2", "Zweiter.")]),
            EditedBy = new Actor("dev:chair", "Vorsitz", "DE-BY", Roles.Chair), EditedAt = Now.AddMinutes(5), BaseTextVersion = 1,
        });
        edited.Paragraphs.ShouldBe([new Paragraph("p1", "Erster, neu."), new Paragraph("p2", "Zweiter.")]);

        ResolutionDecisions.EditText(state, D16, [], Representative("DE-HE"), Now).Refusal!.Type.ShouldBe(Problems.InvalidInput);
    }

    [Fact]
    public void An_edit_from_an_older_version_merges_the_paragraphs_it_changed_onto_the_current_text()
    {
        var v1 = Proposed();
        var v2 = Apply(v1, ResolutionDecisions.EditText(v1, D16, [new("p1", "Erster."), new("p2", "Zweiter, von Hessen.")], Representative("DE-HE"), Now));

        var merged = ResolutionDecisions.EditFromBase(v2, D16, 1, [new("p1", "Erster, von Sachsen."), new("p2", "Zweiter.")], Representative("DE-SN"), Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ResolutionTextEdited>();
        merged.Paragraphs.ShouldBe([new Paragraph("p1", "Erster, von Sachsen."), new Paragraph("p2", "Zweiter, von Hessen.")]);
        merged.TextVersion.ShouldBe(3);
        merged.BaseTextVersion.ShouldBe(1);
        merged.EditedBy.ShouldBe(new Actor("dev:DE-SN", "Vertretung DE-SN", "DE-SN", Roles.Representative));

        var onCurrent = ResolutionDecisions.EditFromBase(v2, D16, 2, [new("p1", "Neu.")], Representative("DE-SN"), Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ResolutionTextEdited>();
        onCurrent.Paragraphs.ShouldBe([new Paragraph("p1", "Neu.")], "on the current version the edit is the whole text");
        onCurrent.BaseTextVersion.ShouldBe(2);
    }

    [Fact]
    public void An_edit_from_an_older_version_is_refused_for_a_future_base_an_unknown_paragraph_a_move_no_change_or_a_conflict()
    {
        var v1 = Proposed();
        var v2 = Apply(v1, ResolutionDecisions.EditText(v1, D16, [new("p1", "Erster."), new("p2", "Zweiter, von Hessen.")], Representative("DE-HE"), Now));
        var sachsen = Representative("DE-SN");

        ResolutionDecisions.EditFromBase(v2, D16, 3, [new("p1", "x")], sachsen, Now).Refusal!.Type.ShouldBe(Problems.InvalidInput);
        ResolutionDecisions.EditFromBase(v2, D16, 1, [new("p9", "x")], sachsen, Now).Refusal!.Type.ShouldBe(Problems.InvalidInput);
        ResolutionDecisions.EditFromBase(v2, D16, 1, [new("p1", "Erster."), new("p2", "Zweiter.")], sachsen, Now).Refusal!.Type.ShouldBe(Problems.InvalidInput);

        var moved = ResolutionDecisions.EditFromBase(v2, D16, 1, [new("p2", "Zweiter."), new("p1", "Erster.")], sachsen, Now).Refusal!;
        moved.Type.ShouldBe(Problems.ParagraphConflict);
        moved.Status.ShouldBe(409);

        var conflict = ResolutionDecisions.EditFromBase(v2, D16, 1, [new("p1", "Erster."), new("p2", "Zweiter, von Sachsen.")], sachsen, Now).Refusal!;
        conflict.Type.ShouldBe(Problems.ParagraphConflict);
        conflict.Status.ShouldBe(409);
        conflict.Extensions["baseTextVersion"].ShouldBe(1);
        conflict.Extensions["currentTextVersion"].ShouldBe(2);
        conflict.Extensions["conflicts"].ShouldBeAssignableTo<IReadOnlyList<ParagraphConflict>>()!.Single()
            .ShouldBe(new ParagraphConflict("p2", "Zweiter.", "Zweiter, von Hessen.", "Zweiter, von Sachsen."));
    }

    [Fact]
    public void A_vote_records_the_text_it_is_on_and_the_ballot_it_counts_in()
    {
        var state = Proposed();
        var outside = ResolutionDecisions.Vote(state, D16, VoteChoice.No, 1, Representative("DE-HE"), Now).Events.ShouldHaveSingleItem();
        outside.ShouldBe(new VoteCast(Id, "DE-HE", VoteChoice.No, 1, state.TextHash,
            new Actor("dev:DE-HE", "Vertretung DE-HE", "DE-HE", Roles.Representative), Now, null));
        state = Apply(state, Decision.Accept(outside));

        // The same vote again outside a ballot is nothing new; in a ballot it is a vote of that ballot.
        ResolutionDecisions.Vote(state, D16, VoteChoice.No, 1, Representative("DE-HE"), Now).Events.ShouldBeEmpty();
        var ballotId = Guid.NewGuid();
        state = Apply(state, BallotDecisions.Open(state, D16, "default", ballotId, Chair, Now));
        var inBallot = ResolutionDecisions.Vote(state, D16, VoteChoice.No, 1, Representative("DE-HE"), Now).Events.ShouldHaveSingleItem()
            .ShouldBeOfType<VoteCast>();
        inBallot.BallotId.ShouldBe(ballotId);
        state = Apply(state, Decision.Accept(inBallot));
        ResolutionDecisions.Vote(state, D16, VoteChoice.No, 1, Representative("DE-HE"), Now).Events.ShouldBeEmpty();
        ResolutionDecisions.Vote(state, D16, VoteChoice.Yes, 1, Representative("DE-HE"), Now).Events.ShouldHaveSingleItem()
            .ShouldBeOfType<VoteCast>().Choice.ShouldBe(VoteChoice.Yes);
    }

    [Fact]
    public void A_vote_on_another_text_version_is_refused_with_the_current_one()
    {
        var state = Proposed();
        foreach (var version in new[] { 0, 2 })
        {
            var refusal = ResolutionDecisions.Vote(state, D16, VoteChoice.Yes, version, Representative("DE-HE"), Now).Refusal!;
            refusal.Type.ShouldBe(Problems.TextVersionSuperseded);
            refusal.Status.ShouldBe(409);
            refusal.Extensions["currentTextVersion"].ShouldBe(1);
            refusal.Extensions["currentTextHash"].ShouldBe(state.TextHash);
        }
    }

    [Fact]
    public void The_chair_in_office_records_a_change_of_the_group_as_chair()
    {
        var restricted = Resolution.Fold(ResolutionDecisions.Propose(Id, D16, "Papier", ["Text."],
            new Caller("dev:by", "Bayern", null, new HashSet<string>(), [new HeldMandate("D16", "DE-BY", Roles.Chair)]).In("D16"), Now, ["chair"]).Events)!;
        var chairInOffice = new Caller("dev:by", "Bayern", null, new HashSet<string>(), [new HeldMandate("D16", "DE-BY", Roles.Chair)]).In("D16");
        var changed = ResolutionDecisions.ChangeRestriction(restricted, D16, ["DE-HE", "chair"], chairInOffice, Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ResolutionRestrictionChanged>();
        changed.ChangedBy.Role.ShouldBe(Roles.Chair);
        changed.RestrictedTo.ShouldBe(["DE-HE", "chair"]);
    }
}
