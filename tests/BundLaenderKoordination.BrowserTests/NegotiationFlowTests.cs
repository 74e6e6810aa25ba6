using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// A whole negotiation in the browser: one Land proposes, a second edits another paragraph, a third proposes an
/// amendment that is accepted, 13 Länder vote yes, the chair closes the ballot, an observer moves the
/// timeline back and sees the earlier text, and the auditor sees every vote proven and checks a Land's receipt.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NegotiationFlowTests(BrowserFixture app)
{
    private const string P1 = "Die Länder schaffen einen gemeinsamen Datenraum für die Verwaltung.";
    private const string P2 = "Der Bund wird gebeten, sich an den Kosten zu beteiligen.";
    private const string P2Edited = "Der Bund wird gebeten, die Hälfte der Kosten zu tragen.";
    private const string P3 = "Die D16 berichtet im Jahr 2027.";
    private const string P3Amended = "Die D16 berichtet jährlich, erstmals im Herbst 2027.";

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Propose_edit_amend_vote_adopt_and_replay(int width)
    {
        // Bavaria proposes.
        var by = await app.SignedIn("Anna Berger", "DE-BY", "representative", width: width);
        var title = "Gemeinsamer Datenraum " + Guid.NewGuid().ToString("N")[..6];
        await by.GetByLabel("Titel").FillAsync(title);
        await by.GetByLabel("Text", new() { Exact = true }).FillAsync($"{P1}\n\n{P2}\n\n{P3}");
        await by.GetByRole(AriaRole.Button, new() { Name = "Vorschlagen" }).ClickAsync();
        await Expect(by.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        var id = Guid.Parse(by.Url.Split('/', '#').Reverse().First(s => Guid.TryParse(s, out _)));

        // North Rhine-Westphalia edits paragraph 2.
        var nw = await app.SignedIn("Jonas Wolf", "DE-NW", "representative", width: width);
        await nw.GotoAsync($"/beschluesse/{id}");
        await nw.GetByTestId("edit-p2").Locator("summary").ClickAsync();
        await nw.Locator("#edit-text-p2").FillAsync(P2Edited);
        await nw.GetByTestId("edit-p2").GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(nw.Locator("#p2 .paragraph-text")).ToHaveTextAsync(P2Edited);

        // Hesse proposes an amendment to paragraph 3; its diff shows inline.
        var he = await app.SignedIn("Miriam Hoffmann", "DE-HE", "representative", width: width);
        await he.GotoAsync($"/beschluesse/{id}");
        await he.GetByTestId("propose-amendment").Locator("summary").ClickAsync();
        await he.GetByLabel("Art").SelectOptionAsync("replace");
        await he.GetByLabel("Absatz", new() { Exact = true }).SelectOptionAsync("p3");
        await he.GetByLabel("Vorgeschlagener Wortlaut").FillAsync(P3Amended);
        await he.GetByLabel("Begründung").FillAsync("Ein jährlicher Bericht hält alle auf dem Laufenden.");
        await he.GetByRole(AriaRole.Button, new() { Name = "Antrag stellen" }).ClickAsync();
        var amendment = he.GetByTestId("amendment-1");
        await Expect(amendment).ToContainTextAsync("offen");
        await Expect(amendment.Locator("ins").First).ToBeVisibleAsync();
        await Expect(amendment.Locator("del").First).ToBeVisibleAsync();
        await he.ShouldBeAccessible();

        // Bavaria, the proposing Land, accepts it; Bavaria's open page got the amendment live.
        await Expect(by.GetByTestId("amendment-1")).ToContainTextAsync("offen");
        await by.GetByRole(AriaRole.Button, new() { Name = "Nr. 1 annehmen" }).ClickAsync();
        await Expect(by.GetByTestId("amendment-1")).ToContainTextAsync("angenommen");
        await Expect(by.Locator("#p3 .paragraph-text")).ToHaveTextAsync(P3Amended);
        await Expect(by.GetByTestId("text-version")).ToHaveTextAsync("3");

        // The chair in office (Bavaria chairs D16) opens the ballot on text version 3.
        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair", width: width);
        await chair.GotoAsync($"/beschluesse/{id}");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung eröffnen" }).ClickAsync();
        await Expect(chair.GetByTestId("ballot")).ToContainTextAsync("Textfassung 3");

        // Three Länder vote in the browser on text version 3, ten more through the API.
        foreach (var page in new[] { by, nw, he })
        {
            await page.GotoAsync($"/beschluesse/{id}");
            await Expect(page.GetByTestId("text-version")).ToHaveTextAsync("3");
            await page.GetByLabel("Ja").CheckAsync();
            await page.Locator("#confirm-vote").CheckAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
            await Expect(page.Locator(".alert.success")).ToContainTextAsync("Textfassung 3");
        }
        var textHash = await by.GetByTestId("text-hash").TextContentAsync();
        foreach (var land in new[] { "DE-BW", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-MV", "DE-NI", "DE-RP", "DE-SL", "DE-SN" })
        {
            var token = await app.Token("Vertretung " + land, land, "representative");
            var vote = await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", token, new { choice = "yes", textVersion = 3 });
            vote["textHash"]!.GetValue<string>().ShouldBe(textHash);
        }

        // The chair sees live who has voted and who has not, and closes the ballot: 13 of 16 adopt.
        await Expect(chair.Locator("#votes")).ToContainTextAsync("13 von 16 Ländern");
        await Expect(chair.Locator(".land.vote-yes")).ToHaveCountAsync(13);
        await Expect(chair.GetByTestId("not-voted")).ToHaveTextAsync("ST, SH, TH");
        await chair.ShouldBeAccessible();
        if (width > 600) await chair.Screenshot("abstimmung");
        await chair.Locator("#confirm-close").CheckAsync();

        await chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung Nr. 1 schließen" }).ClickAsync();
        await Expect(chair.GetByTestId("status")).ToHaveTextAsync("Beschlossen");
        await Expect(by.GetByTestId("status")).ToHaveTextAsync("Beschlossen");
        if (width > 600) await chair.Screenshot("beschlossen");

        // The observer replays: the slider starts at the latest step and moves back to the proposal.
        var observer = await app.SignedIn("Paul Neumann", null, "observer", width: width);
        await observer.GotoAsync($"/beschluesse/{id}/verlauf");
        var paragraphs = observer.GetByTestId("replay-paragraph");
        await Expect(paragraphs).ToHaveTextAsync([P1, P2Edited, P3Amended]);
        await Expect(observer.Locator(".land.vote-yes")).ToHaveCountAsync(13);
        await Expect(observer.GetByTestId("synopsis")).ToBeVisibleAsync();
        await observer.ShouldBeAccessible();
        if (width > 600) await observer.Screenshot("verlauf");

        var slider = observer.GetByRole(AriaRole.Slider, new() { Name = "Stand nach Schritt" });
        await slider.FocusAsync();
        await slider.PressAsync("Home");
        await Expect(paragraphs).ToHaveTextAsync([P1, P2, P3]);
        await Expect(observer.GetByTestId("step-output")).ToContainTextAsync("Schritt 1 von");
        await Expect(observer.Locator(".land.vote-yes")).ToHaveCountAsync(0);
        await Expect(observer).ToHaveURLAsync(new Regex(@"\?v=1$"));

        await slider.PressAsync("ArrowRight");
        await Expect(paragraphs).ToHaveTextAsync([P1, P2Edited, P3]);
        await Expect(observer.GetByTestId("replay-text-version")).ToHaveTextAsync("2");

        await slider.PressAsync("End");
        await Expect(paragraphs).ToHaveTextAsync([P1, P2Edited, P3Amended]);
        await Expect(observer.GetByTestId("step-description")).ToContainTextAsync("Lea Schulte");

        // The auditor has a checkpoint signed and sees every vote proven.
        var auditor = await app.SignedIn("Karin Vogt", null, "auditor", width: width);
        await auditor.GotoAsync($"/pruefung?beschluss={id}");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Prüfpunkt jetzt setzen und signieren" }).ClickAsync();
        await Expect(auditor.Locator(".alert.success")).ToContainTextAsync(new Regex(@"Prüfpunkt signiert: \d+ Ereignisse"));
        var report = auditor.GetByTestId($"who-agreed-{id}");
        await Expect(report).ToContainTextAsync("Beschlossen auf Textfassung 3");
        await Expect(report.GetByTestId("proof")).ToHaveCountAsync(13);
        await Expect(report.Locator("td.proof.proven")).ToHaveCountAsync(13);
        await Expect(report.Locator("td.proof.unproven")).ToHaveCountAsync(0);
        await auditor.ShouldBeAccessible();
        if (width > 600) await auditor.Screenshot("pruefung");

        // Bavaria downloads its vote receipt; the auditor checks it.
        await by.GotoAsync($"/beschluesse/{id}");
        var download = await by.RunAndWaitForDownloadAsync(() => by.GetByTestId("receipt-link").ClickAsync());
        var receiptFile = Path.Combine(Path.GetTempPath(), $"receipt-{Guid.NewGuid():N}.json");
        await download.SaveAsAsync(receiptFile);
        (await File.ReadAllTextAsync(receiptFile)).ShouldContain("\"land\":\"DE-BY\"");
        await auditor.GetByLabel("Quittung (JSON-Datei)").SetInputFilesAsync(receiptFile);
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Prüfen" }).ClickAsync();
        await Expect(auditor.GetByTestId("receipt-result")).ToContainTextAsync("Die Quittung ist gültig");
        await Expect(auditor.GetByTestId("receipt-result")).ToContainTextAsync("Freistaat Bayern");

        // A receipt altered after the fact is not confirmed.
        var forged = (await File.ReadAllTextAsync(receiptFile)).Replace("\"choice\":\"yes\"", "\"choice\":\"no\"");
        await File.WriteAllTextAsync(receiptFile, forged);
        await auditor.GetByLabel("Quittung (JSON-Datei)").SetInputFilesAsync(receiptFile);
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Prüfen" }).ClickAsync();
        await Expect(auditor.GetByTestId("receipt-result")).ToContainTextAsync("ließ sich nicht bestätigen");
        File.Delete(receiptFile);

        // The audit bundle downloads as JSON.
        var bundle = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByRole(AriaRole.Link, new() { Name = "Prüfpaket herunterladen (JSON)" }).ClickAsync());
        var bundleFile = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.json");
        await bundle.SaveAsAsync(bundleFile);
        (await File.ReadAllTextAsync(bundleFile)).ShouldContain(id.ToString());
        File.Delete(bundleFile);

        foreach (var page in new[] { by, nw, he, chair, observer, auditor }) await page.Context.CloseAsync();
    }
}
