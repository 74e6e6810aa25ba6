using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// Weighty acts need a recent sign-in. A person whose sign-in is older than the window is told so in plain words, nothing
/// is recorded, and signing in again leads back to the page where the act then succeeds.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StepUpTests(BrowserFixture app)
{
    [Fact]
    public async Task A_vote_and_the_audit_export_after_an_old_sign_in_ask_for_a_fresh_one_and_record_nothing()
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", by,
            new { body = "D16", title = "Schrittweise Anmeldung " + Guid.NewGuid().ToString("N")[..6], paragraphs = new[] { "Die Länder stimmen sicher ab." } });
        var id = written["id"]!.GetValue<Guid>();

        // North Rhine-Westphalia signed in half an hour ago: the vote is refused and nothing is recorded.
        var nw = await app.SignedIn("Greta Lang", "DE-NW", "representative", signedInMinutesAgo: 30);
        await nw.GotoAsync($"/beschluesse/{id}");
        await nw.GetByLabel("Ja").CheckAsync();
        await nw.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        await Expect(nw.GetByTestId("error")).ToContainTextAsync("höchstens 15 Minuten zurückliegen");
        await Expect(nw.GetByTestId("error")).ToContainTextAsync("Nichts wurde gespeichert");
        await Expect(nw.Locator("[data-land='DE-NW'].land")).ToHaveClassAsync(new Regex("vote-none"));
        (await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", by))["votes"]!.AsArray().ShouldBeEmpty();
        await nw.ShouldBeAccessible();

        // Signing in again leads back to the resolution, and the vote goes through.
        await nw.GetByTestId("sign-in-again").ClickAsync();
        await Expect(nw.GetByRole(AriaRole.Status).Filter(new() { HasText = "erneut an" })).ToBeVisibleAsync();
        await BrowserFixture.SignInHere(nw, "Greta Lang", "DE-NW", "representative");
        await Expect(nw).ToHaveURLAsync(new Regex($"/beschluesse/{id}$"));
        await nw.GetByLabel("Ja").CheckAsync();
        await nw.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        await Expect(nw.Locator("[data-land='DE-NW'].land")).ToHaveClassAsync(new Regex("vote-yes"));

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
        await nw.Context.CloseAsync();
        await auditor.Context.CloseAsync();
    }
}
