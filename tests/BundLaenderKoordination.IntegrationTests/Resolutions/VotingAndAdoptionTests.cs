using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class VotingAndAdoptionTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<Guid> Proposed() =>
        (await Api.Propose(await Api.Representative("RP"), "Breitbandausbau", "Die Länder beschleunigen den Ausbau.")).Id;

    /// <summary>Asserts the refusal and that the stream did not grow.</summary>
    private async Task Refused(Guid id, Func<Task<Response>> act, int status, string problemType)
    {
        var before = await app.StreamVersion(id);
        var response = await act();
        response.Status.ShouldBe(status, response.Body);
        response.ProblemType.ShouldBe(problemType);
        (await app.StreamVersion(id)).ShouldBe(before);
    }

    [Fact]
    public async Task A_vote_on_a_superseded_text_version_is_a_conflict()
    {
        var id = await Proposed();
        Api.Expect(await Api.Edit(id, await Api.Representative("SL"), 1, new { id = "p1", text = "Die Länder beschleunigen den Ausbau deutlich." }), 200);
        await Refused(id, async () => await Api.Vote(id, await Api.Representative("SL"), "yes", 1), 409, "/problems/text-version-superseded");
    }

    [Fact]
    public async Task A_changed_vote_keeps_both_events_and_counts_the_latest()
    {
        var id = await Proposed();
        var saarland = await Api.Representative("SL");
        Api.Expect(await Api.Vote(id, saarland, "no", 1), 200);
        Api.Expect(await Api.Vote(id, saarland, "yes", 1), 200);

        var observer = await Api.Token("Archiv", null, "observer");
        var trail = await Api.AuditTrail(id, observer);
        trail.Where(e => e.EventType == "vote_cast").Select(e => (e.ActingFor, e.Summary.Contains(" voted no ") ? "no" : "yes"))
            .ShouldBe([("DE-SL", "no"), ("DE-SL", "yes")]);
        (await Api.Get(id, observer)).Votes.Single().Choice.ShouldBe(VoteChoice.Yes);
    }

    [Fact]
    public async Task A_representative_votes_only_for_the_Land_in_their_token()
    {
        var id = await Proposed();
        var bayern = await Api.Representative("BY");
        Api.Expect(await Api.Vote(id, bayern, "yes", 1), 200);

        var view = await Api.Get(id, bayern);
        view.Votes.Single().Land.ShouldBe("DE-BY");
        view.Votes.Single().CastBy.Name.ShouldBe("Vertretung BY");
        // A second Land's token cannot cast or change the first Land's vote: naming Bayern is refused, its vote is its own.
        var hessen = await Api.Representative("HE");
        await Refused(id, () => Api.Vote(id, hessen, "no", 1, land: "DE-BY"), 403, "/problems/forbidden");
        Api.Expect(await Api.Vote(id, hessen, "no", 1), 200);
        var after = await Api.Get(id, bayern);
        after.Votes.Single(v => v.Land == "DE-BY").Choice.ShouldBe(VoteChoice.Yes);
        after.Votes.Single(v => v.Land == "DE-HE").Choice.ShouldBe(VoteChoice.No);
    }

    [Fact]
    public async Task The_Bund_sits_in_D16_without_a_vote()
    {
        var id = await Proposed();
        await Refused(id, async () => await Api.Vote(id, await Api.Representative("BUND"), "yes", 1), 403, "/problems/forbidden");
    }

    [Fact]
    public async Task Observers_auditors_and_administrators_cannot_write()
    {
        var id = await Proposed();
        foreach (var role in new[] { "observer", "auditor", "admin" })
        {
            var token = await Api.Token("Person " + role, "DE-BY", role);
            await Refused(id, () => Api.Vote(id, token, "yes", 1), 403, "/problems/forbidden");
            await Refused(id, () => Api.Edit(id, token, 1, new { id = "p1", text = "Anders." }), 403, "/problems/forbidden");
            await Refused(id, () => Api.Comment(id, token, "Kommentar"), 403, "/problems/forbidden");
            await Refused(id, () => Api.Adopt(id, token, 1), 403, "/problems/forbidden");
            var propose = await Api.Send(HttpMethod.Post, "/api/resolutions", token, new { body = "D16", title = "X", paragraphs = new[] { "Y" } });
            propose.Status.ShouldBe(403);
        }
    }

    [Fact]
    public async Task Without_a_token_every_call_is_unauthenticated()
    {
        var id = await Proposed();
        await Refused(id, () => Api.Vote(id, null!, "yes", 1), 401, "/problems/unauthenticated");
        await Refused(id, () => Api.Edit(id, null!, 1, new { id = "p1", text = "Anders." }), 401, "/problems/unauthenticated");
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}", null)).Status.ShouldBe(401);
        (await Api.Send(HttpMethod.Get, "/api/resolutions", "not-a-token")).Status.ShouldBe(401);
    }

    [Fact]
    public async Task Twelve_yes_and_four_abstentions_do_not_adopt()
    {
        var id = await Proposed();
        await Api.VoteYes(id, 1, Api.Laender.Take(12));
        foreach (var land in Api.Laender.Skip(12))
            Api.Expect(await Api.Vote(id, await Api.Representative(land), "abstain", 1), 200);

        var chair = await Api.Chair();
        var version = await app.StreamVersion(id);
        var before = await app.StreamVersion(id);
        var response = await Api.Adopt(id, chair, version);
        response.Status.ShouldBe(422);
        response.ProblemType.ShouldBe("/problems/adoption-rule-not-met");
        response.Json["detail"]!.GetValue<string>().ShouldContain("12 of 16");
        response.Json["yes"]!.GetValue<int>().ShouldBe(12);
        (await app.StreamVersion(id)).ShouldBe(before);
    }

    [Fact]
    public async Task After_adoption_the_text_and_votes_are_frozen()
    {
        var id = await Proposed();
        await Api.VoteYes(id, 1, Api.Laender.Take(13));
        var version = await app.StreamVersion(id);
        Api.Expect(await Api.Adopt(id, await Api.Chair(), version), 200);
        version = await app.StreamVersion(id);

        var sachsen = await Api.Representative("SN");
        await Refused(id, () => Api.Edit(id, sachsen, version, new { id = "p1", text = "Geändert." }), 409, "/problems/resolution-closed");
        await Refused(id, () => Api.Vote(id, sachsen, "no", 1), 409, "/problems/resolution-closed");
        await Refused(id, async () => await Api.Vote(id, await Api.Representative("DE-BW"), "no", 1), 409, "/problems/resolution-closed");
        await Refused(id, async () => await Api.Adopt(id, await Api.Chair(), version), 409, "/problems/resolution-closed");
    }

    [Fact]
    public async Task A_stale_expected_version_appends_nothing()
    {
        var id = await Proposed();
        var token = await Api.Representative("ST");
        Api.Expect(await Api.Comment(id, token, "Erste Anmerkung"), 201);
        await Refused(id, () => Api.Edit(id, token, 1, new { id = "p1", text = "Neu." }), 409, "/problems/stale-version");
        await Refused(id, async () => await Api.Adopt(id, await Api.Chair(), 1), 409, "/problems/stale-version");
    }

    [Fact]
    public async Task An_unknown_resolution_is_not_found()
    {
        var token = await Api.Representative("ST");
        var unknown = Guid.NewGuid();
        (await Api.Vote(unknown, token, "yes", 1)).Status.ShouldBe(404);
        (await Api.Edit(unknown, token, 1, new { text = "x" })).Status.ShouldBe(404);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{unknown}", token)).ProblemType.ShouldBe("/problems/not-found");
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{unknown}/audit-trail", token)).Status.ShouldBe(404);
    }
}
