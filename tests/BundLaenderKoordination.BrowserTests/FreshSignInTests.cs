using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The audit export needs a recent sign-in. An auditor whose sign-in (set back on the development sign-in page) is older
/// than the window is told so in plain words, and signing in again leads back to the audit page where the download works.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FreshSignInTests(BrowserFixture app)
{
    [Fact]
    public async Task The_audit_export_after_a_development_sign_in_set_back_an_hour_asks_for_a_fresh_one()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", by,
            new { body = "D16", title = "Prüfpaket nach Anmeldung " + Guid.NewGuid().ToString("N")[..6], paragraphs = new[] { "Die Länder stimmen sicher ab." } });
        var id = written["id"]!.GetValue<Guid>();

        // The auditor, signed in long ago, is told to sign in again instead of getting the bundle.
        var auditor = await app.SignedIn("Karin Vogt", null, "auditor", signedInMinutesAgo: 60);
        await auditor.GotoAsync($"/pruefung?beschluss={id}");
        await auditor.GetByRole(AriaRole.Link, new() { Name = "Prüfpaket herunterladen (JSON)" }).ClickAsync();
        await Expect(auditor.GetByRole(AriaRole.Alert)).ToContainTextAsync("höchstens 15 Minuten zurückliegen");
        await auditor.ShouldBeAccessible();
        await auditor.Screenshot("erneut-anmelden");
        await auditor.GetByTestId("sign-in-again").ClickAsync();
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Karin Vogt – Prüfung" }).ClickAsync();
        await Expect(auditor).ToHaveURLAsync(new Regex($@"/pruefung\?beschluss={id}$"));
        var bundle = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByRole(AriaRole.Link, new() { Name = "Prüfpaket herunterladen (JSON)" }).ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.json");
        await bundle.SaveAsAsync(file);
        (await File.ReadAllTextAsync(file)).ShouldContain(id.ToString());
        File.Delete(file);
        await auditor.Context.CloseAsync();
    }
}
