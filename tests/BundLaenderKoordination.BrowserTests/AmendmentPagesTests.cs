using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BundLaenderKoordination.Api.Web.Pages;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// A resolution with many amendments: the page shows a page of them in full (the open ones first), an overview of all
/// with a link to each one's page, and after an act on an amendment the page that shows it, with the notice there.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AmendmentPagesTests(BrowserFixture app)
{
    private static readonly string[] Proposers = ["DE-HH", "DE-NW", "DE-SN"];
    private const int PerLand = 15;

    [Fact]
    public async Task Many_amendments_are_shown_a_page_at_a_time_with_an_overview_of_all()
    {
        var total = Proposers.Length * PerLand;
        total.ShouldBeGreaterThan(2 * ResolutionModel.AmendmentsPerPage);
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var proposal = await app.Api(HttpMethod.Post, "/api/resolutions", by, new
        {
            body = "D16",
            title = "Viele Änderungsanträge " + Guid.NewGuid().ToString("N")[..6],
            paragraphs = new[] { "Die Länder prüfen offene Standards.", "Der Bund berichtet jährlich." },
        });
        var id = proposal["id"]!.GetValue<Guid>();
        foreach (var land in Proposers)
        {
            var token = await app.Token("Vertretung " + land, land, "representative");
            for (var n = 1; n <= PerLand; n++)
                await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/amendments", token, new
                {
                    baseTextVersion = 1,
                    rationale = $"Antrag {n} von {land}.",
                    changes = new[] { new { kind = "replace", paragraphId = n % 2 == 0 ? "p2" : "p1", text = $"Fassung {n} von {land}: Die Länder prüfen offene Standards bis 2028." } },
                });
        }

        // The API gives the open amendments' diffs by window, in the order of their numbers.
        var window = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}/amendments/diffs?skip=40&take=10", by);
        window["amendments"]!.AsArray().Select(a => a!["number"]!.GetValue<int>()).ShouldBe(Enumerable.Range(41, total - 40));
        var all = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}/amendments/diffs", by);
        all["amendments"]!.AsArray().Count.ShouldBe(total);
        var negative = await Should.ThrowAsync<InvalidOperationException>(() => app.Api(HttpMethod.Get, $"/api/resolutions/{id}/amendments/diffs?skip=-1", by));
        negative.Message.ShouldContain(": 400 ");

        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair");
        await chair.GotoAsync($"/beschluesse/{id}");
        var articles = chair.Locator("article.amendment");
        await Expect(articles).ToHaveCountAsync(ResolutionModel.AmendmentsPerPage);
        await Expect(chair.GetByTestId("amendment-1")).ToBeVisibleAsync();
        await Expect(chair.GetByTestId("amendment-1").Locator("ins").First).ToBeVisibleAsync();
        await Expect(chair.GetByTestId("amendment-pager").First).ToContainTextAsync("Seite 1 von 3");

        // The overview lists every amendment and links to its page.
        var overview = chair.GetByTestId("amendment-overview");
        await overview.Locator("summary").ClickAsync();
        await Expect(overview).ToContainTextAsync($"Alle {total} Änderungsanträge im Überblick ({total} offen)");
        await Expect(overview.Locator("tbody tr")).ToHaveCountAsync(total);
        await overview.GetByRole(AriaRole.Link, new() { Name = "45", Exact = true }).ClickAsync();
        await Expect(chair).ToHaveURLAsync(new Regex(@"\?antraege=3#amendment-45$"));
        await Expect(articles).ToHaveCountAsync(total - 2 * ResolutionModel.AmendmentsPerPage);
        await Expect(chair.GetByTestId("amendment-45")).ToBeVisibleAsync();
        await Expect(chair.GetByTestId("amendment-45").Locator("ins").First).ToBeVisibleAsync();
        await Expect(chair.GetByTestId("amendment-1")).ToHaveCountAsync(0);

        // Deciding one on the last page: the answer is shown with it, on the page that now shows it.
        await chair.GetByRole(AriaRole.Button, new() { Name = "Nr. 44 ablehnen" }).ClickAsync();
        var decided = chair.GetByTestId("amendment-44");
        await Expect(decided).ToBeVisibleAsync();
        await Expect(decided.GetByTestId("amendment-badge")).ToHaveTextAsync("abgelehnt");
        await Expect(decided.Locator("[data-feedback][role=status]")).ToBeFocusedAsync();
        var stored = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by);
        stored["amendments"]!.AsArray().Single(a => a!["number"]!.GetValue<int>() == 44)!["status"]!.GetValue<string>().ShouldBe("rejected");

        // The overview and the pages are usable on a phone: nothing pushes the page sideways, and axe finds nothing.
        var narrow = await app.SignedIn("Lea Schulte", "DE-BY", "chair", width: 390);
        await narrow.GotoAsync($"/beschluesse/{id}?antraege=2#amendments");
        await narrow.GetByTestId("amendment-overview").Locator("summary").ClickAsync();
        var widths = await narrow.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1]);
        await narrow.ShouldBeAccessible();
        await chair.GotoAsync($"/beschluesse/{id}?antraege=2#amendments");
        await chair.ShouldBeAccessible();
        await chair.Locator("#amendments").ScrollIntoViewIfNeededAsync();
        await chair.Screenshot("aenderungsantraege-seiten");
    }
}
