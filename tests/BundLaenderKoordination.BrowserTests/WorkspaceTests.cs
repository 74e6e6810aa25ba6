using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class WorkspaceTests(BrowserFixture app)
{
    [Fact]
    public async Task A_representative_signs_in_proposes_and_reads_the_text_by_paragraph_with_its_hash()
    {
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), Locale = "de-DE" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/anmelden"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await page.ShouldBeAccessible();
        await page.Screenshot("anmelden");

        await page.GetByRole(AriaRole.Button, new() { Name = "Anna Berger – Freistaat Bayern, Vertretung" }).ClickAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("Anna Berger · Freistaat Bayern");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Beschlüsse", Level = 1 })).ToBeVisibleAsync();

        var title = "Beschluss zur Registermodernisierung " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Titel").FillAsync(title);
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync(
            "Die Länder treiben die Registermodernisierung gemeinsam voran.\n\nDer Bund wird gebeten, die Finanzierung zu sichern.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vorschlagen" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        var paragraphs = page.GetByTestId("paragraph-text");
        await Expect(paragraphs).ToHaveTextAsync([
            "Die Länder treiben die Registermodernisierung gemeinsam voran.",
            "Der Bund wird gebeten, die Finanzierung zu sichern.",
        ]);
        var id = Guid.Parse(page.Url.Split('/').Last());
        var stored = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", await app.Token("Leser", null, "observer"));
        await Expect(page.GetByTestId("text-hash")).ToHaveTextAsync(stored["textHash"]!.GetValue<string>());
        stored["proposedBy"]!["actingFor"]!.GetValue<string>().ShouldBe("DE-BY");
        await page.ShouldBeAccessible();

        await page.GetByRole(AriaRole.Link, new() { Name = "Beschlüsse", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await page.ShouldBeAccessible();
        await page.Screenshot("beschluesse");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Edits_of_others_appear_without_reload_and_a_stale_draft_is_refused_and_kept()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var id = await Propose(by, "Gemeinsame Cloud-Strategie", "Die Länder bauen eine gemeinsame Cloud auf.", "Die Kosten werden geteilt.");

        var observer = await app.SignedIn("Paul Neumann", null, "observer");
        var nw = await app.SignedIn("Jonas Wolf", "DE-NW", "representative");
        var he = await app.SignedIn("Miriam Hoffmann", "DE-HE", "representative");
        foreach (var page in new[] { observer, nw, he }) await page.GotoAsync($"/beschluesse/{id}");

        // Hesse starts a draft of paragraph 1 from version 1.
        await he.GetByTestId("edit-p1").Locator("summary").ClickAsync();
        await he.Locator("#edit-text-p1").FillAsync("Die Länder bauen bis 2028 eine gemeinsame Cloud auf.");

        // Meanwhile North Rhine-Westphalia rewords paragraph 2.
        await nw.GetByTestId("edit-p2").Locator("summary").ClickAsync();
        await nw.Locator("#edit-text-p2").FillAsync("Die Kosten werden nach dem Königsteiner Schlüssel geteilt.");
        await nw.GetByTestId("edit-p2").GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(nw.Locator("#p2 .paragraph-text")).ToHaveTextAsync("Die Kosten werden nach dem Königsteiner Schlüssel geteilt.");

        // The observer's page shows it without a reload; Hesse's page, with a draft open, is told instead.
        await Expect(observer.Locator("#p2 .paragraph-text")).ToHaveTextAsync("Die Kosten werden nach dem Königsteiner Schlüssel geteilt.");
        await Expect(observer.GetByTestId("text-version")).ToHaveTextAsync("2");
        await Expect(he.Locator("#live-status")).ToContainTextAsync("Neue Version verfügbar");
        await Expect(he.Locator("#edit-text-p1")).ToHaveValueAsync("Die Länder bauen bis 2028 eine gemeinsame Cloud auf.");

        // Saving the draft from version 1 is refused: the page says so, shows the new text and keeps the draft.
        await he.GetByTestId("edit-p1").GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(he.GetByTestId("stale")).ToContainTextAsync("inzwischen geändert");
        await Expect(he.Locator("#p2 .paragraph-text")).ToHaveTextAsync("Die Kosten werden nach dem Königsteiner Schlüssel geteilt.");
        await Expect(he.Locator("#edit-text-p1")).ToHaveValueAsync("Die Länder bauen bis 2028 eine gemeinsame Cloud auf.");
        await Expect(he.Locator("#p1 .paragraph-text")).ToHaveTextAsync("Die Länder bauen eine gemeinsame Cloud auf.");
        await he.ShouldBeAccessible();
        await he.Screenshot("veraltete-seite");

        // Saved again on the version now shown, it goes through and keeps North Rhine-Westphalia's paragraph.
        await he.GetByTestId("edit-p1").GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(he.Locator("#p1 .paragraph-text")).ToHaveTextAsync("Die Länder bauen bis 2028 eine gemeinsame Cloud auf.");
        await Expect(he.Locator("#p2 .paragraph-text")).ToHaveTextAsync("Die Kosten werden nach dem Königsteiner Schlüssel geteilt.");
        await Expect(observer.Locator("#p1 .paragraph-text")).ToHaveTextAsync("Die Länder bauen bis 2028 eine gemeinsame Cloud auf.");

        var audit = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by);
        audit["version"]!.GetValue<long>().ShouldBe(3);
        foreach (var page in new[] { observer, nw, he }) await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_Land_votes_on_the_text_version_shown_and_a_vote_on_a_superseded_version_is_refused()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var id = await Propose(by, "Digitale Identitäten", "Die Länder erkennen die Online-Ausweisfunktion an.");
        var written = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by);

        var nw = await app.SignedIn("Jonas Wolf", "DE-NW", "representative");
        await nw.GotoAsync($"/beschluesse/{id}");
        await Expect(nw.Locator(".vote-form")).ToContainTextAsync(written["textHash"]!.GetValue<string>());
        await nw.GetByLabel("Ja").CheckAsync();
        await nw.Locator("#confirm-vote").CheckAsync();

        await nw.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        await Expect(nw.Locator("[data-land='DE-NW']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("vote-yes"));
        await Expect(nw.Locator("[data-land='DE-NW']")).ToContainTextAsync("Ja");
        await nw.ShouldBeAccessible();
        await nw.Screenshot("beschluss");

        var stored = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by);
        var vote = stored["votes"]!.AsArray().Single()!;
        vote["land"]!.GetValue<string>().ShouldBe("DE-NW");
        vote["textHash"]!.GetValue<string>().ShouldBe(written["textHash"]!.GetValue<string>());

        // Hamburg reads text version 1 and has filled in its vote, so the votes are not refreshed under it ...
        var hh = await app.SignedIn("Ole Hansen", "DE-HH", "representative");
        await hh.GotoAsync($"/beschluesse/{id}");
        await hh.GetByLabel("Ja").CheckAsync();
        await hh.Locator("#confirm-vote").CheckAsync();
        // ... while Bavaria changes the text.
        await app.Api(HttpMethod.Put, $"/api/resolutions/{id}/text", by, new
        {
            expectedVersion = stored["version"]!.GetValue<long>(),
            paragraphs = new[] { new { id = "p1", text = "Die Länder erkennen die Online-Ausweisfunktion und die EUDI-Wallet an." } },
        });
        await Expect(hh.Locator("#live-status")).ToContainTextAsync("Neue Version verfügbar");
        await Expect(hh.Locator("#confirm-vote")).ToBeCheckedAsync();

        await hh.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        await Expect(hh.GetByTestId("stale")).ToContainTextAsync("nicht mehr aktuell");
        await Expect(hh.GetByTestId("text-version")).ToHaveTextAsync("2");
        await Expect(hh.Locator("[data-land='DE-HH']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("vote-none"));
        await Expect(hh.Locator("[data-land='DE-NW']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("vote-outdated"));
        await nw.Context.CloseAsync();
        await hh.Context.CloseAsync();
    }

    [Fact]
    public async Task The_pages_switch_to_English()
    {
        var page = await app.SignedIn("Jonas Wolf", "DE-NW", "representative");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Resolutions", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Deutsch" })).ToBeVisibleAsync();
        await page.ShouldBeAccessible();
        var id = await Propose(await app.Token("Anna Berger", "DE-BY", "representative"), "Cloud-Strategie", "Die Länder bauen eine Cloud auf.");
        await page.GotoAsync($"/beschluesse/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Votes of the Länder" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cast vote" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("Under negotiation");
        await page.ShouldBeAccessible();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Positions of the Länder" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Written procedure" })).ToBeVisibleAsync();
        await page.GotoAsync("/gremien/D16");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sessions", Level = 2 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Requests for a special session" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("my-mandate")).ToHaveTextAsync("Nordrhein-Westfalen, Representative");
        await page.ShouldBeAccessible();
        await page.GotoAsync($"/beschluesse/{id}/verlauf");
        await Expect(page.GetByRole(AriaRole.Slider, new() { Name = "State after step" })).ToBeVisibleAsync();
        await page.ShouldBeAccessible();
        await page.GetByRole(AriaRole.Link, new() { Name = "Deutsch" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Slider, new() { Name = "Stand nach Schritt" })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Comments_quote_a_passage_get_replies_are_resolved_and_outdated_and_search_finds_a_former_wording(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var word = "Verwaltungsdaten" + Guid.NewGuid().ToString("N")[..4];
        var title = "Offene Daten " + Guid.NewGuid().ToString("N")[..6];
        var id = await Propose(by, title, $"Die Länder veröffentlichen {word} offen.", "Die Umsetzung beginnt 2027.");

        var nw = await app.SignedIn("Jonas Wolf", "DE-NW", "representative", width: width);
        var he = await app.SignedIn("Miriam Hoffmann", "DE-HE", "representative", width: width);
        await nw.GotoAsync($"/beschluesse/{id}");
        await he.GotoAsync($"/beschluesse/{id}");

        // North Rhine-Westphalia comments on a passage of paragraph 1.
        await nw.Locator("#p1 details.edit summary", new() { HasText = "kommentieren" }).ClickAsync();
        await nw.Locator("#comment-quote-p1").FillAsync(word);
        await nw.Locator("#comment-text-p1").FillAsync("Gehören Geodaten dazu?");
        await nw.Locator("#p1").GetByRole(AriaRole.Button, new() { Name = "Kommentieren" }).ClickAsync();
        var thread = nw.Locator("#p1 [data-testid=comment]");
        await Expect(thread).ToContainTextAsync("Gehören Geodaten dazu?");
        await Expect(thread.Locator("q.quote")).ToHaveTextAsync(word);

        // Hesse sees it live and replies; North Rhine-Westphalia sees the reply live.
        var heThread = he.Locator("#p1 [data-testid=comment]");
        await Expect(heThread).ToContainTextAsync("Gehören Geodaten dazu?");
        await heThread.Locator("summary", new() { HasText = "Antworten" }).ClickAsync();
        await heThread.Locator("textarea").FillAsync("Ja, ausdrücklich.");
        await heThread.GetByRole(AriaRole.Button, new() { Name = "Antworten" }).ClickAsync();
        await Expect(he.Locator("#p1 [data-testid=comment] ul.replies")).ToContainTextAsync("Ja, ausdrücklich.");
        await Expect(thread.Locator("ul.replies")).ToContainTextAsync("Ja, ausdrücklich.");

        // The commenting Land settles the thread.
        await thread.GetByRole(AriaRole.Button, new() { Name = "Als erledigt markieren" }).ClickAsync();
        await Expect(nw.Locator("#p1 [data-testid=comment]")).ToContainTextAsync("erledigt");
        await Expect(nw.Locator("#p1 [data-testid=comment]").GetByRole(AriaRole.Button, new() { Name = "Wieder öffnen" })).ToBeVisibleAsync();

        // Bavaria rewords the quoted passage: the comment is shown as outdated, with the wording it was written against.
        var current = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by);
        await app.Api(HttpMethod.Put, $"/api/resolutions/{id}/text", by, new
        {
            expectedVersion = current["version"]!.GetValue<long>(),
            paragraphs = new object[] { new { id = "p1", text = "Die Länder veröffentlichen Verwaltungs- und Geodaten offen." }, new { id = "p2", text = "Die Umsetzung beginnt 2027." } },
        });
        await Expect(nw.Locator("#p1 [data-testid=comment]")).ToContainTextAsync("veraltet");
        await Expect(nw.Locator("#p1 [data-testid=comment]")).ToContainTextAsync("Geschrieben zu:");
        await nw.ShouldBeAccessible();
        if (width > 600) await nw.Screenshot("kommentare");
        await nw.ShouldNotPushSideways();

        // The list finds the resolution by the former wording and says so, once the search index (kept by the projection
        // daemon) has it.
        await app.ProjectionsCaughtUp();
        await nw.GotoAsync("/?q=" + word);
        await Expect(nw.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await Expect(nw.Locator("table.list")).ToContainTextAsync("nur in einer früheren Fassung");
        await nw.ShouldBeAccessible();
        await nw.Context.CloseAsync();
        await he.Context.CloseAsync();
    }

    [Fact]
    public async Task A_disputed_passage_is_bracketed_with_alternatives_blocks_the_vote_and_is_resolved()
    {
        var token = await app.Token("Anna Berger", "DE-BY", "representative");
        var id = await Propose(token, "Finanzierung der Registermodernisierung", "Die Länder modernisieren ihre Register.", "Der Bund beteiligt sich an den Kosten.");

        // Saxony brackets the disputed passage with an alternative wording.
        var sn = await app.SignedIn("Sophie Richter", "DE-SN", "representative");
        await sn.GotoAsync($"/beschluesse/{id}");
        await sn.GetByTestId("bracket-form-p2").Locator("summary").ClickAsync();
        await sn.Locator("#bracket-quote-p2").FillAsync("an den Kosten");
        await sn.Locator("#bracket-alt-p2").FillAsync("an den Investitionskosten");
        await sn.GetByTestId("bracket-form-p2").GetByRole(AriaRole.Button, new() { Name = "Einklammern" }).ClickAsync();
        await Expect(sn.Locator("#p2 mark.bracket")).ToContainTextAsync("an den Kosten");
        await Expect(sn.GetByTestId("bracket-1")).ToContainTextAsync("an den Investitionskosten");

        // Bavaria, the proposing Land, proposes a second alternative; a vote is refused while the bracket is open.
        var by = await app.SignedIn("Anna Berger", "DE-BY", "representative");
        await by.GotoAsync($"/beschluesse/{id}");
        await by.GetByTestId("bracket-1").Locator("summary").ClickAsync();
        await by.Locator("#alt-1").FillAsync("zur Hälfte an den Kosten");
        await by.GetByTestId("bracket-1").GetByRole(AriaRole.Button, new() { Name = "Vorschlagen" }).ClickAsync();
        await Expect(by.GetByTestId("bracket-1")).ToContainTextAsync("zur Hälfte an den Kosten");
        await by.GetByLabel("Ja").CheckAsync();
        await by.Locator("#confirm-vote").CheckAsync();

        await by.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        await Expect(by.GetByTestId("error")).ToContainTextAsync("an den Kosten");
        await by.ShouldBeAccessible();
        await by.Screenshot("klammern");

        // Bavaria settles it on the second alternative: the text reads so, without brackets.
        await by.GetByLabel("Alternative 2: zur Hälfte an den Kosten").CheckAsync();
        await by.GetByRole(AriaRole.Button, new() { Name = "Klammer 1 auflösen" }).ClickAsync();
        await Expect(by.Locator("#p2 .paragraph-text")).ToHaveTextAsync("Der Bund beteiligt sich zur Hälfte an den Kosten.");
        await Expect(by.Locator("#p2 mark.bracket")).ToHaveCountAsync(0);
        await Expect(sn.Locator("#p2 .paragraph-text")).ToHaveTextAsync("Der Bund beteiligt sich zur Hälfte an den Kosten.");
        await sn.Context.CloseAsync();
        await by.Context.CloseAsync();
    }

    private async Task<Guid> Propose(string token, string title, params string[] paragraphs)
    {
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", token, new { body = "D16", title, paragraphs });
        return written["id"]!.GetValue<Guid>();
    }
}
