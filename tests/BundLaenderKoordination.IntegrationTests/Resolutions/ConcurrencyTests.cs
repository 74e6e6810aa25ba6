using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class ConcurrencyTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task Of_eight_concurrent_edits_at_the_same_version_exactly_one_lands()
    {
        var id = (await Api.Propose(await Api.Representative("NW"), "Digitale Verwaltung", "Erster Absatz.")).Id;
        var tokens = await Task.WhenAll(Api.Laender.Take(8).Select(Api.Representative));

        var responses = await Task.WhenAll(tokens.Select((token, i) =>
            Task.Run(() => Api.Edit(id, token, 1, new { id = "p1", text = $"Fassung {i}." }))));

        responses.Count(r => r.Status == 200).ShouldBe(1);
        responses.Count(r => r.Status == 409).ShouldBe(7);
        responses.Where(r => r.Status == 409).ShouldAllBe(r => r.ProblemType == "/problems/stale-version" || r.ProblemType == "/problems/concurrent-change");
        (await app.StreamVersion(id)).ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_votes_of_different_Laender_all_count()
    {
        var id = (await Api.Propose(await Api.Representative("HH"), "Open Data", "Die Länder öffnen ihre Daten.")).Id;
        var tokens = await Task.WhenAll(Api.Laender.Select(Api.Representative));

        var responses = await Task.WhenAll(tokens.Select(token => Task.Run(() => Api.Vote(id, token, "yes", 1))));

        responses.ShouldAllBe(r => r.Status == 200);
        (await app.StreamVersion(id)).ShouldBe(17);
    }
}
