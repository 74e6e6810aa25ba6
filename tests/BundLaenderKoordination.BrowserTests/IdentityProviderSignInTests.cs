using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BundLaenderKoordination.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using Wolverine;
using static Microsoft.Playwright.Assertions;
using People = BundLaenderKoordination.Tests.Shared.OidcProvider.People;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// Signing in on the pages as in production: the service runs in the Production environment (no development tokens)
/// and knows nothing but the issuer of a real OpenID provider (<see cref="OidcProvider"/>: oidc-provider, OpenID
/// Certified) and its client id. A Bavarian delegate signs in there with the authorization code flow and PKCE, votes,
/// is asked to sign in again when her sign-in is older than the step-up window (the provider receives <c>max_age</c>
/// and <c>acr_values</c>, and the new token carries a fresh <c>auth_time</c> and the <c>acr</c> asked for), and signs
/// out, which ends the provider's session too (RP-initiated logout).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class IdentityProviderSignInTests(BrowserFixture browser)
{
    private const string PagesClient = "blk-pages";

    [Fact]
    public async Task A_delegate_signs_in_at_the_provider_votes_signs_in_again_for_a_later_vote_and_signs_out_of_both()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var service = await ProductionService.StartAsync(browser.ConnectionString, provider);
        await provider.RegisterPagesClient(PagesClient, service.BaseAddress);

        // Her mandate for Bavaria comes from two administrators, both signed in at the provider; the provider's own
        // "land" claim would grant nothing.
        var adminA = await provider.AccessToken(People.AdministratorA);
        var adminB = await provider.AccessToken(People.AdministratorB);
        await service.Api(HttpMethod.Post, "/api/bodies/D16/mandates", adminA, new
        {
            personId = People.BavarianDelegate.Sub, personName = People.BavarianDelegate.Name, land = "DE-BY", role = "representative",
        });
        await service.Api(HttpMethod.Post, $"/api/bodies/D16/mandates/{People.BavarianDelegate.Sub}/approval", adminB);
        var delegateToken = await provider.AccessToken(People.BavarianDelegate);
        var first = await service.Propose(delegateToken, "Beschluss zur Anmeldung über den Identitätsdienst");
        var second = await service.Propose(delegateToken, "Beschluss zur erneuten Anmeldung");

        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = service.BaseAddress.ToString(), Locale = "de-DE", TimezoneId = BrowserFixture.TimeZone,
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Enqueue(message.Text);
        };

        // Sign-in: from the pages to the provider's form and back, signed in.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/anmelden"));
        await page.GetByTestId("oidc-sign-in").ClickAsync();
        await SignInAtProvider(page, provider);
        await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(People.BavarianDelegate.Name);
        var signedInAt = DateTimeOffset.UtcNow;
        var pushed = (await provider.Seen())["pushed"]!.AsArray().Last()!;
        pushed["client_id"]!.ToString().ShouldBe(PagesClient);
        pushed["code_challenge_method"]!.ToString().ShouldBe("S256");

        // A vote right after signing in goes through.
        await Vote(page, first);
        await Expect(page.Locator(".alert.success")).ToContainTextAsync("Textfassung 1");

        // Past the step-up window (1 minute here), the next vote is refused and nothing is recorded.
        var wait = signedInAt.AddSeconds(62) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        await Vote(page, second);
        await Expect(page.GetByTestId("error")).ToContainTextAsync("Bitte melden Sie sich erneut an");
        (await service.Api(HttpMethod.Get, $"/api/resolutions/{second}", delegateToken))["votes"]!.AsArray().ShouldBeEmpty();

        // Signing in again: the provider is asked for a sign-in within the window, of the accepted kind, and asks
        // the person again although its session is still open; the new token carries what was asked for.
        var steppedUpAt = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds();
        await page.GetByTestId("sign-in-again").ClickAsync();
        await page.GetByTestId("oidc-sign-in").ClickAsync();
        await SignInAtProvider(page, provider);
        await Expect(page).ToHaveURLAsync(new Regex($"/beschluesse/{second}"));
        var seen = await provider.Seen();
        var fresh = seen["pushed"]!.AsArray().Last()!;
        fresh["max_age"]!.ToString().ShouldBe("60");
        fresh["acr_values"]!.ToString().ShouldBe(OidcProvider.Substantial);
        fresh["prompt"]!.ToString().ShouldBe("login");
        var issued = seen["accessTokens"]!.AsArray().Last()!;
        issued["sub"]!.ToString().ShouldBe(People.BavarianDelegate.Sub);
        issued["acr"]!.ToString().ShouldBe(OidcProvider.Substantial);
        issued["auth_time"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(steppedUpAt);

        await Vote(page, second);
        await Expect(page.Locator(".alert.success")).ToContainTextAsync("Textfassung 1");
        await page.ShouldBeAccessible();

        // Signing out: the pages' session ends, and the provider's too (it asks to confirm, then sends the person back).
        await page.GotoAsync("/abmelden");
        await page.GetByRole(AriaRole.Button, new() { Name = "Jetzt abmelden" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, abmelden" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/anmelden$"));
        var endSession = (await provider.Seen())["endSessions"]!.AsArray().First()!;
        endSession["client_id"]?.ToString().ShouldBe(PagesClient);
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/anmelden"));
        // The provider no longer knows her: signing in again shows its form instead of coming straight back.
        await page.GetByTestId("oidc-sign-in").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung beim Identitätsdienst" })).ToBeVisibleAsync();
        violations.ShouldBeEmpty();
        await context.CloseAsync();
    }

    private static async Task SignInAtProvider(IPage page, OidcProvider provider)
    {
        await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(provider.Issuer) + "/interaction/"));
        await page.GetByLabel("Benutzername").FillAsync(People.BavarianDelegate.Login);
        await page.GetByLabel("Passwort").FillAsync(People.BavarianDelegate.Password);
        await page.GetByLabel("Einmalcode").FillAsync(OidcProvider.OneTimeCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
    }

    private static async Task Vote(IPage page, Guid resolution)
    {
        await page.GotoAsync($"/beschluesse/{resolution}");
        await page.GetByLabel("Ja").CheckAsync();
        await page.Locator("#confirm-vote").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
    }

    /// <summary>The service on a real port in the Production environment, on the run's PostgreSQL in a schema of its own.</summary>
    private sealed class ProductionService : WebApplicationFactory<Program>
    {
        private readonly Dictionary<string, string> _settings;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "blk-oidc-" + Guid.NewGuid().ToString("N"));

        private ProductionService(string connectionString, OidcProvider provider)
        {
            Directory.CreateDirectory(_folder);
            var certificate = Path.Combine(_folder, "keys.pfx");
            BundLaenderKoordination.Api.Infrastructure.KeyStorage.CreateCertificateFile(certificate);
            _settings = provider.ServiceSettings(PagesClient);
            _settings["ConnectionStrings:Marten"] = connectionString;
            _settings["Marten:Schema"] = "oidc_" + Guid.NewGuid().ToString("N")[..12];
            // The checkpoint signing key of this host (outside Development the service makes none itself).
            _settings["Audit:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            _settings["DataProtection:CertificateFile"] = certificate;
            _settings["Identity:StepUp:MaxAgeMinutes"] = "1";
            _settings["Identity:StepUp:AcrValues:0"] = OidcProvider.Substantial;
            // The delegate votes in D16 without a passkey: this test is about signing in, not about signed acts.
            _settings["Signing:Enforce"] = "false";
        }

        public Uri BaseAddress { get; private set; } = null!;
        private HttpClient Http { get; set; } = null!;

        public static Task<ProductionService> StartAsync(string connectionString, OidcProvider provider)
        {
            var service = new ProductionService(connectionString, provider);
            service.UseKestrel(0);
            service.StartServer();
            var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            // The browser calls it localhost, a secure context for Chromium: the OpenID Connect handler's correlation
            // and nonce cookies are Secure, as in production.
            service.BaseAddress = new Uri($"http://localhost:{address.Port}/");
            service.Http = new HttpClient { BaseAddress = address };
            return Task.FromResult(service);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in _settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        }

        public async Task<JsonObject> Api(HttpMethod method, string path, string token, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new("Bearer", token);
            if (body is not null) request.Content = JsonContent.Create(body);
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject ?? [];
        }

        public async Task<Guid> Propose(string token, string title) =>
            (await Api(HttpMethod.Post, "/api/resolutions", token, new
            {
                body = "D16", title = title + " " + Guid.NewGuid().ToString("N")[..6], paragraphs = new[] { "Die Länder melden sich über ihren Identitätsdienst an." },
            }))["id"]!.GetValue<Guid>();

        public override async ValueTask DisposeAsync()
        {
            Http?.Dispose();
            await base.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
