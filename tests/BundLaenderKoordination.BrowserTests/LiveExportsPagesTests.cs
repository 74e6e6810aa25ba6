using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The downloads under a resolution's title are a live part of its page: a reader who keeps the page open sees the
/// votes of a ballot as soon as it opens, and the adopted text's downloads as soon as the resolution is adopted,
/// without reloading the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveExportsPagesTests(BrowserFixture app)
{
    [Fact]
    public async Task The_downloads_follow_a_ballot_and_the_adoption_without_a_reload()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var created = await app.Api(HttpMethod.Post, "/api/resolutions", by,
            new { body = "D16", title = "Downloads live " + Guid.NewGuid().ToString("N")[..6], paragraphs = new[] { "Die Länder teilen ihre Daten." } });
        var id = created["id"]!.GetValue<string>();
        var chair = await app.Token("Lea Schulte", "DE-BY", "chair");

        var page = await app.SignedIn("Jonas Wolf", "DE-NW", "representative");
        await page.GotoAsync($"/beschluesse/{id}");
        var exports = page.GetByTestId("exports");
        await Expect(exports).ToContainTextAsync("Beschluss (PDF)");
        await Expect(exports).Not.ToContainTextAsync("Stimmen der Abstimmung");
        // A mark on the page that a reload would lose.
        await page.EvaluateAsync("() => { window.__notReloaded = true; }");
        var asked = new List<Uri>();
        page.Request += (_, request) => { lock (asked) asked.Add(new Uri(request.Url)); };

        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/ballots", chair, new { matterType = "default" });
        await Expect(exports.GetByRole(AriaRole.Link, new() { Name = "Stimmen der Abstimmung 1 (CSV)" })).ToBeVisibleAsync();
        lock (asked)
            asked.Where(u => u.AbsolutePath == $"/beschluesse/{id}").Select(u => System.Web.HttpUtility.ParseQueryString(u.Query)["teile"] ?? "")
                .ShouldContain(t => t.Split(',', StringSplitOptions.None).Contains("exports"));

        foreach (var land in new[] { "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV", "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN" })
            await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", await app.Token("Vertretung " + land, land, "representative"), new { choice = "yes", textVersion = 1 });
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/ballots/current/closing", chair);

        var adopted = page.GetByTestId("export-adopted");
        await Expect(adopted).ToHaveTextAsync("Beschlossene Fassung 1 (PDF)");
        await Expect(adopted).ToHaveAttributeAsync("href", $"/exporte/beschluesse/{id}/beschluss.pdf");
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("Beschlossen");
        (await page.EvaluateAsync<bool>("() => window.__notReloaded === true")).ShouldBeTrue();
        await page.ShouldBeAccessible();
        await page.Context.CloseAsync();
    }
}
