using System.Text.Json.Nodes;
using Microsoft.Playwright;
using BundLaenderKoordination.Tests.Shared;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The inbox and the settings per body (<c>/benachrichtigungen</c>) and the administrators' view of the deliveries
/// (<c>/verwaltung/benachrichtigungen</c>), in German, on a wide and a narrow screen. The service sends to a mail server
/// that refuses every mail (see <see cref="BrowserFixture"/>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationPagesTests(BrowserFixture app)
{
    private static string PersonId(string name) => "dev:" + name.ToLowerInvariant().Replace(' ', '-');

    /// <summary>A paper of Bremen put to the vote in D16: every voting member's representatives are told.</summary>
    private async Task<string> BallotOpened(string title)
    {
        var bremen = await app.Token("Vertretung Bremen Benachrichtigung", "DE-HB", "representative");
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", bremen,
            new { body = "D16", title, paragraphs = new[] { "Die Länder melden Hochwasserpegel gemeinsam." } });
        var id = written["id"]!.GetValue<Guid>();
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/ballots", await app.Token("Vorsitz Benachrichtigung", "DE-BY", "chair"), new { });
        return title;
    }

    /// <summary>Until the notice reached the person's inbox (it is derived from the events off the command path).</summary>
    private async Task InInbox(string token, string title)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await app.Http.SendAsync(request);
            if ((await response.Content.ReadAsStringAsync()).Contains(title)) return;
            await Task.Delay(500);
        }
        throw new Xunit.Sdk.XunitException($"'{title}' did not reach the inbox within two minutes.");
    }

    /// <summary>Names the elements that reach beyond the window, so that a failure of the width check says which.</summary>
    private static async Task Wide(IPage page)
    {
        var wide = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)" +
            ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ': ' + (e.textContent || '').slice(0, 60))");
        wide.ShouldBeEmpty($"{page.Url} has elements beyond the window");
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_inbox_shows_a_notification_and_the_settings_per_body_are_saved(int width)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"Inge Brandt {width} {suffix}";
        var token = await app.Token(name, "DE-SH", "representative");
        var title = await BallotOpened($"Pegelmeldungen {width} {suffix}");
        await InInbox(token, title);

        var page = await app.SignedIn(name, "DE-SH", "representative", width: width);
        await page.GotoAsync("/benachrichtigungen");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Benachrichtigungen");
        var inbox = page.GetByTestId("inbox");
        await Expect(inbox).ToContainTextAsync($"Abstimmung eröffnet: {title}");
        await Expect(inbox).ToContainTextAsync("Abstimmungen");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Posteingang" })).ToContainTextAsync("ungelesen");
        await page.ShouldBeAccessible();
        await Wide(page);
        await Pages.ShouldNotPushSideways(page);

        // D16 as a daily digest, no mails about sessions, and an address.
        var d16 = page.GetByRole(AriaRole.Group, new() { Name = "Gremium D16" });
        await Expect(d16.GetByLabel("sofort", new() { Exact = true })).ToBeCheckedAsync();
        await page.GetByLabel("E-Mail-Adresse (leer: nur Posteingang)").FillAsync($"inge.brandt.{suffix}@sh.example");
        await d16.GetByLabel("täglich zusammengefasst").CheckAsync();
        await page.GetByLabel("Sitzungen", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(page.Locator("[data-feedback]")).ToContainTextAsync("Einstellungen gespeichert.");
        await Pages.ShouldNotPushSideways(page);
        await page.Screenshot(width < 600 ? "benachrichtigungen-schmal" : "benachrichtigungen");

        // Saved: the page shows them again after a reload, and the service has them.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Gremium D16" }).GetByLabel("täglich zusammengefasst")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Sitzungen", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(page.GetByLabel("E-Mail-Adresse (leer: nur Posteingang)")).ToHaveValueAsync($"inge.brandt.{suffix}@sh.example");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/settings");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await app.Http.SendAsync(request);
        var settings = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        settings["bodies"]!["D16"]!.GetValue<string>().ShouldBe("digest");
        settings["unsubscribed"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["sessions"]);

        // Marked read: the notice stays, without the button.
        var notice = page.GetByTestId("inbox").Locator("li", new() { HasText = title });
        await notice.GetByRole(AriaRole.Button, new() { Name = "Als gelesen markieren" }).ClickAsync();
        await Expect(page.GetByTestId("inbox").Locator("li", new() { HasText = title }).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_administrators_page_shows_a_failed_delivery_with_the_mail_servers_answer(int width)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"Jan Petersen {width} {suffix}";
        var token = await app.Token(name, "DE-MV", "representative");
        await app.Api(HttpMethod.Put, "/api/notifications/settings", token, new { email = $"jan.petersen.{suffix}@mv.example" });
        await BallotOpened($"Ostseepegel {width} {suffix}");

        var admin = await app.Token("Verwaltung Zustellung", null, "admin");
        for (var attempt = 0; ; attempt++)
        {
            var report = await app.Api(HttpMethod.Get, "/api/admin/notifications", admin);
            if (report["failing"]!.AsArray().Any(f => f!["personId"]!.GetValue<string>() == PersonId(name))) break;
            if (attempt > 240) throw new Xunit.Sdk.XunitException("The delivery did not fail within two minutes.");
            await Task.Delay(500);
        }

        var page = await app.SignedIn($"Verwaltung Seite {width} {suffix}", null, "admin", width: width);
        await page.GotoAsync("/verwaltung/benachrichtigungen");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Zustellung der Benachrichtigungen");
        var row = page.GetByTestId("failing").Locator("tr", new() { HasText = PersonId(name) });
        await Expect(row).ToContainTextAsync("D16");
        await Expect(row).ToContainTextAsync("Abstimmungen");
        await Expect(row).ToContainTextAsync(RefusingMailServer.Answer);
        await Expect(page.GetByTestId("by-status")).ToContainTextAsync("Zustellung schlägt fehl, wird wiederholt");
        await Expect(page.GetByTestId("by-status")).Not.ToContainTextAsync("failing");
        await page.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(page);
        await page.Screenshot(width < 600 ? "zustellung-schmal" : "zustellung");
    }
}
