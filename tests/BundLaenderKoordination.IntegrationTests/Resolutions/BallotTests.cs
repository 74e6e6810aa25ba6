using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.IntegrationTests.Bodies;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class BallotTests(AppFixture app)
{
    private ApiClient Api => app.Api;
    private static readonly string[] Laender = ApiClient.AllLaender;

    private async Task Refused(Guid id, Func<Task<Response>> act, int status, string problemType)
    {
        var before = await app.EventCount();
        var response = await act();
        response.Status.ShouldBe(status, response.Body);
        response.ProblemType.ShouldBe(problemType);
        (await app.EventCount()).ShouldBe(before);
    }

    private async Task<Guid> Proposed(string body = "D16") =>
        (await Api.ProposeTo(body, await Api.Representative("RP"), "Digitale Verwaltung", "Die Länder vereinbaren gemeinsame Standards.")).Id;

    [Fact]
    public async Task A_D16_ballot_from_opening_to_result_adopts_with_13_yes_and_3_abstentions()
    {
        var id = await Proposed();
        var chair = await Api.Chair();
        var opened = await Api.OpenBallot(id, chair);
        Api.Expect(opened, 201);
        opened.Json["rule"]!.GetValue<string>().ShouldBe("atLeast:13");

        await Api.Vote(id, 1, "yes", Laender.Take(13));
        await Api.Vote(id, 1, "abstain", Laender.Skip(13));
        var closed = await Api.CloseBallot(id, chair);
        Api.Expect(closed, 200);
        closed.As<BallotView>().Result!.Adopted.ShouldBeTrue();

        var view = await Api.Get(id, chair);
        view.Status.ShouldBe(ResolutionStatus.Adopted);
        var ballot = view.Ballots.ShouldHaveSingleItem();
        ballot.Status.ShouldBe(BallotStatus.Closed);
        ballot.RuleText.ShouldBe("atLeast:13");
        ballot.TextHash.ShouldBe(view.TextHash);
        ballot.Result!.Yes.Count.ShouldBe(13);
        ballot.Result.Abstain.Count.ShouldBe(3);
        view.Adoption!.Rule.ShouldBe("atLeast:13");
    }

    [Fact]
    public async Task A_D16_ballot_with_12_yes_ends_in_rejection()
    {
        var id = await Proposed();
        var chair = await Api.Chair();
        Api.Expect(await Api.OpenBallot(id, chair), 201);
        await Api.Vote(id, 1, "yes", Laender.Take(12));
        await Api.Vote(id, 1, "abstain", Laender.Skip(12));
        Api.Expect(await Api.CloseBallot(id, chair), 200);

        var view = await Api.Get(id, chair);
        view.Status.ShouldBe(ResolutionStatus.Rejected);
        view.Ballots.Single().Result!.Adopted.ShouldBeFalse();
        await Refused(id, async () => await Api.Vote(id, await Api.Representative("SL"), "yes", 1), 409, "/problems/resolution-closed");
    }

    [Fact]
    public async Task An_MPK_budget_matter_needs_unanimity_where_13_would_do_for_other_matters()
    {
        var budget = await Proposed("MPK");
        var chair = await Api.Chair("SN");
        var opened = await Api.OpenBallot(budget, chair, "budget");
        Api.Expect(opened, 201);
        opened.Json["rule"]!.GetValue<string>().ShouldBe("unanimity");
        await Api.Vote(budget, 1, "yes", Laender.Take(15));
        await Api.Vote(budget, 1, "no", Laender.Skip(15));
        Api.Expect(await Api.CloseBallot(budget, chair), 200);
        (await Api.Get(budget, chair)).Status.ShouldBe(ResolutionStatus.Rejected);

        var other = await Proposed("MPK");
        Api.Expect(await Api.OpenBallot(other, chair), 201);
        await Api.Vote(other, 1, "yes", Laender.Take(15));
        await Api.Vote(other, 1, "no", Laender.Skip(15));
        Api.Expect(await Api.CloseBallot(other, chair), 200);
        (await Api.Get(other, chair)).Status.ShouldBe(ResolutionStatus.Adopted);

        var unanimous = await Proposed("MPK");
        Api.Expect(await Api.OpenBallot(unanimous, chair, "budget"), 201);
        await Api.Vote(unanimous, 1, "yes", Laender);
        Api.Expect(await Api.CloseBallot(unanimous, chair), 200);
        (await Api.Get(unanimous, chair)).Status.ShouldBe(ResolutionStatus.Adopted);
    }

    [Fact]
    public async Task A_Bund_vote_in_D16_is_refused_and_appends_nothing()
    {
        var id = await Proposed();
        Api.Expect(await Api.OpenBallot(id, await Api.Chair()), 201);
        await Refused(id, async () => await Api.Vote(id, await Api.Representative("BUND"), "yes", 1), 403, "/problems/forbidden");
    }

    [Fact]
    public async Task Only_the_chair_in_office_opens_or_closes_a_ballot_and_a_refusal_appends_nothing()
    {
        var id = await Proposed();
        await Refused(id, async () => await Api.OpenBallot(id, await Api.Chair("HE")), 403, "/problems/forbidden");
        await Refused(id, async () => await Api.OpenBallot(id, await Api.Representative("BY")), 403, "/problems/forbidden");
        await Refused(id, async () => await Api.OpenBallot(id, await Api.Token("Archiv", null, "observer")), 403, "/problems/forbidden");
        await Refused(id, async () => await Api.CloseBallot(id, await Api.Chair()), 409, "/problems/no-open-ballot");
        await Refused(id, async () => await Api.OpenBallot(id, await Api.Chair(), "budget"), 422, "/problems/unknown-matter-type");
    }

    [Fact]
    public async Task A_text_edit_while_a_ballot_is_open_is_a_conflict_until_the_chair_cancels_it()
    {
        var id = await Proposed();
        var chair = await Api.Chair();
        Api.Expect(await Api.OpenBallot(id, chair), 201);
        await Api.Vote(id, 1, "yes", Laender.Take(3));
        var rp = await Api.Representative("RP");
        var version = await app.StreamVersion(id);
        await Refused(id, () => Api.Edit(id, rp, version, new { id = "p1", text = "Die Länder vereinbaren verbindliche Standards." }), 409, "/problems/ballot-open");
        await Refused(id, () => Api.OpenBallot(id, chair), 409, "/problems/ballot-open");

        Api.Expect(await Api.CancelBallot(id, chair, "Der Text wird noch einmal überarbeitet."), 200);
        Api.Expect(await Api.Edit(id, rp, version + 1, new { id = "p1", text = "Die Länder vereinbaren verbindliche Standards." }), 200);

        // Votes of the cancelled ballot do not carry over into the next one.
        Api.Expect(await Api.OpenBallot(id, chair), 201);
        var view = await Api.Get(id, chair);
        view.Ballots.Select(b => b.Status).ShouldBe([BallotStatus.Cancelled, BallotStatus.Open]);
        view.Ballots[1].TextVersion.ShouldBe(2);
        view.Ballots[1].Votes.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_ballot_cannot_open_while_a_passage_is_in_brackets()
    {
        var id = await Proposed();
        var rp = await Api.Representative("RP");
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", rp,
            new { paragraphId = "p1", quote = "gemeinsame", alternatives = new[] { "verbindliche" } }), 201);
        var before = await app.EventCount();
        var response = await Api.OpenBallot(id, await Api.Chair());
        response.Status.ShouldBe(422);
        response.ProblemType.ShouldBe("/problems/open-brackets");
        response.Body.ShouldContain("gemeinsame");
        (await app.EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task A_rule_changed_after_the_ballot_opened_does_not_change_its_judgement()
    {
        var admin = await Api.Admin();
        var code = BodyTests.NewCode();
        Api.Expect(await Api.Send(HttpMethod.Post, "/api/bodies", admin, BodyTests.Configuration(code, "unanimity")), 201);
        var id = await Proposed(code);
        var chair = await Api.Chair("BY");
        Api.Expect(await Api.OpenBallot(id, chair), 201);

        Api.Expect(await Api.Send(HttpMethod.Put, $"/api/bodies/{code}", admin, BodyTests.Configuration(code, "atLeast", expectedVersion: 1)), 200);
        (await Api.Body(code, admin))["rules"]!["default"]!["kind"]!.GetValue<string>().ShouldBe("atLeast");

        await Api.Vote(id, 1, "yes", Laender.Take(14));
        await Api.Vote(id, 1, "no", Laender.Skip(14));
        Api.Expect(await Api.CloseBallot(id, chair), 200);
        var view = await Api.Get(id, chair);
        view.Ballots.Single().RuleText.ShouldBe("unanimity");
        view.Status.ShouldBe(ResolutionStatus.Rejected);
    }

    [Fact]
    public async Task A_ballot_with_a_deadline_closes_by_itself_and_judges_by_its_rule()
    {
        var id = await Proposed();
        var chair = await Api.Chair();
        var tokens = new List<string>();
        foreach (var land in Laender.Take(13)) tokens.Add(await Api.Representative(land));
        await Refused(id, () => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/ballots", chair,
            new { matterType = "default", deadline = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") }), 400, "/problems/invalid-input");

        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/ballots", chair,
            new { matterType = "default", deadline = DateTimeOffset.UtcNow.AddSeconds(15).ToString("O") }), 201);
        foreach (var token in tokens) Api.Expect(await Api.Vote(id, token, "yes", 1), 200);

        ResolutionView view;
        var attempts = 0;
        do
        {
            await Task.Delay(500);
            view = await Api.Get(id, chair);
        } while (view.Ballots.Single().Status == BallotStatus.Open && ++attempts < 240);
        view.Ballots.Single().Status.ShouldBe(BallotStatus.Closed);
        view.Ballots.Single().Result!.ClosedBy.PersonId.ShouldBe("system:deadline");
        view.Status.ShouldBe(ResolutionStatus.Adopted);
    }
}
