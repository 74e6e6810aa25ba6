using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BundLaenderKoordination.Api.Identity;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The pages as a ministry user meets them: German words throughout (refusals with the facts of the case, rules, votes,
/// paragraphs by number, never the API's English or a raw code), the answer to a form next to that form with the focus
/// on it, and at 390 px no page that pushes sideways.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlainPagesTests(BrowserFixture app)
{
    private const string P1 = "Die Länder stimmen ihre Register bis 2028 aufeinander ab.";
    private const string P1Edited = "Die Länder stimmen ihre Register bis Ende 2028 aufeinander ab.";
    private const string P2 = "Der Bund stellt die Schnittstellen bereit.";
    private const string P2Edited = "Der Bund stellt die Schnittstellen und ein Testsystem bereit.";
    private const string P3 = "Die Konferenz wird im Herbst 2028 unterrichtet.";

    /// <summary>What a German page must never show: the API's English details and raw codes of rules, votes, paragraphs, findings.</summary>
    private static readonly string[] EnglishDetails =
    [
        "the text cannot change", "You sent expectedVersion", "The chair opens a ballot first", "before a vote", "Its author revises it",
        "Redo your edit", "is not the current one", "Not sealed yet", "The request is not valid", "You may not do this", "not met",
        "voting members voted yes", "Reload it",
    ];

    private static readonly Regex RawCode = new(
        @"atLeast:\d+|\bunanimity\b|simpleMajority|\b(yes|no|abstain|default)\b|\b[A-Z]{3,}_[A-Z_]{3,}\b|\(p\d+\)|\bp\d+\b|\bUTC\b|Ä\d|/problems/",
        RegexOptions.CultureInvariant);

    [Fact]
    public async Task A_whole_negotiation_speaks_German_refusals_rules_votes_and_paragraphs_included()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var id = await Propose(by, "Registerabgleich " + Guid.NewGuid().ToString("N")[..6], P1, P2, P3);
        // Hesse proposes an amendment to paragraph 1; Bavaria then changes paragraph 1, so that the amendment conflicts.
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/amendments", await app.Token("Miriam Hoffmann", "DE-HE", "representative"),
            new { baseTextVersion = 1, changes = new[] { new { kind = "replace", paragraphId = "p1", text = "Die Länder gleichen ihre Register ab." } }, rationale = "Kürzer." });
        await Edit(by, id, "p1", P1Edited);

        // The chair accepts the amendment anyway: the refusal says in German which paragraph changed, next to the
        // amendment, with the focus on it.
        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair");
        await chair.GotoAsync($"/beschluesse/{id}");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Nr. 1 annehmen" }).ClickAsync();
        var refusal = chair.GetByTestId("amendment-1").GetByTestId("error");
        await Expect(refusal).ToContainTextAsync("Absatz 1 wurde seit Textfassung 1 geändert (jetzt Textfassung 2)");
        await Expect(refusal).ToBeFocusedAsync();
        await ShouldSpeakGerman(chair);
        await chair.ShouldBeAccessible();

        // North Rhine-Westphalia's draft is overtaken by Bavaria's edit: the warning stands at the paragraph, in German,
        // the draft kept.
        var nw = await app.SignedIn("Jonas Wolf", "DE-NW", "representative");
        await nw.GotoAsync($"/beschluesse/{id}");
        await nw.GetByTestId("edit-p2").Locator("summary").ClickAsync();
        await nw.Locator("#edit-text-p2").FillAsync("Der Bund stellt alles bereit.");
        await Edit(by, id, "p2", P2Edited);
        await nw.GetByTestId("edit-p2").GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        var stale = nw.Locator("#p2").GetByTestId("stale");
        await Expect(stale).ToContainTextAsync("Der Beschluss wurde inzwischen geändert");
        await Expect(stale).ToBeFocusedAsync();
        await Expect(nw.Locator("#edit-text-p2")).ToHaveValueAsync("Der Bund stellt alles bereit.");
        await ShouldSpeakGerman(nw);

        // The amendment form starts with the current wording of the paragraph chosen.
        await nw.GetByTestId("propose-amendment").Locator("summary").ClickAsync();
        await Expect(nw.Locator("#amend-text")).ToHaveValueAsync(P1Edited);
        await nw.GetByLabel("Absatz", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Absatz 3" });
        await Expect(nw.Locator("#amend-text")).ToHaveValueAsync(P3);

        // The chair rejects the amendment and opens the ballot: the rule in words.
        await chair.GotoAsync($"/beschluesse/{id}");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Nr. 1 ablehnen" }).ClickAsync();
        await Expect(chair.GetByTestId("amendment-1").Locator("[data-feedback]")).ToContainTextAsync("Änderungsantrag abgelehnt");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung eröffnen" }).ClickAsync();
        await Expect(chair.GetByTestId("ballot")).ToContainTextAsync("mindestens 13 von 16 Ländern stimmen zu");
        await Expect(chair.GetByTestId("ballot")).ToContainTextAsync("Allgemeine Angelegenheit");
        // While the ballot runs, the text says it is locked and why, and no paragraph offers editing.
        await Expect(chair.GetByTestId("text-locked")).ToContainTextAsync("läuft Abstimmung Nr. 1");
        await Expect(chair.GetByTestId("edit-p1")).ToHaveCountAsync(0);

        // Twelve Länder vote through the API, North Rhine-Westphalia in the browser: the notice says "Ja" by the vote form.
        var textVersion = (await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by))["textVersion"]!.GetValue<int>();
        foreach (var land in Lands.Laender.Where(l => l != "DE-NW").Take(12))
            await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", await app.Token("Vertretung " + land, land, "representative"), new { choice = "yes", textVersion });
        await nw.GotoAsync($"/beschluesse/{id}");
        await nw.GetByLabel("Ja", new() { Exact = true }).CheckAsync();
        // A binding act asks for confirmation, stating what is approved.
        await Expect(nw.Locator("label[for=confirm-vote]")).ToContainTextAsync($"zu Textfassung {textVersion} (Prüfsumme");
        await Expect(nw.Locator("#confirm-vote")).ToHaveAttributeAsync("required", "");
        await nw.Locator("#confirm-vote").CheckAsync();

        await nw.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        var voted = nw.Locator("#votes [data-feedback]");
        await Expect(voted).ToContainTextAsync($"Stimme gespeichert: Ja zu Textfassung {textVersion}");
        await Expect(voted).ToBeFocusedAsync();

        await chair.GotoAsync($"/beschluesse/{id}");
        await Expect(chair.Locator("label[for=confirm-close]")).ToContainTextAsync("nach der Regel „mindestens 13 von 16 Ländern stimmen zu“");
        await chair.Locator("#confirm-close").CheckAsync();

        await chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung Nr. 1 schließen" }).ClickAsync();
        await Expect(chair.GetByTestId("status")).ToHaveTextAsync("Beschlossen");

        // Every page of the journey, for the chair and the auditor, in German.
        foreach (var path in new[] { $"/beschluesse/{id}", $"/beschluesse/{id}/verlauf?von=1&bis={textVersion}", "/gremien/D16", "/" })
        {
            await chair.GotoAsync(path);
            await ShouldSpeakGerman(chair);
        }
        var auditor = await app.SignedIn("Paula Prüfer", null, "auditor");
        await auditor.GotoAsync($"/pruefung?beschluss={id}");
        var table = auditor.GetByTestId($"who-agreed-{id}");
        await Expect(table).ToContainTextAsync("Ja");
        // All sixteen Länder in their official order, the three that did not vote named as such.
        (await table.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.land)")).ShouldBe(Lands.Laender.ToArray());
        await Expect(table.GetByTestId("not-voted")).ToHaveCountAsync(3);
        await ShouldSpeakGerman(auditor);
        // From the list of all resolutions, each one's audit bundle is one click away.
        await auditor.GotoAsync("/pruefung");
        await Expect(auditor.GetByTestId($"bundle-{id}")).ToHaveAttributeAsync("href", $"/pruefung?handler=Bundle&beschluss={id}");
        await ShouldSpeakGerman(auditor);
        foreach (var page in new[] { chair, nw, auditor }) await page.Context.CloseAsync();
    }

    [Fact]
    public async Task At_390_px_no_page_pushes_sideways_and_the_live_notice_stays_in_view()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var id = await Propose(by, "Schmale Bildschirme " + Guid.NewGuid().ToString("N")[..6], P1, P2, P3);
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/amendments", await app.Token("Miriam Hoffmann", "DE-HE", "representative"),
            new { baseTextVersion = 1, changes = new[] { new { kind = "replace", paragraphId = "p1", text = "Die Länder gleichen ihre Register ab." } }, rationale = "Kürzer." });
        await Edit(by, id, "p1", P1Edited);
        foreach (var land in new[] { "DE-BY", "DE-HE", "DE-SN" })
        {
            var token = await app.Token("Vertretung " + land, land, "representative");
            await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", token, new { choice = "yes", textVersion = 2 });
        }

        var he = await app.SignedIn("Miriam Hoffmann", "DE-HE", "representative", width: 390);
        foreach (var path in new[] { "/", "/gremien/D16", $"/beschluesse/{id}", $"/beschluesse/{id}/verlauf?von=1&bis=2" })
        {
            await he.GotoAsync(path);
            await Pages.ShouldNotPushSideways(he);
            await he.ShouldBeAccessible();
        }
        // The list of resolutions is stacked: each cell on a line of its own, named by its column.
        await he.GotoAsync("/");
        (await he.Locator("table.list td").First.EvaluateAsync<string>("td => getComputedStyle(td).display")).ShouldBe("block");
        await he.Screenshot("schmal-start");

        var auditor = await app.SignedIn("Paula Prüfer", null, "auditor", width: 390);
        await auditor.GotoAsync($"/pruefung?beschluss={id}");
        await Pages.ShouldNotPushSideways(auditor);
        await auditor.ShouldBeAccessible();

        // Far down the page with a comment being written, a change by someone else: the notice is sticky and in view.
        await he.GotoAsync($"/beschluesse/{id}");
        await he.GetByText("Absatz 3 kommentieren").ClickAsync();
        await he.Locator("#comment-text-p3").FillAsync("Herbst ist spät.");
        await he.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        await Edit(by, id, "p2", P2Edited);
        var live = he.Locator("#live-status");
        await Expect(live).ToContainTextAsync("Neue Version verfügbar");
        await Expect(live).ToBeInViewportAsync();
        foreach (var page in new[] { he, auditor }) await page.Context.CloseAsync();
    }

    private static async Task ShouldSpeakGerman(IPage page)
    {
        var text = await page.Locator("main").InnerTextAsync();
        foreach (var english in EnglishDetails) text.ShouldNotContain(english, Case.Sensitive, $"{page.Url} shows the API's English");
        var raw = RawCode.Matches(text).Select(m => m.Value).ToList();
        raw.ShouldBeEmpty($"{page.Url} shows raw codes: {string.Join(", ", raw)}");
    }

    private async Task Edit(string token, Guid id, string paragraphId, string text)
    {
        var current = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", token);
        var paragraphs = current["paragraphs"]!.AsArray()
            .Select(p => new { id = p!["id"]!.GetValue<string>(), text = p["id"]!.GetValue<string>() == paragraphId ? text : p["text"]!.GetValue<string>() })
            .ToList();
        await app.Api(HttpMethod.Put, $"/api/resolutions/{id}/text", token, new { expectedVersion = current["version"]!.GetValue<long>(), paragraphs });
    }

    private async Task<Guid> Propose(string token, string title, params string[] paragraphs)
    {
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", token, new { body = "D16", title, paragraphs });
        return written["id"]!.GetValue<Guid>();
    }
}
