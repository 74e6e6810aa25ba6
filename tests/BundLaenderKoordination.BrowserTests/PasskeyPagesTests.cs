using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using Wolverine;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// Passkeys in the pages (decision 53), with Chromium's virtual authenticator standing in for the delegate's device: a
/// Bavarian delegate sets up a passkey on the passkey page, an administrator approves it there (four eyes), and in D16,
/// which requires signed acts, on a service that refuses unsigned ones (<c>Signing:Enforce</c>), the delegate votes on
/// the resolution page: the vote is recorded with an assertion that the offline verifier accepts, and the page says it is
/// signed. A delegate without an approved passkey gets no vote form but the reason and the way to the passkey page. A
/// consent in a written procedure and a Protokollerklärung (whose typed text the page asks the challenge for) are signed
/// likewise.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_delegate_sets_up_a_passkey_a_second_person_approves_it_and_the_delegate_signs_a_vote_that_the_verifier_accepts()
    {
        await using var service = SigningService.Start(browser.ConnectionString);
        var bavaria = await service.SignedIn(browser, "Anna Berger", "DE-BY", "representative");
        var authenticator = await VirtualAuthenticator.AddTo(bavaria);

        // The delegate sets up a passkey: it waits for a second person.
        await bavaria.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Passkeys" }).ClickAsync();
        await Expect(bavaria.GetByTestId("no-passkeys")).ToBeVisibleAsync();
        await bavaria.GetByRole(AriaRole.Button, new() { Name = "Passkey einrichten" }).ClickAsync();
        var notice = bavaria.Locator("#feedback");
        await Expect(notice).ToContainTextAsync("Passkey eingerichtet. Er signiert, sobald eine zweite Person");
        await Expect(notice).ToBeFocusedAsync();
        var own = bavaria.GetByTestId("own-passkeys").GetByTestId("passkey");
        await Expect(own).ToHaveCountAsync(1);
        await Expect(own.GetByTestId("passkey-status")).ToHaveTextAsync("wartet auf Freigabe");
        await Expect(own).ToContainTextAsync("eingerichtet am ");
        var credentialId = await own.GetAttributeAsync("data-credential");
        (await authenticator.CredentialIds()).ShouldBe([credentialId!]);
        var personId = (await service.Api(HttpMethod.Get, "/api/me", await service.Token("Anna Berger", "DE-BY", "representative")))["personId"]!.GetValue<string>();

        // Until it is approved, D16 takes no vote from this delegate: no form, the reason and the way to the passkey page.
        var proposal = await service.Api(HttpMethod.Post, "/api/resolutions", await service.Token("Sven Albers", "DE-HH", "representative"),
            new { body = "D16", title = "Beschluss zur Signatur der Stimmen", paragraphs = new[] { "Die Länder signieren ihre Stimmen mit Passkeys." } });
        var id = proposal["id"]!.GetValue<Guid>();
        await service.Api(HttpMethod.Post, $"/api/resolutions/{id}/ballots", await service.Token("Lea Schulte", "DE-BY", "chair"), new { matterType = "default" });
        await bavaria.GotoAsync($"/beschluesse/{id}");
        await Expect(bavaria.GetByTestId("cannot-sign")).ToContainTextAsync("Ihr Passkey wartet noch auf die Freigabe durch eine zweite Person");
        await Expect(bavaria.Locator("form.vote-form")).ToHaveCountAsync(0);

        // A second person, an administrator, looks the delegate up and approves the passkey; the owner could not.
        var admin = await service.SignedIn(browser, "Verena Verwaltung", null, "admin");
        await admin.GotoAsync("/passkeys");
        await admin.GetByLabel("Kennung der Person (wie ihre Anmeldung sie nennt)").FillAsync(personId);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Anzeigen" }).ClickAsync();
        var theirs = admin.GetByTestId("person-passkeys").Locator($"tr[data-credential='{credentialId}']");
        await Expect(theirs.GetByTestId("passkey-status")).ToHaveTextAsync("wartet auf Freigabe");
        await theirs.GetByLabel("Ich bestätige: dieser Passkey gehört Anna Berger").CheckAsync();
        await theirs.GetByRole(AriaRole.Button, new() { Name = "Freigeben" }).ClickAsync();
        await Expect(admin.Locator("#feedback")).ToHaveTextAsync("Passkey von Anna Berger freigegeben: er signiert ab jetzt.");
        await Expect(admin.GetByTestId("person-passkeys").Locator($"tr[data-credential='{credentialId}']").GetByTestId("passkey-status")).ToHaveTextAsync("aktiv");
        await CheckedAtBothWidths(admin, "passkeys-freigabe");

        // The delegate votes on the page; the authenticator signs the vote's statement.
        await bavaria.GotoAsync($"/beschluesse/{id}");
        await Expect(bavaria.GetByTestId("cannot-sign")).ToHaveCountAsync(0);
        await bavaria.GetByLabel("Ja", new() { Exact = true }).CheckAsync();
        await bavaria.Locator("#confirm-vote").CheckAsync();
        await bavaria.GetByRole(AriaRole.Button, new() { Name = "Stimme signieren und abgeben" }).ClickAsync();
        await Expect(bavaria.Locator("#feedback")).ToContainTextAsync("Stimme gespeichert, mit Ihrem Passkey signiert: Ja zu Textfassung");
        await bavaria.GetByTestId("vote-details").Locator("summary").ClickAsync();
        await Expect(bavaria.GetByTestId("vote-details").Locator("li[data-vote-of='DE-BY']").GetByTestId("vote-signature")).ToHaveTextAsync("✓ mit Passkey signiert");
        await CheckedAtBothWidths(bavaria, "beschluss-signierte-stimme");

        // A prompt that gives no signature (here: the authenticator no longer holds the key) records nothing and says so.
        await authenticator.Forget();
        await bavaria.GetByLabel("Nein", new() { Exact = true }).CheckAsync();
        await bavaria.Locator("#confirm-vote").CheckAsync();
        await bavaria.GetByRole(AriaRole.Button, new() { Name = "Stimme signieren und abgeben" }).ClickAsync();
        var answer = bavaria.Locator("form.vote-form").GetByTestId("passkey-answer");
        await Expect(answer).ToHaveTextAsync("Die Signatur mit dem Passkey wurde abgebrochen; Ihre Stimme wurde nicht abgegeben, nichts wurde gespeichert.");
        await Expect(answer).ToBeFocusedAsync();
        var votes = await service.Api(HttpMethod.Get, $"/api/resolutions/{id}", await service.Token("Petra Prüfer", null, "auditor"));
        votes["votes"]!.AsArray().Single()!["choice"]!.GetValue<string>().ShouldBe("yes");

        // Without script the signing form cannot be sent: no unsigned vote leaves the page.
        var noScript = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = service.BaseAddress.ToString(), Locale = "de-DE", TimezoneId = BrowserFixture.TimeZone, JavaScriptEnabled = false,
        });
        var plain = await noScript.NewPageAsync();
        await plain.GotoAsync("/anmelden");
        await BrowserFixture.SignInHere(plain, "Anna Berger", "DE-BY", "representative");
        await plain.GotoAsync($"/beschluesse/{id}");
        await Expect(plain.GetByRole(AriaRole.Button, new() { Name = "Stimme signieren und abgeben" })).ToBeDisabledAsync();
        await noScript.CloseAsync();

        // The stored vote carries the assertion, and the offline verifier, requiring signed acts in D16, accepts it.
        var auditor = await service.Token("Petra Prüfer", null, "auditor");
        using var bundleRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/audit/bundle?resolution={id}");
        bundleRequest.Headers.Authorization = new("Bearer", auditor);
        using var bundleResponse = await service.Http.SendAsync(bundleRequest);
        bundleResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var bundle = BundleVerifier.ParseBundle(await bundleResponse.Content.ReadAsByteArrayAsync()).ShouldNotBeNull();
        var keys = (await service.Http.GetStringAsync("/api/audit/public-keys")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(VerifierKey.TryParse).OfType<VerifierKey>().ToList();
        var report = BundleVerifier.Verify(bundle, keys, signatures: new SignaturePolicy(new HashSet<string> { "D16" }));
        report.Clean.ShouldBeTrue(string.Join("\n", report.Findings.Select(f => $"{f.Code}: {f.Message}")));
        var signed = report.SignedActs.ShouldNotBeNull().ShouldHaveSingleItem();
        (signed.Act, signed.Land, signed.PersonId, signed.Choice, signed.CredentialId).ShouldBe(("vote", "DE-BY", personId, "yes", credentialId));

        // The auditor's page says so too.
        var audit = await service.SignedIn(browser, "Petra Prüfer", null, "auditor");
        await audit.GotoAsync($"/pruefung?beschluss={id}");
        await Expect(audit.Locator("tr[data-land='DE-BY']").GetByTestId("signature")).ToHaveTextAsync("✓ mit Passkey signiert");

        // Hesse's delegate has no passkey: no vote form, the reason, and the way to the passkey page.
        var hesse = await service.SignedIn(browser, "Jonas Hessler", "DE-HE", "representative");
        await hesse.GotoAsync($"/beschluesse/{id}");
        var reason = hesse.GetByTestId("cannot-sign");
        await Expect(reason).ToContainTextAsync("In diesem Gremium wird jede Stimme mit dem eigenen Passkey signiert. Sie haben noch keinen freigegebenen Passkey.");
        await Expect(hesse.Locator("form.vote-form")).ToHaveCountAsync(0);
        await Expect(reason.GetByRole(AriaRole.Link, new() { Name = "Zu meinen Passkeys" })).ToHaveAttributeAsync("href", "/passkeys");
        await CheckedAtBothWidths(bavaria, "passkeys", "/passkeys");
    }

    [Fact]
    public async Task Consent_in_a_written_procedure_is_signed_on_the_page_where_the_body_requires_it()
    {
        await using var service = SigningService.Start(browser.ConnectionString);
        var saxony = await service.SignedIn(browser, "Karin Sachs", "DE-SN", "representative");
        await VirtualAuthenticator.AddTo(saxony);
        await saxony.GotoAsync("/passkeys");
        await saxony.GetByRole(AriaRole.Button, new() { Name = "Passkey einrichten" }).ClickAsync();
        await Expect(saxony.Locator("#feedback")).ToContainTextAsync("Passkey eingerichtet.");
        var credentialId = await saxony.GetByTestId("own-passkeys").GetByTestId("passkey").GetAttributeAsync("data-credential");
        var personId = (await service.Api(HttpMethod.Get, "/api/me", await service.Token("Karin Sachs", "DE-SN", "representative")))["personId"]!.GetValue<string>();
        await service.Api(HttpMethod.Post, $"/api/people/{Uri.EscapeDataString(personId)}/passkeys/{credentialId}/approval", await service.Token("Verena Verwaltung", null, "admin"));

        var proposal = await service.Api(HttpMethod.Post, "/api/resolutions", await service.Token("Sven Albers", "DE-HH", "representative"),
            new { body = "D16", title = "Umlauf zur signierten Zustimmung", paragraphs = new[] { "Die Länder stimmen im Umlauf signiert zu." } });
        var id = proposal["id"]!.GetValue<Guid>();
        await service.Api(HttpMethod.Post, $"/api/resolutions/{id}/written-procedure", await service.Token("Lea Schulte", "DE-BY", "chair"), new { });

        await saxony.GotoAsync($"/beschluesse/{id}");
        await saxony.Locator("#confirm-consent").CheckAsync();
        await saxony.GetByRole(AriaRole.Button, new() { Name = "Zustimmen für Freistaat Sachsen" }).ClickAsync();
        await Expect(saxony.Locator("#feedback")).ToHaveTextAsync("Zustimmung Ihres Landes gespeichert, mit Ihrem Passkey signiert.");
        await Expect(saxony.GetByTestId("procedure-consents")).ToContainTextAsync("SN");
        await Expect(saxony.GetByTestId("procedure-signed")).ToContainTextAsync("SN");

        var auditor = await service.Token("Petra Prüfer", null, "auditor");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/audit/bundle?resolution={id}");
        request.Headers.Authorization = new("Bearer", auditor);
        using var response = await service.Http.SendAsync(request);
        var bundle = BundleVerifier.ParseBundle(await response.Content.ReadAsByteArrayAsync()).ShouldNotBeNull();
        var keys = (await service.Http.GetStringAsync("/api/audit/public-keys")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(VerifierKey.TryParse).OfType<VerifierKey>().ToList();
        var report = BundleVerifier.Verify(bundle, keys, signatures: new SignaturePolicy(new HashSet<string> { "D16" }));
        report.Clean.ShouldBeTrue(string.Join("\n", report.Findings.Select(f => $"{f.Code}: {f.Message}")));
        var signed = report.SignedActs.ShouldNotBeNull().ShouldHaveSingleItem();
        (signed.Act, signed.Land, signed.PersonId, signed.CredentialId).ShouldBe(("consent", "DE-SN", personId, credentialId));

        var audit = await service.SignedIn(browser, "Petra Prüfer", null, "auditor");
        await audit.GotoAsync($"/pruefung?beschluss={id}");
        await Expect(audit.GetByTestId("signed-acts")).ToContainTextAsync("Freistaat Sachsen, Karin Sachs: Zustimmung im Umlaufverfahren");
    }

    [Fact]
    public async Task A_Protokollerklaerung_made_on_the_page_is_signed_by_a_delegate_with_a_passkey_even_where_signatures_are_not_enforced()
    {
        await using var service = SigningService.Start(browser.ConnectionString, enforce: false);
        var hesse = await service.SignedIn(browser, "Miriam Hoffmann", "DE-HE", "representative");
        await VirtualAuthenticator.AddTo(hesse);
        await hesse.GotoAsync("/passkeys");
        await hesse.GetByRole(AriaRole.Button, new() { Name = "Passkey einrichten" }).ClickAsync();
        await Expect(hesse.Locator("#feedback")).ToContainTextAsync("Passkey eingerichtet.");
        var credentialId = await hesse.GetByTestId("own-passkeys").GetByTestId("passkey").GetAttributeAsync("data-credential");
        var personId = (await service.Api(HttpMethod.Get, "/api/me", await service.Token("Miriam Hoffmann", "DE-HE", "representative")))["personId"]!.GetValue<string>();
        await service.Api(HttpMethod.Post, $"/api/people/{Uri.EscapeDataString(personId)}/passkeys/{credentialId}/approval", await service.Token("Verena Verwaltung", null, "admin"));

        var by = await service.Token("Anna Berger", "DE-BY", "representative");
        var proposal = await service.Api(HttpMethod.Post, "/api/resolutions", by,
            new { body = "D16", title = "Gemeinsame Rechenzentren", paragraphs = new[] { "Die Länder betreiben gemeinsame Rechenzentren." } });
        var id = proposal["id"]!.GetValue<Guid>();
        foreach (var land in new[] { "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV", "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN" })
            await service.Api(HttpMethod.Post, $"/api/resolutions/{id}/votes", await service.Token("Vertretung " + land, land, "representative"), new { choice = "yes", textVersion = 1 });
        var version = (await service.Api(HttpMethod.Get, $"/api/resolutions/{id}", by))["version"]!.GetValue<long>();
        await service.Api(HttpMethod.Post, $"/api/resolutions/{id}/adoption", await service.Token("Lea Schulte", "DE-BY", "chair"), new { expectedVersion = version });

        // The typed text is signed: the page asks for the challenge of exactly this text, the authenticator signs it.
        await hesse.GotoAsync($"/beschluesse/{id}");
        await hesse.Locator("#declarations summary").ClickAsync();
        await hesse.GetByLabel("Erklärung von Hessen").FillAsync("  Hessen erklärt, dass die Standortfrage gesondert entschieden wird.  ");
        await hesse.GetByRole(AriaRole.Button, new() { Name = "Signieren und beifügen" }).ClickAsync();
        await Expect(hesse.Locator("#feedback")).ToHaveTextAsync("Protokollerklärung beigefügt, mit Ihrem Passkey signiert.");
        await Expect(hesse.GetByTestId("declaration")).ToContainTextAsync("Standortfrage gesondert");

        var auditor = await service.Token("Petra Prüfer", null, "auditor");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/audit/bundle?resolution={id}");
        request.Headers.Authorization = new("Bearer", auditor);
        using var response = await service.Http.SendAsync(request);
        var bundle = BundleVerifier.ParseBundle(await response.Content.ReadAsByteArrayAsync()).ShouldNotBeNull();
        var keys = (await service.Http.GetStringAsync("/api/audit/public-keys")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(VerifierKey.TryParse).OfType<VerifierKey>().ToList();
        var report = BundleVerifier.Verify(bundle, keys);
        report.Clean.ShouldBeTrue(string.Join("\n", report.Findings.Select(f => $"{f.Code}: {f.Message}")));
        var signed = report.SignedActs.ShouldNotBeNull().ShouldHaveSingleItem();
        (signed.Act, signed.Choice, signed.Land, signed.PersonId, signed.CredentialId).ShouldBe(("declaration", "attach", "DE-HE", personId, credentialId));
    }

    /// <summary>The page as it is at 1366 px and at 390 px: nothing pushes it sideways, axe finds nothing serious; a screenshot of the wide one.</summary>
    private static async Task CheckedAtBothWidths(IPage page, string screenshot, string? path = null)
    {
        if (path is not null) await page.GotoAsync(path);
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, width < 600 ? 844 : 900);
            await page.ShouldNotPushSideways();
            await page.ShouldBeAccessible();
            if (width == 1366) await page.Screenshot(screenshot);
        }
        await page.SetViewportSizeAsync(1366, 900);
    }

    /// <summary>Chromium's virtual authenticator in one page (DevTools protocol): a platform authenticator that verifies its user.</summary>
    private sealed class VirtualAuthenticator(ICDPSession session, string id)
    {
        public static async Task<VirtualAuthenticator> AddTo(IPage page)
        {
            var session = await page.Context.NewCDPSessionAsync(page);
            await session.SendAsync("WebAuthn.enable");
            var added = await session.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
            {
                ["options"] = new Dictionary<string, object>
                {
                    ["protocol"] = "ctap2",
                    ["transport"] = "internal",
                    ["hasResidentKey"] = true,
                    ["hasUserVerification"] = true,
                    ["isUserVerified"] = true,
                },
            });
            return new VirtualAuthenticator(session, added!.Value.GetProperty("authenticatorId").GetString()!);
        }

        /// <summary>The authenticator loses its keys (a device reset): it can sign nothing any more.</summary>
        public async Task Forget() => await session.SendAsync("WebAuthn.clearCredentials", new Dictionary<string, object> { ["authenticatorId"] = id });

        /// <summary>The ids of the credentials the authenticator holds, base64url as the service names them.</summary>
        public async Task<IReadOnlyList<string>> CredentialIds()
        {
            var result = await session.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = id });
            return [.. result!.Value.GetProperty("credentials").EnumerateArray()
                .Select(c => Base64UrlText.Encode(Convert.FromBase64String(c.GetProperty("credentialId").GetString()!)))];
        }
    }

    /// <summary>
    /// The service on a port chosen before it starts, so that the passkey origin (<c>Passkeys:Origins</c>) is the one the
    /// browser really uses (http://localhost:port); in Development, on the run's PostgreSQL in a schema of its own, with
    /// unsigned acts refused where a body requires signatures (unless <c>enforce</c> is false, as in Development).
    /// </summary>
    private sealed class SigningService : WebApplicationFactory<Program>
    {
        private readonly Dictionary<string, string> _settings;
        private readonly string _keyFile;

        private SigningService(Dictionary<string, string> settings, string keyFile) => (_settings, _keyFile) = (settings, keyFile);

        public Uri BaseAddress { get; private set; } = null!;
        public HttpClient Http { get; private set; } = null!;

        public static SigningService Start(string connectionString, bool enforce = true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var origin = $"http://localhost:{port}";
            var keyFile = Path.Combine(Path.GetTempPath(), "blk-browser-passkeys-" + Guid.NewGuid().ToString("N") + ".key");
            var service = new SigningService(new Dictionary<string, string>
            {
                ["ConnectionStrings:Marten"] = connectionString,
                ["Marten:Schema"] = "passkeys_" + Guid.NewGuid().ToString("N")[..12],
                ["Audit:KeyFile"] = keyFile,
                ["Signing:Enforce"] = enforce ? "true" : "false",
                ["Passkeys:RelyingPartyId"] = "localhost",
                ["Passkeys:Origins:0"] = origin,
            }, keyFile);
            service.UseKestrel(port);
            service.StartServer();
            service.BaseAddress = new Uri(origin + "/");
            service.Http = new HttpClient { BaseAddress = service.BaseAddress };
            return service;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in _settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        }

        /// <summary>A fresh browser context on this service (http://localhost:port, the passkey origin), signed in as a development identity.</summary>
        public async Task<IPage> SignedIn(BrowserFixture browser, string name, string? land, string role)
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = BaseAddress.ToString(), Locale = "de-DE", TimezoneId = BrowserFixture.TimeZone,
                ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            });
            context.SetDefaultTimeout(60_000);
            context.SetDefaultNavigationTimeout(90_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/anmelden");
            await BrowserFixture.SignInHere(page, name, land, role);
            return page;
        }

        public async Task<string> Token(string name, string? land, params string[] roles)
        {
            var response = await Http.PostAsJsonAsync("/api/dev/tokens", new { name, land, roles });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        }

        public async Task<JsonObject> Api(HttpMethod method, string path, string token, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new("Bearer", token);
            if (body is not null) request.Content = JsonContent.Create(body);
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
            return (JsonNode.Parse(text) as JsonObject)!;
        }

        public override async ValueTask DisposeAsync()
        {
            Http?.Dispose();
            await base.DisposeAsync();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_keyFile)!, Path.GetFileName(_keyFile) + "*")) File.Delete(file);
        }
    }
}
