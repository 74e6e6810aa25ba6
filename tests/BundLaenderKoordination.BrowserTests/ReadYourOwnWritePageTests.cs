using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The read model is kept by the projection daemon, off the command path; a page rendered right after a command still
/// shows it (the page reads the resolution through the API, which adds the events the daemon has not applied yet).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadYourOwnWritePageTests(BrowserFixture app)
{
    [Fact]
    public async Task A_page_rendered_right_after_each_command_shows_it()
    {
        var by = await app.Token("Vertretung Bayern Sofort", "DE-BY", "representative");
        var title = "Sofort sichtbar " + Guid.NewGuid().ToString("N")[..6];
        var created = await app.Api(HttpMethod.Post, "/api/resolutions", by, new { body = "D16", title, paragraphs = new[] { "Die Länder sehen, was sie schreiben." } });
        var id = created["id"]!.GetValue<string>();

        var page = await app.SignedIn("Vertretung Hessen Sofort", "DE-HE", "representative");
        var he = await app.Token("Vertretung Hessen Sofort", "DE-HE", "representative");
        for (var i = 1; i <= 3; i++)
        {
            await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/comments", he, new { text = $"Sofortbeitrag {i}", paragraphId = "p1" });
            await page.GotoAsync($"/beschluesse/{id}");
            await Expect(page.GetByText($"Sofortbeitrag {i}")).ToBeVisibleAsync();
        }
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", he, new { choice = "yes", textVersion = 1 });
        await page.GotoAsync($"/beschluesse/{id}");
        await Expect(page.Locator("#votes")).ToContainTextAsync("1 von 16 Ländern stimmen der aktuellen Textfassung zu.");
        await page.Context.CloseAsync();
    }
}
