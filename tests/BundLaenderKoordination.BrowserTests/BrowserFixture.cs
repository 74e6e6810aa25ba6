using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.LocalPostgres;
using BundLaenderKoordination.Tests.Shared;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wolverine;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The service on a real port (Kestrel) over a throwaway PostgreSQL, in the Development environment, and Debian's
/// Chromium driven by Playwright. The browser is the installed one, launched by its path; none is downloaded.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>The browser's clock is a German one, as the people using the pages have.</summary>
    public const string TimeZone = "Europe/Berlin";

    private LocalPostgresServer? _postgres;
    private readonly string _auditKeyFile = Path.Combine(Path.GetTempPath(), "blk-browser-audit-" + Guid.NewGuid().ToString("N") + ".key");
    private ServiceFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The mail server the service sends to: it refuses every mail.</summary>
    public RefusingMailServer RefusingMail { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The run's PostgreSQL, for another service host in a schema of its own.</summary>
    public string ConnectionString => _postgres!.ConnectionString;

    public async Task InitializeAsync()
    {
        _postgres = await LocalPostgresServer.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "blk-browser-" + Guid.NewGuid().ToString("N")),
            Throwaway = true,
        });
        JasperFxEnvironment.AutoStartHost = true;

        // The audit key and the checkpoint it last signed belong to this run's database, not to .data/ of the checkout.
        // Both settings go to this host alone (as its command-line arguments), not to the whole process.
        // Mail goes to a server that refuses it: only people who give an address get mail, and the page of administrators
        // shows their deliveries failing.
        RefusingMail = new RefusingMailServer();
        _factory = new ServiceFactory(_postgres.ConnectionString, _auditKeyFile, RefusingMail.Port);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
        Http = new HttpClient { BaseAddress = BaseAddress };

        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? DefaultChromium;
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"Chromium was not found at {chromium}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH; ops/test.sh installs it.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            Timeout = 120_000,
        });
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    /// <summary>A fresh browser context (its own cookies), signed in as the given development identity.</summary>
    public async Task<IPage> SignedIn(string name, string? land, string role, string language = "de", int? signedInMinutesAgo = null, int width = 1366)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = language == "en" ? "en-GB" : "de-DE",
            TimezoneId = TimeZone,
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/anmelden");
        await SignInHere(page, name, land, role, language, signedInMinutesAgo);
        return page;
    }

    /// <summary>Fills in the development sign-in form of the page shown (the sign-in page) and signs in.</summary>
    public static async Task SignInHere(IPage page, string name, string? land, string role, string language = "de", int? signedInMinutesAgo = null)
    {
        await page.GetByLabel(language == "en" ? "Name" : "Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel(language == "en" ? "Acts for" : "Handelt für").SelectOptionAsync(land is null ? [""] : [land]);
        await page.Locator($"#role-{role}").CheckAsync();
        if (signedInMinutesAgo is { } minutes) await page.Locator("#signed-in-minutes-ago").FillAsync(minutes.ToString());
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(name);
    }

    /// <summary>
    /// A fresh browser context signed in to the pages with a given token, as the sign-in page would sign it in: for
    /// tokens the sign-in page does not issue (an old sign-in, see step-up).
    /// </summary>
    /// <summary>Until the projection daemon has applied every commit: the lists and the search are kept by it.</summary>
    public Task ProjectionsCaughtUp() =>
        Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(
            _factory!.Services.GetRequiredService<Marten.IDocumentStore>(), TimeSpan.FromSeconds(60));

    public async Task<IPage> SignedInWithToken(string token)
    {
        var (name, value) = await SessionCookie(token);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = "de-DE", TimezoneId = TimeZone });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(90_000);
        await context.AddCookiesAsync([new Cookie { Name = name, Value = value, Url = BaseAddress.ToString(), HttpOnly = true }]);
        return await context.NewPageAsync();
    }

    /// <summary>The pages' sign-in cookie for a token (name=value), for fetching pages without a browser.</summary>
    public async Task<string> PageCookie(string token)
    {
        var (name, value) = await SessionCookie(token);
        return $"{name}={value}";
    }

    /// <summary>Signed in by the pages' own cookie handler, so the session is stored on the server as after a real sign-in.</summary>
    private async Task<(string Name, string Value)> SessionCookie(string token)
    {
        await using var scope = _factory!.Services.CreateAsyncScope();
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Scheme = BaseAddress.Scheme;
        http.Request.Host = new Microsoft.AspNetCore.Http.HostString(BaseAddress.Authority);
        await BundLaenderKoordination.Api.Web.WebUi.SignInWithToken(http, token);
        return http.Response.Headers.SetCookie
            .Select(header => header!.Split(';')[0].Split('=', 2))
            .Select(pair => (pair[0], pair[1]))
            .Single(pair => pair.Item1 == "blk-session");
    }

    /// <summary>A token for a sign-in at <paramref name="authTime"/>.</summary>
    public async Task<string> TokenSignedInAt(string name, string? land, string role, DateTimeOffset authTime)
    {
        var response = await Http.PostAsJsonAsync("/api/dev/tokens", new { name, land, roles = new[] { role }, authTime });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>A token for calling the API directly, as a script of another Land would.</summary>
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

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Http?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (RefusingMail is not null) await RefusingMail.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_auditKeyFile)!, Path.GetFileName(_auditKeyFile) + "*")) File.Delete(file);
    }

    private sealed class ServiceFactory(string connectionString, string auditKeyFile, int smtpPort) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Marten", connectionString);
            builder.UseSetting("Audit:KeyFile", auditKeyFile);
            builder.UseSetting("Notifications:SmtpHost", "127.0.0.1");
            builder.UseSetting("Notifications:SmtpPort", smtpPort.ToString());
            builder.UseSetting("Notifications:SmtpSecurity", "None");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser against the service";
}
