using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BundLaenderKoordination.Api.Web;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The chair's and the Länder's procedure in the browser: sessions with an agenda and attendance, a written procedure
/// answered by Länder, amendments consolidated (accepted with changes, a conflicting one revised by its author), and
/// pages that offer exactly what the person's mandate allows.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChairTests(BrowserFixture app)
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_chair_schedules_a_session_with_an_agenda_opens_it_records_attendance_and_an_objection_puts_a_resolution_on_it(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var title = "Digitale Souveränität " + Guid.NewGuid().ToString("N")[..6];
        var id = await Propose(by, title, "Die Länder setzen auf offene Standards.");
        var second = "Barrierefreiheit " + Guid.NewGuid().ToString("N")[..6];
        var secondId = await Propose(by, second, "Alle Portale werden barrierefrei.");

        // The chair in office (Bavaria chairs D16) finds the body from the list and schedules a session in person.
        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair", width: width);
        await Expect(chair.GetByTestId("body-D16")).ToContainTextAsync("Vorsitz im Amt");
        await chair.GetByTestId("body-D16").Locator("h3 a").ClickAsync();
        await Expect(chair.GetByTestId("my-mandate")).ToContainTextAsync("Vorsitz im Amt");
        await chair.GetByTestId("schedule").Locator("summary").ClickAsync();
        await chair.GetByLabel("In Präsenz").CheckAsync();
        await chair.GetByLabel("Ort (bei Präsenz)").FillAsync("München, Staatskanzlei");
        // Earlier than every session of D16 still to come, whoever scheduled it, so that it is the next session of D16
        // that the objection below refers the resolution to, whatever ran before (this test at the other width too).
        await chair.GetByLabel("Beginn (deutsche Zeit)").FillAsync(GermanTime.InputValue(await StartBeforeEveryScheduledSession(by)));
        await chair.GetByRole(AriaRole.Button, new() { Name = "Anberaumen" }).ClickAsync();
        await Expect(chair.GetByTestId("session-status")).ToHaveTextAsync("anberaumt");
        await Expect(chair.GetByTestId("session-format")).ToHaveTextAsync("in Präsenz, München, Staatskanzlei");
        var sessionId = Guid.Parse(new Uri(chair.Url).Segments.Last());

        // The agenda: a resolution of the body and an item of its own.
        await chair.GetByTestId("add-agenda").Locator("summary").ClickAsync();
        await chair.GetByLabel("Beschluss", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = second });
        await chair.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen" }).ClickAsync();
        await Expect(chair.GetByTestId("agenda")).ToContainTextAsync(second);
        await chair.GetByTestId("add-agenda").Locator("summary").ClickAsync();
        await chair.GetByLabel("Titel (ohne Beschluss)").FillAsync("Bericht des Vorsitzes");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen" }).ClickAsync();
        await Expect(chair.GetByTestId("agenda").Locator("li")).ToHaveCountAsync(2);
        await Expect(chair.GetByTestId("agenda").GetByRole(AriaRole.Link, new() { Name = second })).ToHaveAttributeAsync("href", $"/beschluesse/{secondId}");

        // A written procedure on the first resolution: two Länder consent, Hesse objects; the objection puts the resolution
        // on the agenda of the next session.
        await chair.GotoAsync($"/beschluesse/{id}");
        await chair.GetByTestId("start-procedure").Locator("summary").ClickAsync();
        await chair.GetByLabel("Frist (deutsche Zeit; leer: die übliche Frist des Gremiums)").FillAsync(GermanTime.InputValue(DateTimeOffset.UtcNow.AddDays(10)));
        await chair.GetByRole(AriaRole.Button, new() { Name = "Einleiten" }).ClickAsync();
        await Expect(chair.GetByTestId("procedure")).ToContainTextAsync("Umlaufverfahren läuft");
        await Expect(chair.GetByTestId("procedure-silent")).ToContainTextAsync("NW");
        // While it runs, no ballot is offered.
        await Expect(chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung eröffnen" })).ToHaveCountAsync(0);

        var nw = await app.SignedIn("Jonas Wolf", "DE-NW", "representative", width: width);
        await nw.GotoAsync($"/beschluesse/{id}");
        await nw.Locator("#confirm-consent").CheckAsync();

        await nw.GetByRole(AriaRole.Button, new() { Name = "Zustimmen für Nordrhein-Westfalen" }).ClickAsync();
        await Expect(nw.GetByTestId("procedure-consents")).ToHaveTextAsync("NW");
        await Expect(nw.GetByRole(AriaRole.Button, new() { Name = "Zustimmen für Nordrhein-Westfalen" })).ToHaveCountAsync(0);
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/written-procedure/consent", by);
        // North Rhine-Westphalia's page follows live and keeps the notice of its own consent.
        await Expect(nw.GetByTestId("procedure-consents")).ToHaveTextAsync("BY, NW");
        await Expect(nw.Locator("#live-status")).ToContainTextAsync("Aktualisiert");
        await Expect(nw.Locator(".alert.success")).ToContainTextAsync("Zustimmung Ihres Landes gespeichert");
        // The chair's page follows live.
        await Expect(chair.GetByTestId("procedure-consents")).ToHaveTextAsync("BY, NW");
        await chair.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(chair);
        if (width > 600) await chair.Screenshot("umlaufverfahren");

        var he = await app.SignedIn("Miriam Hoffmann", "DE-HE", "representative", width: width);
        await he.GotoAsync($"/beschluesse/{id}");
        await he.GetByTestId("objection-form").Locator("summary").ClickAsync();
        await he.GetByLabel("Begründung des Widerspruchs").FillAsync("Die Finanzierung ist ungeklärt.");
        await he.GetByRole(AriaRole.Button, new() { Name = "Widerspruch einlegen" }).ClickAsync();
        await Expect(he.GetByTestId("procedure")).ToContainTextAsync("Durch Widerspruch beendet");
        await Expect(he.GetByTestId("procedure-objections")).ToHaveTextAsync("HE");
        await he.GetByTestId("referred-session").ClickAsync();
        new Uri(he.Url).Segments.Last().ShouldBe(sessionId.ToString(), "the objection refers the resolution to the session this test scheduled");
        await Expect(he.GetByTestId("agenda").GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await Pages.ShouldNotPushSideways(he);
        // A representative sees the session but may not run it.
        await Expect(he.GetByRole(AriaRole.Button, new() { Name = "Sitzung eröffnen" })).ToHaveCountAsync(0);
        await Expect(he.GetByTestId("add-agenda")).ToHaveCountAsync(0);

        // The chair opens the session and records who is present.
        await chair.GotoAsync($"/sitzungen/{sessionId}");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Sitzung eröffnen" }).ClickAsync();
        await Expect(chair.GetByTestId("session-status")).ToHaveTextAsync("eröffnet");
        await chair.GetByTestId("attendance").Locator("summary").ClickAsync();
        foreach (var land in new[] { "Freistaat Bayern", "Hessen", "Nordrhein-Westfalen" }) await chair.GetByLabel(land, new() { Exact = true }).CheckAsync();
        await chair.GetByRole(AriaRole.Button, new() { Name = "Anwesenheit speichern" }).ClickAsync();
        await Expect(chair.GetByTestId("present")).ToHaveTextAsync("Freistaat Bayern, Hessen, Nordrhein-Westfalen");
        await chair.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(chair);
        if (width > 600) await chair.Screenshot("sitzung");

        var stored = await app.Api(HttpMethod.Get, $"/api/sessions/{sessionId}", by);
        stored["session"]!["status"]!.GetValue<string>().ShouldBe("open");
        stored["session"]!["place"]!.GetValue<string>().ShouldBe("München, Staatskanzlei");
        stored["session"]!["present"]!.AsArray().Select(x => x!.GetValue<string>()).ShouldBe(["DE-BY", "DE-HE", "DE-NW"]);
        stored["agenda"]!.AsArray().Select(x => x!["title"]!.GetValue<string>()).ShouldContain(title);

        await chair.GetByRole(AriaRole.Button, new() { Name = "Sitzung schließen" }).ClickAsync();
        await Expect(chair.GetByTestId("session-status")).ToHaveTextAsync("geschlossen");
        await chair.GotoAsync("/gremien/D16");
        await Expect(chair.GetByTestId("sessions")).ToContainTextAsync("geschlossen");
        await chair.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(chair);
        if (width > 600) await chair.Screenshot("gremium");
        foreach (var page in new[] { chair, nw, he }) await page.Context.CloseAsync();
    }

    /// <summary>
    /// A start two hours ahead, or, when a session of D16 is scheduled sooner, a few minutes before the soonest (a written
    /// procedure refers to the soonest session still to come); never less than five minutes ahead.
    /// </summary>
    private async Task<DateTimeOffset> StartBeforeEveryScheduledSession(string token)
    {
        var now = DateTimeOffset.UtcNow;
        var body = await app.Api(HttpMethod.Get, "/api/bodies/D16", token);
        var soonest = body["sessions"]!.AsArray()
            .Where(s => s!["status"]!.GetValue<string>() == "scheduled")
            .Select(s => s!["startsAt"]!.GetValue<DateTimeOffset>())
            .Where(at => at > now)
            .DefaultIfEmpty(DateTimeOffset.MaxValue)
            .Min();
        var start = soonest == DateTimeOffset.MaxValue || soonest > now.AddHours(2).AddMinutes(2) ? now.AddHours(2) : soonest.AddMinutes(-2);
        start.ShouldBeGreaterThan(now.AddMinutes(5), $"a session of D16 is scheduled for {soonest:O}, too soon to schedule one before it");
        return start;
    }

    [Fact]
    public async Task Representatives_ask_for_a_special_session_and_the_majority_convenes_it_for_the_chair_to_schedule()
    {
        var reason = "Lage der IT-Sicherheit " + Guid.NewGuid().ToString("N")[..6];
        var hh = await app.SignedIn("Ole Hansen", "DE-HH", "representative");
        await hh.GotoAsync("/gremien/D16");
        await hh.GetByTestId("request-form").Locator("summary").ClickAsync();
        await hh.GetByLabel("Grund").FillAsync(reason);
        await hh.GetByRole(AriaRole.Button, new() { Name = "Beantragen" }).ClickAsync();
        var request = hh.GetByTestId("request").Filter(new() { HasText = reason });
        await Expect(request.GetByTestId("supporters")).ToHaveTextAsync("HH");
        await Expect(request).ToContainTextAsync("offen");

        // Seven more Länder support it through the API; Saxony gives the ninth support in the browser.
        var requestId = await RequestId(reason);
        foreach (var land in new[] { "DE-BW", "DE-BE", "DE-BB", "DE-HB", "DE-MV", "DE-NI", "DE-RP" })
            await app.Api(HttpMethod.Post, $"/api/special-session-requests/{requestId}/support", await app.Token("Vertretung " + land, land, "representative"));
        var sn = await app.SignedIn("Sophie Richter", "DE-SN", "representative");
        await sn.GotoAsync("/gremien/D16");
        await sn.GetByTestId("request").Filter(new() { HasText = reason }).GetByRole(AriaRole.Button, new() { Name = "Für Freistaat Sachsen unterstützen" }).ClickAsync();
        await Expect(sn.Locator(".alert.success")).ToContainTextAsync("einberufen");
        await Expect(sn.GetByTestId("request").Filter(new() { HasText = reason })).ToContainTextAsync("einberufen");
        await sn.ShouldBeAccessible();

        // The chair schedules the special session for it.
        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair");
        await chair.GotoAsync("/gremien/D16");
        await chair.GetByTestId("schedule").Locator("summary").ClickAsync();
        await chair.GetByLabel("Sondersitzung", new() { Exact = true }).CheckAsync();
        await chair.GetByLabel("Beginn (deutsche Zeit)").FillAsync(GermanTime.InputValue(DateTimeOffset.UtcNow.AddDays(5)));
        await chair.GetByLabel("Einberufene Sondersitzung (bei Sondersitzung)").SelectOptionAsync(requestId.ToString());
        await chair.GetByRole(AriaRole.Button, new() { Name = "Anberaumen" }).ClickAsync();
        await Expect(chair.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Sondersitzung D16");
        await Expect(chair.GetByTestId("session-format")).ToHaveTextAsync("virtuell");
        foreach (var page in new[] { hh, sn, chair }) await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task An_amendment_is_accepted_with_changes_and_a_conflicting_one_is_revised_by_its_author_from_base_current_and_proposed(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var id = await Propose(by, "Open-Source-Strategie " + Guid.NewGuid().ToString("N")[..6],
            "Die Länder nutzen vorrangig Open Source.", "Eine gemeinsame Plattform wird geprüft.");

        // Hesse proposes to reword paragraph 2; North Rhine-Westphalia proposes to reword paragraph 1.
        var he = await app.Token("Miriam Hoffmann", "DE-HE", "representative");
        var nwToken = await app.Token("Jonas Wolf", "DE-NW", "representative");
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/amendments", he, new
        {
            baseTextVersion = 1, rationale = "Verbindlicher.", changes = new[] { new { kind = "replace", paragraphId = "p2", text = "Eine gemeinsame Plattform wird bis 2027 aufgebaut." } },
        });
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/amendments", nwToken, new
        {
            baseTextVersion = 1, rationale = "Klarer.", changes = new[] { new { kind = "replace", paragraphId = "p1", text = "Die Länder nutzen Open Source, wo immer möglich." } },
        });

        // Meanwhile Bavaria rewords paragraph 1 itself: North Rhine-Westphalia's amendment now conflicts.
        var current = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by);
        await app.Api(HttpMethod.Put, $"/api/resolutions/{id}/text", by, new
        {
            expectedVersion = current["version"]!.GetValue<long>(),
            paragraphs = new object[] { new { id = "p1", text = "Die Länder nutzen vorrangig Open Source und offene Standards." }, new { id = "p2", text = "Eine gemeinsame Plattform wird geprüft." } },
        });

        // The author sees base, current and proposed side by side and revises onto the current text.
        var nw = await app.SignedIn("Jonas Wolf", "DE-NW", "representative", width: width);
        await nw.GotoAsync($"/beschluesse/{id}");
        var conflict = nw.GetByTestId("conflict-2");
        await Expect(conflict.GetByTestId("conflict-base")).ToHaveTextAsync("Die Länder nutzen vorrangig Open Source.");
        await Expect(conflict.GetByTestId("conflict-current")).ToHaveTextAsync("Die Länder nutzen vorrangig Open Source und offene Standards.");
        await Expect(conflict.GetByTestId("conflict-proposed")).ToHaveTextAsync("Die Länder nutzen Open Source, wo immer möglich.");
        await nw.ShouldBeAccessible();
        if (width > 600) await nw.Screenshot("aenderungsantrag-konflikt");
        await nw.ShouldNotPushSideways();
        await nw.GetByTestId("revise-2").Locator("summary").ClickAsync();
        await nw.GetByLabel("Neuer Vorschlag für Absatz 1").FillAsync("Die Länder nutzen Open Source und offene Standards, wo immer möglich.");
        await nw.GetByRole(AriaRole.Button, new() { Name = "Überarbeitung stellen" }).ClickAsync();
        await Expect(nw.GetByTestId("conflict-2")).ToHaveCountAsync(0);
        await Expect(nw.GetByTestId("amendment-2")).ToContainTextAsync("zu Textfassung 2");
        // Only the author may revise, and a representative of another Land does not consolidate.
        await Expect(nw.GetByRole(AriaRole.Button, new() { Name = "Nr. 1 annehmen" })).ToHaveCountAsync(0);

        // The chair accepts Hesse's amendment with a changed wording and the revised one as it stands.
        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair", width: width);
        await chair.GotoAsync($"/beschluesse/{id}");
        var withChanges = chair.GetByTestId("accept-with-changes-1");
        await withChanges.Locator("summary").ClickAsync();
        await Expect(withChanges.GetByLabel("Wortlaut von Absatz 2")).ToHaveValueAsync("Eine gemeinsame Plattform wird bis 2027 aufgebaut.");
        await withChanges.GetByLabel("Wortlaut von Absatz 2").FillAsync("Eine gemeinsame Plattform wird bis Ende 2027 aufgebaut.");
        await withChanges.GetByLabel("Begründung der Änderungen (freiwillig)").FillAsync("Das ganze Jahr 2027 bleibt für den Aufbau.");
        await withChanges.GetByRole(AriaRole.Button, new() { Name = "Mit Änderungen annehmen" }).ClickAsync();
        await Expect(chair.Locator("#p2 .paragraph-text")).ToHaveTextAsync("Eine gemeinsame Plattform wird bis Ende 2027 aufgebaut.");
        await Expect(chair.GetByTestId("decision-1")).ToContainTextAsync("angenommen mit Änderungen (Das ganze Jahr 2027 bleibt für den Aufbau.): Lea Schulte");
        // The amendment keeps its badge, and shows how the accepted wording differs from the proposal.
        await Expect(chair.GetByTestId("amendment-1").GetByTestId("amendment-badge")).ToHaveTextAsync("mit Änderungen angenommen");
        await Expect(chair.GetByTestId("with-changes-diff-1").Locator("ins")).ToContainTextAsync("Ende");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Nr. 2 annehmen" }).ClickAsync();
        await Expect(chair.Locator("#p1 .paragraph-text")).ToHaveTextAsync("Die Länder nutzen Open Source und offene Standards, wo immer möglich.");
        await Expect(nw.Locator("#p1 .paragraph-text")).ToHaveTextAsync("Die Länder nutzen Open Source und offene Standards, wo immer möglich.");
        await chair.ShouldBeAccessible();
        if (width > 600) await chair.Screenshot("mit-aenderungen");
        await chair.ShouldNotPushSideways();

        var stored = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by);
        var decided = stored["amendments"]!.AsArray().First(a => a!["number"]!.GetValue<int>() == 1)!["decision"]!;
        decided["withChanges"]!.GetValue<bool>().ShouldBeTrue();
        decided["by"]!["role"]!.GetValue<string>().ShouldBe("chair");

        // North Rhine-Westphalia records a reservation pending review; it is shown per Land and is not a vote.
        await nw.GetByTestId("position-form").Locator("summary").ClickAsync();
        await nw.GetByLabel("Position", new() { Exact = true }).SelectOptionAsync("reservationPendingReview");
        await nw.GetByLabel("Bemerkung (optional)").FillAsync("Ressortabstimmung läuft");
        await nw.GetByRole(AriaRole.Button, new() { Name = "Position speichern" }).ClickAsync();
        await Expect(nw.GetByTestId("positions").Locator("[data-land='DE-NW']")).ToContainTextAsync("Prüfvorbehalt – Ressortabstimmung läuft");
        await Expect(nw.Locator("[data-land='DE-NW'].land")).ToHaveClassAsync(new Regex("vote-none"));
        await nw.Context.CloseAsync();
        await chair.Context.CloseAsync();
    }

    [Fact]
    public async Task Pages_offer_what_the_mandate_allows_not_what_the_token_claims()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var title = "Mandate " + Guid.NewGuid().ToString("N")[..6];
        var id = await Propose(by, title, "Die Länder prüfen gemeinsam.");

        // A representative sees the resolutions of the bodies of their mandates, grouped by body.
        var rp = await app.SignedIn("Tim Becker", "DE-RP", "representative");
        await Expect(rp.GetByRole(AriaRole.Heading, new() { Name = "Beschlüsse meiner Gremien" })).ToBeVisibleAsync();
        await Expect(rp.GetByTestId("body-D16").GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await Expect(rp.GetByTestId("body-D16")).ToContainTextAsync("Rheinland-Pfalz, Vertretung");
        await rp.ShouldBeAccessible();

        // An observer holds no mandate: one list, no forms.
        var observer = await app.SignedIn("Paul Neumann", null, "observer");
        await Expect(observer.GetByTestId("list-all").GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await Expect(observer.GetByRole(AriaRole.Heading, new() { Name = "Beschluss vorschlagen" })).ToHaveCountAsync(0);
        await observer.GotoAsync($"/beschluesse/{id}");
        await Expect(observer.Locator("form[method=post]").Filter(new() { Has = observer.Locator("button") })).ToHaveCountAsync(1); // sign-out only

        // A chair of a Land that does not chair D16 consolidates amendments but runs no ballot.
        var nwChair = await app.SignedIn("Frank Weber", "DE-NW", "chair");
        await nwChair.GotoAsync($"/beschluesse/{id}");
        await Expect(nwChair.GetByTestId("edit-p1")).ToBeVisibleAsync();
        await Expect(nwChair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung eröffnen" })).ToHaveCountAsync(0);
        await Expect(nwChair.GetByRole(AriaRole.Button, new() { Name = "Beschluss feststellen" })).ToHaveCountAsync(0);
        await Expect(nwChair.GetByTestId("start-procedure")).ToHaveCountAsync(0);

        // The same person's mandate changes to Hesse while the page's token still claims Rhineland-Palatinate: the page
        // follows the mandate.
        await rp.GotoAsync($"/beschluesse/{id}");
        await Expect(rp.Locator(".vote-form legend")).ToHaveTextAsync("Stimme für Rheinland-Pfalz");
        await app.Token("Tim Becker", "DE-HE", "representative");
        await rp.ReloadAsync();
        await Expect(rp.Locator(".vote-form legend")).ToHaveTextAsync("Stimme für Hessen");
        await Expect(rp.GetByTestId("signed-in-as")).ToHaveTextAsync("Tim Becker · Hessen · Vertretung");
        await rp.GetByLabel("Ja").CheckAsync();
        await rp.Locator("#confirm-vote").CheckAsync();

        await rp.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        await Expect(rp.Locator("[data-land='DE-HE'].land")).ToHaveClassAsync(new Regex("vote-yes"));
        await Expect(rp.Locator("[data-land='DE-RP'].land")).ToHaveClassAsync(new Regex("vote-none"));
        foreach (var page in new[] { rp, observer, nwChair }) await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_MPK_chair_opens_a_budget_ballot_under_unanimity_and_sees_live_who_has_not_voted()
    {
        var sn = await app.Token("Paula Sachs", "DE-SN", "representative");
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", sn,
            new { body = "MPK", title = "Finanzierung Bildungsplattform " + Guid.NewGuid().ToString("N")[..6], paragraphs = new[] { "Die Länder tragen die Kosten gemeinsam." } });
        var id = written["id"]!.GetValue<Guid>();

        // Saxony chairs the MPK today: its chair picks the matter type, and the rule follows from it.
        var chair = await app.SignedIn("Ulrich Kern", "DE-SN", "chair");
        await Expect(chair.GetByTestId("body-MPK")).ToContainTextAsync("Vorsitz im Amt");
        await chair.GotoAsync($"/beschluesse/{id}");
        await chair.GetByLabel("Art der Angelegenheit (bestimmt die Regel)").SelectOptionAsync("budget");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Abstimmung eröffnen" }).ClickAsync();
        await Expect(chair.GetByTestId("ballot")).ToContainTextAsync("Regel: Einstimmigkeit");
        foreach (var land in new[] { "DE-BW", "DE-BY", "DE-BE" })
            await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", await app.Token("Vertretung " + land, land, "representative"), new { choice = "yes", textVersion = 1 });
        await Expect(chair.GetByTestId("not-voted")).ToHaveTextAsync("BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH, TH");
        await Expect(chair.GetByTestId("not-voted").Locator("abbr[title='Freistaat Thüringen']")).ToHaveTextAsync("TH");
        (await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", sn))["ballots"]!.AsArray().Single()!["matterType"]!.GetValue<string>().ShouldBe("budget");

        // Bavaria does not chair the MPK: its chair sees the ballot but no controls.
        var by = await app.SignedIn("Lea Schulte", "DE-BY", "chair");
        await by.GotoAsync($"/beschluesse/{id}");
        await Expect(by.GetByTestId("ballot")).ToBeVisibleAsync();
        await Expect(by.GetByRole(AriaRole.Button, new() { Name = "Abstimmung Nr. 1 schließen" })).ToHaveCountAsync(0);
        await chair.Context.CloseAsync();
        await by.Context.CloseAsync();
    }

    [Fact]
    public async Task After_adoption_a_Land_attaches_a_Protokollerklaerung_and_another_joins_it()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var id = await Propose(by, "Gemeinsame Rechenzentren " + Guid.NewGuid().ToString("N")[..6], "Die Länder betreiben gemeinsame Rechenzentren.");
        foreach (var land in new[] { "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV", "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN" })
            await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", await app.Token("Vertretung " + land, land, "representative"), new { choice = "yes", textVersion = 1 });
        var version = (await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by))["version"]!.GetValue<long>();
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/adoption", await app.Token("Lea Schulte", "DE-BY", "chair"), new { expectedVersion = version });

        var he = await app.SignedIn("Miriam Hoffmann", "DE-HE", "representative");
        await he.GotoAsync($"/beschluesse/{id}");
        await Expect(he.GetByTestId("status")).ToHaveTextAsync("Beschlossen");
        await Expect(he.GetByTestId("position-form")).ToHaveCountAsync(0);
        await he.Locator("#declarations summary").ClickAsync();
        await he.GetByLabel("Erklärung von Hessen").FillAsync("Hessen erklärt, dass die Standortfrage gesondert entschieden wird.");
        await he.GetByRole(AriaRole.Button, new() { Name = "Beifügen" }).ClickAsync();
        var declaration = he.GetByTestId("declaration");
        await Expect(declaration).ToContainTextAsync("Standortfrage gesondert");
        await Expect(declaration).ToContainTextAsync("Hessen");

        var nw = await app.SignedIn("Jonas Wolf", "DE-NW", "representative");
        await nw.GotoAsync($"/beschluesse/{id}");
        await nw.GetByTestId("declaration").GetByRole(AriaRole.Button, new() { Name = "Anschließen" }).ClickAsync();
        await Expect(nw.GetByTestId("declaration")).ToContainTextAsync("Hessen, Nordrhein-Westfalen");
        await Expect(nw.GetByTestId("declaration").GetByRole(AriaRole.Button, new() { Name = "Anschließen" })).ToHaveCountAsync(0);
        await nw.ShouldBeAccessible();
        var stored = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by);
        stored["declarations"]!.AsArray().Single()!["lands"]!.AsArray().Select(x => x!.GetValue<string>()).ShouldBe(["DE-HE", "DE-NW"]);
        stored["adoption"]!["yes"]!.AsArray().Count.ShouldBe(13);
        await he.Context.CloseAsync();
        await nw.Context.CloseAsync();
    }

    private async Task<Guid> RequestId(string reason)
    {
        var list = await app.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/bodies/D16/special-session-requests")
        {
            Headers = { Authorization = new("Bearer", await app.Token("Paul Neumann", null, "observer")) },
        });
        list.EnsureSuccessStatusCode();
        var array = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray();
        return array.First(r => r!["reason"]!.GetValue<string>() == reason)!["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> Propose(string token, string title, params string[] paragraphs)
    {
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", token, new { body = "D16", title, paragraphs });
        return written["id"]!.GetValue<Guid>();
    }
}
