using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.History;

[Collection(AppCollection.Name)]
public sealed class ChangesAndSearchTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task The_changes_between_two_moments_show_text_votes_comments_and_status()
    {
        var sachsen = await Api.Representative("SN");
        var anhalt = await Api.Representative("ST");
        var observer = await Api.Token("Historikerin", null, "observer");
        var id = (await Api.Propose(sachsen, "Mitteldeutsches Revier", "Der Strukturwandel wird gemeinsam gestaltet.", "Die Länder berichten jährlich.")).Id;
        Api.Expect(await Api.Vote(id, anhalt, "no", 1), 200);                       // v2
        var trail = await Api.AuditTrail(id, observer);
        Api.Expect(await Api.Edit(id, sachsen, 2,
            new { id = "p1", text = "Der Strukturwandel wird gemeinsam und verlässlich gestaltet." },
            new { id = "p2", text = "Die Länder berichten jährlich." }), 200);      // v3
        Api.Expect(await Api.Comment(id, anhalt, "Jetzt einverstanden.", "p1"), 201); // v4
        Api.Expect(await Api.Vote(id, anhalt, "yes", 2), 200);                      // v5

        var response = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/changes?from=2&to=5", observer);
        Api.Expect(response, 200);
        var changes = response.As<ResolutionChanges>();
        (changes.From.Version, changes.To.Version, changes.TextVersionBefore, changes.TextVersionAfter).ShouldBe((2L, 5L, (int?)1, 2));
        var p1 = changes.Text.Single(p => p.ParagraphId == "p1");
        p1.Status.ShouldBe(ParagraphDiffStatus.Changed);
        p1.Runs.Where(r => r.Kind == RunKind.Inserted).Select(r => r.Text.Trim()).ShouldContain("und verlässlich");
        changes.Text.Single(p => p.ParagraphId == "p2").Status.ShouldBe(ParagraphDiffStatus.Unchanged);
        var vote = changes.Votes.Single();
        (vote.Land, vote.Before!.Choice, vote.After!.Choice).ShouldBe(("DE-ST", VoteChoice.No, VoteChoice.Yes));
        changes.NewComments.Single().Text.ShouldBe("Jetzt einverstanden.");
        changes.Status.ShouldBeNull();
        changes.Steps.Select(s => s.Version).ShouldBe([3L, 4, 5]);

        // The same by instants; and from the beginning, everything is new.
        var byInstant = (await Api.Send(HttpMethod.Get,
            $"/api/resolutions/{id}/changes?from={Uri.EscapeDataString(trail[1].RecordedAt.ToString("O"))}", observer)).As<ResolutionChanges>();
        byInstant.From.Version.ShouldBe(2);
        byInstant.To.Version.ShouldBe(5);
        var whole = (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/changes", observer)).As<ResolutionChanges>();
        whole.Status!.Before.ShouldBeNull();
        whole.Text.ShouldAllBe(p => p.Status == ParagraphDiffStatus.Inserted);

        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/changes?from=4&to=2", observer)).Status.ShouldBe(400);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/changes?from=morgen", observer)).Status.ShouldBe(400);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/changes?to=99", observer)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Search_finds_resolutions_by_words_of_their_current_or_former_text_title_and_status()
    {
        var nds = await Api.Representative("NI");
        var observer = await Api.Token("Suche", null, "observer");
        var id = (await Api.Propose(nds, "Windenergie an Land", "Die Genehmigungsverfahren für Windparks werden beschleunigt.")).Id;
        var other = (await Api.Propose(nds, "Wasserstoffnetz", "Ein Kernnetz für Wasserstoff wird aufgebaut.")).Id;
        Api.Expect(await Api.Edit(id, nds, 1, new { id = "p1", text = "Die Planungsverfahren für Windparks werden digitalisiert." }), 200);
        await app.ProjectionsCaughtUp(); // the search index is kept by the projection daemon

        async Task<List<SearchHit>> Search(string query)
        {
            var response = await Api.Send(HttpMethod.Get, $"/api/resolutions/search?{query}", observer);
            Api.Expect(response, 200);
            // Only this test's resolutions: other tests write the same words into the shared database.
            return response.As<List<SearchHit>>().Where(h => h.Id == id || h.Id == other).ToList();
        }

        (await Search("q=digitalisiert")).Select(h => (h.Id, h.InCurrentText)).ShouldBe([(id, true)]);
        (await Search("q=Genehmigungsverfahren")).Select(h => (h.Id, h.InCurrentText)).ShouldBe([(id, false)]);   // former text
        (await Search("q=windparks%20WINDENERGIE")).Select(h => h.Id).ShouldBe([id]);                             // all words, any case, title too
        (await Search("q=Wasserstoff&body=D16&status=underNegotiation")).Select(h => h.Id).ShouldBe([other]);
        (await Search("q=Wasserstoff&status=adopted")).ShouldBeEmpty();
        (await Search("q=Wasserstoff&body=MPK")).ShouldBeEmpty();
        (await Api.Send(HttpMethod.Get, "/api/resolutions/search?q=", observer)).Status.ShouldBe(400);
        (await Api.Send(HttpMethod.Get, "/api/resolutions/search?q=wind&status=irgendwas", observer)).Status.ShouldBe(400);
    }
}
