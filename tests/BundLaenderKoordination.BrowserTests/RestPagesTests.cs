using BundLaenderKoordination.Api.Web;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// What once only the API could do, on the pages, at 1366 px and at 390 px: a confidential proposal whose readers are
/// widened and which is then withdrawn; a ballot with a deadline, cancelled by the chair; mandates granted, approved,
/// revoked and confirmed by two different people; body and session pages that follow live. Each form only for whom the
/// service would accept it, refusals in German, and nothing wider than the screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RestPagesTests(BrowserFixture app)
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task A_Land_proposes_confidentially_widens_the_readers_and_withdraws_the_proposal(int width)
    {
        var title = $"Vorabstimmung Vergabe {width} " + Guid.NewGuid().ToString("N")[..6];
        var by = await app.SignedIn($"Vertretung Bayern Vertraulich {width}", "DE-BY", "representative", width: width);
        await by.GotoAsync("/");
        await by.GetByLabel("Titel").FillAsync(title);
        await by.GetByLabel("Text", new() { Exact = true }).FillAsync("Bayern und Hessen stimmen die Vergabe vorab ab.");
        await by.GetByTestId("confidential").Locator("summary").ClickAsync();
        await by.Locator("#confidential").CheckAsync();
        await by.Locator("#reader-DE-HE").CheckAsync();
        await by.GetByRole(AriaRole.Button, new() { Name = "Vorschlagen" }).ClickAsync();
        await Expect(by.GetByTestId("restricted-to")).ToHaveTextAsync("Freistaat Bayern, Hessen");
        var id = new Uri(by.Url).Segments.Last();

        // Someone outside the group does not find it; a member of the group who did not propose it may not widen or withdraw.
        var nw = await app.SignedIn($"Vertretung NRW Vertraulich {width}", "DE-NW", "representative", width: width);
        (await nw.GotoAsync($"/beschluesse/{id}"))!.Status.ShouldBe(404);
        var he = await app.SignedIn($"Vertretung Hessen Vertraulich {width}", "DE-HE", "representative", width: width);
        await he.GotoAsync($"/beschluesse/{id}");
        await Expect(he.GetByTestId("widen")).ToHaveCountAsync(0);
        await Expect(he.GetByTestId("withdraw")).ToHaveCountAsync(0);

        // Nobody chosen: the page says so in German, next to the form, and records nothing.
        await by.GetByTestId("widen").Locator("summary").ClickAsync();
        await by.GetByRole(AriaRole.Button, new() { Name = "Leserkreis ändern" }).ClickAsync();
        await Expect(by.Locator("#manage [data-testid=error]")).ToContainTextAsync("Bitte wählen Sie, wer hinzukommt");
        await Expect(by.Locator("#manage [data-testid=error]")).ToBeFocusedAsync();

        await by.GetByTestId("widen").Locator("summary").ClickAsync();
        await by.Locator("#reader-DE-NW").CheckAsync();
        await by.GetByRole(AriaRole.Button, new() { Name = "Leserkreis ändern" }).ClickAsync();
        await Expect(by.Locator("#manage #feedback")).ToContainTextAsync("Leserkreis erweitert");
        await Expect(by.Locator("#feedback")).ToBeFocusedAsync();
        await Expect(by.GetByTestId("restricted-to")).ToHaveTextAsync("Freistaat Bayern, Hessen, Nordrhein-Westfalen");
        (await nw.GotoAsync($"/beschluesse/{id}"))!.Status.ShouldBe(200);
        await by.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(by);
        await by.Screenshot(width < 600 ? "vertraulich-schmal" : "vertraulich-leserkreis");

        // Withdrawing is binding: it asks for confirmation and says what happens.
        await by.GetByTestId("withdraw").Locator("summary").ClickAsync();
        await by.GetByLabel("Grund der Rücknahme").FillAsync("Die Vergabe wird bundesweit geregelt.");
        await Expect(by.Locator("label[for=confirm-withdraw]")).ToContainTextAsync("zieht den Vorschlag");
        await by.Locator("#confirm-withdraw").CheckAsync();
        await by.GetByRole(AriaRole.Button, new() { Name = "Zurückziehen" }).ClickAsync();
        await Expect(by.Locator("#feedback")).ToContainTextAsync("zurückgezogen");
        await Expect(by.GetByTestId("status")).ToHaveTextAsync("Zurückgezogen");
        await Expect(by.GetByTestId("withdrawal")).ToContainTextAsync("Die Vergabe wird bundesweit geregelt.");
        await Expect(by.GetByTestId("withdraw")).ToHaveCountAsync(0);
        await by.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(by);
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_chair_opens_a_ballot_with_a_deadline_in_German_time_and_cancels_it(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var created = await app.Api(HttpMethod.Post, "/api/resolutions", by,
            new { body = "D16", title = $"Frist und Abbruch {width} " + Guid.NewGuid().ToString("N")[..6], paragraphs = new[] { "Die Länder melden bis Jahresende." } });
        var id = created["id"]!.GetValue<string>();

        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair", width: width);
        await chair.GotoAsync($"/beschluesse/{id}");
        // A deadline already past: the service refuses, the page says so in German next to the ballot form.
        await chair.GetByLabel("Frist (deutsche Zeit; leer: ohne Frist, der Vorsitz schließt)").FillAsync(GermanTime.InputValue(DateTimeOffset.UtcNow.AddHours(-3)));
        await chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung eröffnen" }).ClickAsync();
        var error = chair.Locator("#votes [data-testid=error]");
        await Expect(error).ToContainTextAsync("Die Angaben wurden nicht angenommen");
        await Expect(error).Not.ToContainTextAsync("deadline");
        await Expect(error).ToBeFocusedAsync();

        var due = DateTimeOffset.UtcNow.AddDays(2);
        await chair.GetByLabel("Frist (deutsche Zeit; leer: ohne Frist, der Vorsitz schließt)").FillAsync(GermanTime.InputValue(due));
        await chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung eröffnen" }).ClickAsync();
        await Expect(chair.GetByTestId("ballot")).ToContainTextAsync("Abstimmung Nr. 1 läuft");
        await Expect(chair.GetByTestId("ballot-deadline")).ToContainTextAsync(GermanTime.Local(due).ToString("dd.MM.yyyy, HH:mm") + " Uhr");

        // A representative sees the deadline but no way to cancel.
        var he = await app.SignedIn($"Vertretung Hessen Frist {width}", "DE-HE", "representative", width: width);
        await he.GotoAsync($"/beschluesse/{id}");
        await Expect(he.GetByTestId("ballot-deadline")).ToBeVisibleAsync();
        await Expect(he.GetByTestId("cancel-ballot")).ToHaveCountAsync(0);
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", await app.Token("Jonas Wolf", "DE-NW", "representative"), new { choice = "yes", textVersion = 1 });

        await chair.ReloadAsync();
        await chair.GetByTestId("cancel-ballot").Locator("summary").ClickAsync();
        await chair.GetByLabel("Grund des Abbruchs").FillAsync("Der Text muss noch einmal geändert werden.");
        await Expect(chair.Locator("label[for=confirm-cancel]")).ToContainTextAsync("Die 1 abgegebenen Stimmen verfallen");
        await chair.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(chair);
        if (width > 600) await chair.Screenshot("abstimmung-abbrechen");
        await chair.Locator("#confirm-cancel").CheckAsync();
        await chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung abbrechen" }).ClickAsync();
        await Expect(chair.Locator("#votes #feedback")).ToContainTextAsync("Abstimmung abgebrochen");
        await Expect(chair.Locator("#feedback")).ToBeFocusedAsync();
        await Expect(chair.GetByTestId("ballot")).ToHaveCountAsync(0);
        await Expect(chair.GetByTestId("open-ballot")).ToBeVisibleAsync();
        await chair.ShouldBeAccessible();
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Mandates_are_granted_approved_and_revoked_by_two_different_people(int width)
    {
        var suffix = $"{width} {Guid.NewGuid().ToString("N")[..6]}";
        // Hesse's coordinator, appointed by two administrators.
        var coordinatorName = $"Koordination Hessen {suffix}";
        await app.Api(HttpMethod.Post, "/api/bodies/D16/mandates", await app.Token("Verwaltung Eins", null, "admin"),
            new { personId = "dev:" + coordinatorName.ToLowerInvariant().Replace(' ', '-'), personName = coordinatorName, land = "DE-HE", role = "coordinator" });
        await app.Api(HttpMethod.Post, $"/api/bodies/D16/mandates/{Uri.EscapeDataString("dev:" + coordinatorName.ToLowerInvariant().Replace(' ', '-'))}/approval",
            await app.Token("Verwaltung Zwei", null, "admin"));

        var admin = await app.SignedIn($"Verwaltung Seite {suffix}", null, "admin", width: width);
        await admin.GotoAsync("/gremien/D16/mandate?land=DE-HE");
        var person = $"dev:referentin-{Guid.NewGuid().ToString("N")[..8]}";
        var name = $"Referentin Hessen {suffix}";
        await admin.GetByLabel("Kennung der Person (wie ihre Anmeldung sie nennt)").FillAsync(person);
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await admin.GetByLabel("Für").SelectOptionAsync("DE-HE");
        await admin.GetByLabel("Rolle").SelectOptionAsync("representative");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Erteilen (wartet auf Bestätigung)" }).ClickAsync();
        await Expect(admin.Locator("#feedback")).ToContainTextAsync("sobald eine zweite Person es bestätigt");
        await Expect(admin.Locator("#feedback")).ToBeFocusedAsync();
        var row = admin.Locator($"tr[data-person='{person}']");
        await Expect(row.GetByTestId("mandate-status")).ToContainTextAsync("wartet auf Bestätigung");
        // Four eyes: the grantor cannot approve their own grant.
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Erteilung bestätigen" })).ToHaveCountAsync(0);

        // The coordinator sees Hesse's mandates only, and approves.
        var coordinator = await app.SignedIn(coordinatorName, null, "observer", width: width);
        await coordinator.GotoAsync("/gremien/D16");
        await coordinator.GetByTestId("mandates-link").ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Hessen");
        foreach (var land in await coordinator.Locator("table.mandates tbody td:nth-child(2)").AllInnerTextsAsync())
            land.ShouldEndWith("Hessen");
        var theirs = coordinator.Locator($"tr[data-person='{person}']");
        await theirs.Locator("input[name=confirm]").CheckAsync();
        await theirs.GetByRole(AriaRole.Button, new() { Name = "Erteilung bestätigen" }).ClickAsync();
        await Expect(coordinator.Locator("#feedback")).ToContainTextAsync("bestätigt");
        await Expect(coordinator.Locator($"tr[data-person='{person}']").GetByTestId("mandate-status")).ToContainTextAsync("in Kraft");
        // Who granted and who approved, by the names the events recorded.
        await Expect(coordinator.Locator($"tr[data-person='{person}']").GetByTestId("granted-by")).ToHaveTextAsync($"Verwaltung Seite {suffix}");
        await Expect(coordinator.Locator($"tr[data-person='{person}']").GetByTestId("approved-by")).ToContainTextAsync("bestätigt von Ihnen");
        var coordinatorRow = coordinator.Locator($"tr[data-person='dev:{coordinatorName.ToLowerInvariant().Replace(' ', '-')}']");
        await Expect(coordinatorRow.GetByTestId("granted-by")).ToHaveTextAsync("Verwaltung Eins");
        await Expect(coordinatorRow.GetByTestId("approved-by")).ToContainTextAsync("bestätigt von Verwaltung Zwei");

        // Granting the same person again is refused by the service, in German.
        await coordinator.GetByLabel("Kennung der Person (wie ihre Anmeldung sie nennt)").FillAsync(person);
        await coordinator.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Erteilen (wartet auf Bestätigung)" }).ClickAsync();
        await Expect(coordinator.GetByTestId("error")).ToContainTextAsync("Die Person hat in diesem Gremium schon ein Mandat");
        await Expect(coordinator.GetByTestId("error")).ToBeFocusedAsync();
        await coordinator.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(coordinator);
        await coordinator.Screenshot(width < 600 ? "mandate-schmal" : "mandate");

        // Revocation: the coordinator asks, and may not confirm it; the administrator confirms.
        theirs = coordinator.Locator($"tr[data-person='{person}']");
        await theirs.Locator("summary").ClickAsync();
        await theirs.GetByLabel("Grund").FillAsync("Wechsel in ein anderes Referat.");
        await theirs.GetByRole(AriaRole.Button, new() { Name = "Widerruf beantragen" }).ClickAsync();
        await Expect(coordinator.Locator("#feedback")).ToContainTextAsync("Widerruf");
        await Expect(coordinator.Locator($"tr[data-person='{person}']").GetByTestId("mandate-status")).ToContainTextAsync("Widerruf beantragt");
        await Expect(coordinator.Locator($"tr[data-person='{person}']").GetByRole(AriaRole.Button, new() { Name = "Widerruf bestätigen" })).ToHaveCountAsync(0);

        await admin.ReloadAsync();
        row = admin.Locator($"tr[data-person='{person}']");
        await Expect(row.GetByTestId("granted-by")).ToHaveTextAsync("Ihnen");
        await Expect(row.GetByTestId("approved-by")).ToContainTextAsync($"bestätigt von {coordinatorName}");
        await row.Locator("input[name=confirm]").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Widerruf bestätigen" }).ClickAsync();
        await Expect(admin.Locator("#feedback")).ToContainTextAsync("ist beendet");
        await Expect(admin.Locator($"tr[data-person='{person}']")).ToHaveCountAsync(0);
        await admin.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(admin);
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_body_and_session_pages_follow_live(int width)
    {
        var chair = await app.Token("Lea Schulte", "DE-BY", "chair");
        var he = await app.SignedIn($"Vertretung Hessen Live {width}", "DE-HE", "representative", width: width);
        await he.GotoAsync("/gremien/D16");
        var before = await he.Locator("[data-testid=sessions] tbody tr").CountAsync();

        var start = DateTimeOffset.UtcNow.AddDays(40).AddMinutes(width);
        var session = await app.Api(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "regular", format = "virtual", startsAt = start.ToString("O") });
        await Expect(he.Locator("[data-testid=sessions] tbody tr")).ToHaveCountAsync(before + 1);
        await Expect(he.Locator("#live-status")).ToContainTextAsync("Aktualisiert");
        await he.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(he);

        var sessionId = session["id"]!.GetValue<string>();
        await he.GotoAsync($"/sitzungen/{sessionId}");
        await app.Api(HttpMethod.Post, $"/api/sessions/{sessionId}/agenda", chair, new { title = "Bericht der Länder", note = "live" });
        await Expect(he.GetByTestId("agenda")).ToContainTextAsync("Bericht der Länder");
        await Expect(he.Locator("#live-status")).ToContainTextAsync("Aktualisiert");
        await he.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(he);
    }
}
