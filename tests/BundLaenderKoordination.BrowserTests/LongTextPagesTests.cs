using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// A long resolution as a delegate reads it, on a desktop screen and on a phone: an overview of the paragraphs with jump
/// links (also without script), comments that fold and filter (open, resolved, mine; without script all show), and live
/// updates that bring in only the part of the page that changed, leaving the reader's draft and focus alone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LongTextPagesTests(BrowserFixture app)
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_overview_of_paragraphs_jumps_to_each_paragraph_with_and_without_script(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var he = await app.Token("Miriam Hoffmann", "DE-HE", "representative");
        var id = await Propose(by, "Langer Beschluss " + Guid.NewGuid().ToString("N")[..6], 24);
        await Comment(he, id, "p3", "Zu Absatz 3.");
        await Comment(he, id, "p20", "Zu Absatz 20.");

        var page = await app.SignedIn("Jonas Wolf", "DE-NW", "representative", width: width);
        await page.GotoAsync($"/beschluesse/{id}");
        var toc = page.GetByTestId("toc");
        await Expect(toc.GetByRole(AriaRole.Link)).ToHaveCountAsync(24);
        await Expect(toc.Locator("li").Nth(19)).ToContainTextAsync("Absatz 20");
        await Expect(toc.Locator("li").Nth(19)).ToContainTextAsync("1 Kommentar, 1 offen");
        await toc.GetByRole(AriaRole.Link, new() { Name = "Absatz 20", Exact = true }).ClickAsync();
        page.Url.ShouldEndWith("#p20");
        await Expect(page.Locator("#p20 .paragraph-text")).ToBeInViewportAsync();
        await page.Locator("#p20").GetByRole(AriaRole.Link, new() { Name = "zur Übersicht" }).ClickAsync();
        await Expect(toc).ToBeInViewportAsync();
        await Pages.ShouldNotPushSideways(page);
        await page.ShouldBeAccessible();
        if (width < 600) await page.Screenshot("schmal-absatzuebersicht");
        await page.Context.CloseAsync();

        // Without script the links jump all the same, the filter is not offered and every comment shows.
        var plain = await WithoutScript(await app.Token("Jonas Wolf", "DE-NW", "representative"), width);
        await plain.GotoAsync($"/beschluesse/{id}");
        await plain.GetByTestId("toc").GetByRole(AriaRole.Link, new() { Name = "Absatz 20", Exact = true }).ClickAsync();
        plain.Url.ShouldEndWith("#p20");
        await Expect(plain.Locator("#p20 .paragraph-text")).ToBeInViewportAsync();
        await Expect(plain.GetByTestId("comment-filter")).ToBeHiddenAsync();
        await Expect(plain.Locator("li.comment:visible")).ToHaveCountAsync(2);
        await Pages.ShouldNotPushSideways(plain);
        await plain.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Comments_fold_and_filter_by_open_resolved_and_mine(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var he = await app.Token("Miriam Hoffmann", "DE-HE", "representative");
        var id = await Propose(by, "Kommentare filtern " + Guid.NewGuid().ToString("N")[..6], 4);
        await Comment(he, id, "p1", "Offen von Hessen.");
        var settled = await Comment(he, id, "p2", "Erledigt von Hessen.");
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/comments/{settled}/resolution", he);

        var page = await app.SignedIn("Jonas Wolf", "DE-NW", "representative", width: width);
        await page.GotoAsync($"/beschluesse/{id}");
        await page.GetByText("Absatz 3 kommentieren").ClickAsync();
        await page.Locator("#comment-text-p3").FillAsync("Mein Kommentar.");
        await page.Locator("#p3").GetByRole(AriaRole.Button, new() { Name = "Kommentieren" }).ClickAsync();
        await Expect(page.Locator("#p3 [data-feedback]")).ToContainTextAsync("Kommentar gespeichert");

        var visible = page.Locator("li.comment:visible");
        await Expect(page.GetByTestId("comment-filter")).ToBeVisibleAsync();
        await Expect(visible).ToHaveCountAsync(3);
        await page.GetByLabel("offene", new() { Exact = true }).CheckAsync();
        await Expect(visible).ToHaveCountAsync(2);
        await Expect(page.Locator("#p2 aside")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("comment-filter")).ToContainTextAsync("2 von 3 Kommentaren gezeigt");
        await page.GetByLabel("erledigte", new() { Exact = true }).CheckAsync();
        await Expect(visible).ToHaveCountAsync(1);
        await Expect(visible).ToContainTextAsync("Erledigt von Hessen.");
        await page.GetByLabel("meine", new() { Exact = true }).CheckAsync();
        await Expect(visible).ToHaveCountAsync(1);
        await Expect(visible).ToContainTextAsync("Mein Kommentar.");
        await Pages.ShouldNotPushSideways(page);
        await page.ShouldBeAccessible();
        await page.GetByLabel("alle", new() { Exact = true }).CheckAsync();
        await Expect(visible).ToHaveCountAsync(3);

        // Folded all at once, and each paragraph's comments open again on their own.
        await page.GetByRole(AriaRole.Button, new() { Name = "Alle Kommentare einklappen" }).ClickAsync();
        await Expect(visible).ToHaveCountAsync(0);
        await page.GetByTestId("comments-p1").Locator(":scope > summary").ClickAsync();
        await Expect(visible).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("comments-p1").Locator(":scope > summary")).ToContainTextAsync("1 Kommentar zu Absatz 1, 1 offen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Alle Kommentare aufklappen" }).ClickAsync();
        await Expect(visible).ToHaveCountAsync(3);
        await page.ShouldBeAccessible();
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task A_new_comment_reaches_another_viewer_as_one_part_of_the_page_and_leaves_their_draft_alone(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var he = await app.Token("Miriam Hoffmann", "DE-HE", "representative");
        var id = await Propose(by, "Teilweise live " + Guid.NewGuid().ToString("N")[..6], 8);

        var page = await app.SignedIn("Jonas Wolf", "DE-NW", "representative", width: width);
        await page.GotoAsync($"/beschluesse/{id}");
        // The reader starts rewording paragraph 2.
        await page.GetByText("Absatz 2 bearbeiten").ClickAsync();
        var draft = page.Locator("#edit-text-p2");
        await draft.FillAsync("Absatz 2, neu gefasst von Nordrhein-Westfalen.");
        var asked = new List<Uri>();
        page.Request += (_, request) => { lock (asked) asked.Add(new Uri(request.Url)); };
        // No comment yet, so no filter of comments; the first one, coming live, brings it.
        await Expect(page.GetByTestId("comment-filter")).ToBeHiddenAsync();

        // Hesse comments on paragraph 5 and then on paragraph 6.
        await Comment(he, id, "p5", "Neu von Hessen.");
        await Expect(page.Locator("#p5")).ToContainTextAsync("Neu von Hessen.");
        await Expect(page.GetByTestId("toc").Locator("li").Nth(4)).ToContainTextAsync("1 Kommentar, 1 offen");
        await Expect(page.GetByTestId("comment-filter")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("comment-filter")).ToContainTextAsync("1 Kommentar");
        await Expect(page.Locator("#live-status")).ToContainTextAsync("Aktualisiert");
        await Expect(draft).ToHaveValueAsync("Absatz 2, neu gefasst von Nordrhein-Westfalen.");
        await Expect(draft).ToBeFocusedAsync();
        await Comment(he, id, "p6", "Noch einer von Hessen.");
        await Expect(page.Locator("#p6")).ToContainTextAsync("Noch einer von Hessen.");
        await Expect(draft).ToHaveValueAsync("Absatz 2, neu gefasst von Nordrhein-Westfalen.");
        await Expect(draft).ToBeFocusedAsync();

        // Only the parts that changed were fetched, never the whole page again.
        Uri[] requests;
        lock (asked) requests = [.. asked];
        var pageReads = requests.Where(u => u.AbsolutePath == $"/beschluesse/{id}").ToList();
        pageReads.ShouldNotBeEmpty();
        pageReads.ShouldAllBe(u => u.Query.Contains("handler=Parts"));
        var parts = pageReads.Select(u => System.Web.HttpUtility.ParseQueryString(u.Query)["teile"]).OfType<string>()
            .SelectMany(t => t.Split(',')).ToHashSet();
        parts.ShouldContain("p5");
        parts.ShouldContain("p6");
        parts.ShouldContain("toc");
        parts.ShouldNotContain("p2");
        parts.ShouldNotContain("p1");
        parts.ShouldNotContain("amendments");

        // The draft, begun before the comments came in, is saved: the text it was written against has not changed.
        await page.GetByTestId("edit-p2").GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(page.Locator("#p2 .paragraph-text")).ToHaveTextAsync("Absatz 2, neu gefasst von Nordrhein-Westfalen.");
        await Expect(page.Locator("#p5")).ToContainTextAsync("Neu von Hessen.");

        // The filter that came live filters: Hesse's two comments are not the reader's own.
        await page.GetByLabel("meine", new() { Exact = true }).CheckAsync();
        await Expect(page.Locator("li.comment:visible")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("comment-filter")).ToContainTextAsync("0 von 2 Kommentaren gezeigt");
        await page.GetByLabel("offene", new() { Exact = true }).CheckAsync();
        await Expect(page.Locator("li.comment:visible")).ToHaveCountAsync(2);
        await Pages.ShouldNotPushSideways(page);
        await page.ShouldBeAccessible();
        await page.Context.CloseAsync();
    }

    private async Task<IPage> WithoutScript(string token, int width)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            Locale = "de-DE",
            TimezoneId = BrowserFixture.TimeZone,
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
        });
        context.SetDefaultTimeout(60_000);
        var pair = (await app.PageCookie(token)).Split('=', 2);
        await context.AddCookiesAsync([new Cookie { Name = pair[0], Value = pair[1], Url = app.BaseAddress.ToString(), HttpOnly = true }]);
        return await context.NewPageAsync();
    }

    private async Task<Guid> Comment(string token, Guid id, string paragraphId, string text)
    {
        var written = await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/comments", token, new { text, paragraphId });
        return written["commentId"]!.GetValue<Guid>();
    }

    private async Task<Guid> Propose(string token, string title, int paragraphs)
    {
        var texts = Enumerable.Range(1, paragraphs)
            .Select(i => $"Absatz {i}: Die Länder und der Bund stimmen ihre Vorhaben zur Registermodernisierung ab und berichten jährlich über Stand und Kosten.")
            .ToArray();
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", token, new { body = "D16", title, paragraphs = texts });
        return written["id"]!.GetValue<Guid>();
    }
}
