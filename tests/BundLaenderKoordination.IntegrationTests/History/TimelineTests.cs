using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.History;

[Collection(AppCollection.Name)]
public sealed class TimelineTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<TimelinePage> Timeline(string url, string token, string? language = null)
    {
        var response = await Api.Send(HttpMethod.Get, url, token, headers: language is null ? null : new() { ["Accept-Language"] = language });
        Api.Expect(response, 200);
        return response.As<TimelinePage>();
    }

    [Fact]
    public async Task A_timeline_lists_exactly_the_events_of_the_stream_in_order_with_who_for_whom_and_when()
    {
        var bremen = await Api.Representative("HB");
        var hamburg = await Api.Representative("HH");
        var observer = await Api.Token("Presse", null, "observer");
        var id = (await Api.Propose(bremen, "Hafenkooperation", "Die Häfen arbeiten zusammen.")).Id;
        Api.Expect(await Api.Comment(id, hamburg, "Zustimmung im Grundsatz.", "p1"), 201);
        Api.Expect(await Api.Edit(id, hamburg, 2, new { id = "p1", text = "Die Häfen arbeiten eng zusammen." }), 200);
        Api.Expect(await Api.Vote(id, bremen, "yes", 2), 200);
        Api.Expect(await Api.Vote(id, hamburg, "abstain", 2), 200);

        var timeline = await Timeline($"/api/resolutions/{id}/timeline", observer);
        var trail = await Api.AuditTrail(id, observer);

        timeline.Total.ShouldBe(5);
        timeline.Entries.Select(e => (e.Version, e.Sequence, e.Kind)).ShouldBe(trail.Select(a => (a.Version, a.Sequence, a.EventType)));
        timeline.Entries.Select(e => e.By!.ActingFor).ShouldBe(["DE-HB", "DE-HH", "DE-HH", "DE-HB", "DE-HH"]);
        timeline.Entries.Select(e => e.ActingForName).ShouldBe(["Freie Hansestadt Bremen", "Freie und Hansestadt Hamburg",
            "Freie und Hansestadt Hamburg", "Freie Hansestadt Bremen", "Freie und Hansestadt Hamburg"]);
        timeline.Entries.Select(e => e.At).ShouldBe(trail.Select(a => a.At));
        timeline.Entries.Select(e => e.State).ShouldBe(trail.Select(a => $"/api/resolutions/{id}?version={a.Version}"));

        // German by default, English on request.
        timeline.Entries[0].Label.ShouldBe("Beschlussvorschlag");
        timeline.Entries[4].Text.ShouldBe("Vertretung HH (Vertretung, Freie und Hansestadt Hamburg) hat für Freie und Hansestadt Hamburg mit Enthaltung gestimmt (Textfassung 2).");
        var english = await Timeline($"/api/resolutions/{id}/timeline", observer, "en-GB,en;q=0.9,de;q=0.5");
        english.Entries[0].Label.ShouldBe("Resolution proposed");
        english.Entries[4].Text.ShouldBe("Vertretung HH (representative, Freie und Hansestadt Hamburg) voted abstain for Freie und Hansestadt Hamburg on text version 2.");

        // Each entry links to the state right after it.
        var afterEdit = await Api.Send(HttpMethod.Get, timeline.Entries[2].State, observer);
        afterEdit.As<BundLaenderKoordination.Api.Resolutions.GettingResolution.ResolutionView>().TextVersion.ShouldBe(2);
    }

    [Fact]
    public async Task A_timeline_filters_by_Land_person_kind_and_period_and_pages()
    {
        var saarland = await Api.Representative("SL");
        var rlp = await Api.Representative("RP");
        var observer = await Api.Token("Landtag", null, "observer");
        var id = (await Api.Propose(saarland, "Grenzregion", "Die Grenzregion wird gestärkt.")).Id;
        for (var i = 0; i < 4; i++) Api.Expect(await Api.Comment(id, i % 2 == 0 ? rlp : saarland, $"Anmerkung {i}"), 201);
        Api.Expect(await Api.Vote(id, rlp, "yes", 1), 200);
        var all = await Timeline($"/api/resolutions/{id}/timeline", observer);
        all.Total.ShouldBe(6);

        (await Timeline($"/api/resolutions/{id}/timeline?land=RP", observer)).Entries.Select(e => e.Version).ShouldBe([2L, 4, 6]);
        (await Timeline($"/api/resolutions/{id}/timeline?person=dev:vertretung-sl", observer)).Entries.Select(e => e.Version).ShouldBe([1L, 3, 5]);
        (await Timeline($"/api/resolutions/{id}/timeline?kind=vote_cast,resolution_proposed", observer)).Entries.Select(e => e.Version).ShouldBe([1L, 6]);
        var from = Uri.EscapeDataString(all.Entries[2].RecordedAt.ToString("O"));
        var to = Uri.EscapeDataString(all.Entries[3].RecordedAt.ToString("O"));
        (await Timeline($"/api/resolutions/{id}/timeline?from={from}&to={to}", observer)).Entries.Select(e => e.Version).ShouldBe([3L, 4]);

        var second = await Timeline($"/api/resolutions/{id}/timeline?page=2&pageSize=4", observer);
        (second.Page, second.PageSize, second.Total).ShouldBe((2, 4, 6));
        second.Entries.Select(e => e.Version).ShouldBe([5L, 6]);

        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/timeline?land=XX", observer)).ProblemType.ShouldBe("/problems/invalid-input");
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/timeline?pageSize=0", observer)).Status.ShouldBe(400);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/timeline?from=gestern", observer)).Status.ShouldBe(400);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{Guid.NewGuid()}/timeline", observer)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task A_body_timeline_interleaves_its_resolutions_in_the_order_things_happened()
    {
        var thueringen = await Api.Representative("TH");
        var observer = await Api.Token("Archiv", null, "observer");
        var first = (await Api.Propose(thueringen, "Erster Beschluss", "Text eins.")).Id;
        var second = (await Api.Propose(thueringen, "Zweiter Beschluss", "Text zwei.")).Id;
        Api.Expect(await Api.Comment(first, thueringen, "Nachtrag"), 201);

        var timeline = await Timeline($"/api/bodies/D16/timeline?person=dev:vertretung-th&kind=resolution_proposed,comment_added", observer);
        var mine = timeline.Entries.Where(e => e.ResolutionId == first || e.ResolutionId == second).ToList();
        mine.Select(e => (e.ResolutionId, e.Kind)).ShouldBe([(first, "resolution_proposed"), (second, "resolution_proposed"), (first, "comment_added")]);
        timeline.Entries.Select(e => e.Sequence).ShouldBeInOrder();
        (await Api.Send(HttpMethod.Get, "/api/bodies/XYZ/timeline", observer)).Status.ShouldBe(404);
    }
}
