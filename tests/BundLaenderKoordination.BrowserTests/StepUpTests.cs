using System.Collections.Concurrent;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// A vote or the closing of a ballot from the pages with a sign-in older than the step-up window: the page says so in
/// German, records nothing and offers to sign in again, after which the act goes through. The pages run under the
/// service's content security policy without a single violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StepUpTests(BrowserFixture app)
{
    private static ConcurrentQueue<string> PolicyViolations(IPage page)
    {
        var violations = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Enqueue(message.Text);
        };
        return violations;
    }

    private async Task<Guid> Proposed(string title)
    {
        var proposal = await app.Api(HttpMethod.Post, "/api/resolutions", await app.Token("Sven Albers", "DE-HH", "representative"),
            new { body = "D16", title = title + " " + Guid.NewGuid().ToString("N")[..6], paragraphs = new[] { "Die Länder vereinbaren einen gemeinsamen Standard." } });
        return proposal["id"]!.GetValue<Guid>();
    }

    private static async Task SignInAgain(IPage page, string name, string land, string role)
    {
        await page.GetByTestId("sign-in-again").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/anmelden"));
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Handelt für").SelectOptionAsync([land]);
        await page.Locator($"#role-{role}").CheckAsync();
        await page.Locator("form.stack button[type=submit]").ClickAsync();
    }

    [Fact]
    public async Task A_vote_with_a_stale_sign_in_asks_to_sign_in_again_and_goes_through_after()
    {
        var id = await Proposed("Beschluss zur Verwaltungscloud");
        var stale = await app.TokenSignedInAt("Karl Stadler", "DE-SL", "representative", DateTimeOffset.UtcNow.AddHours(-1));
        var page = await app.SignedInWithToken(stale);
        var violations = PolicyViolations(page);

        await page.GotoAsync($"/beschluesse/{id}");
        await page.GetByLabel("Ja").CheckAsync();
        await page.Locator("#confirm-vote").CheckAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();

        var alert = page.GetByTestId("error");
        await Expect(alert).ToContainTextAsync("höchstens 15 Minuten zurückliegen");
        await Expect(alert).ToContainTextAsync("Nichts wurde gespeichert. Bitte melden Sie sich erneut an");
        await Expect(page.GetByTestId("sign-in-again")).ToHaveTextAsync("Erneut anmelden");
        var stored = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", await app.Token("Leser", null, "observer"));
        stored["votes"]!.AsArray().ShouldBeEmpty();
        await page.ShouldBeAccessible();

        await SignInAgain(page, "Karl Stadler", "DE-SL", "representative");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/beschluesse/{id}"));
        await page.GetByLabel("Ja").CheckAsync();
        await page.Locator("#confirm-vote").CheckAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        await Expect(page.Locator(".alert.success")).ToContainTextAsync("Textfassung 1");
        violations.ShouldBeEmpty();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Closing_a_ballot_with_a_stale_sign_in_asks_to_sign_in_again_and_leaves_the_ballot_open()
    {
        var id = await Proposed("Beschluss zur Registermodernisierung");
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/ballots", await app.Token("Lea Schulte", "DE-BY", "chair"), new { });
        var stale = await app.TokenSignedInAt("Lea Schulte", "DE-BY", "chair", DateTimeOffset.UtcNow.AddHours(-3));
        var page = await app.SignedInWithToken(stale);
        var violations = PolicyViolations(page);

        await page.GotoAsync($"/beschluesse/{id}");
        await page.Locator("#confirm-close").CheckAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Abstimmung Nr. 1 schließen" }).ClickAsync();

        await Expect(page.GetByTestId("error")).ToContainTextAsync("Bitte melden Sie sich erneut an");
        await Expect(page.GetByTestId("ballot")).ToContainTextAsync("läuft");
        await SignInAgain(page, "Lea Schulte", "DE-BY", "chair");
        await page.Locator("#confirm-close").CheckAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Abstimmung Nr. 1 schließen" }).ClickAsync();
        await Expect(page.Locator(".alert.success")).ToContainTextAsync("Abstimmung geschlossen.");
        violations.ShouldBeEmpty();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_API_reference_renders_under_its_own_content_security_policy()
    {
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var violations = PolicyViolations(page);
        await page.GotoAsync("/docs/api", new() { WaitUntil = WaitUntilState.NetworkIdle });
        // The title comes from the OpenAPI document: the reference loaded it and rendered.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Bund-Länder-Koordination");
        violations.ShouldBeEmpty();
        await context.CloseAsync();
    }
}
