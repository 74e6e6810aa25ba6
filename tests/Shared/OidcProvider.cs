using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BundLaenderKoordination.Tests.Shared;

/// <summary>
/// A real OpenID provider for the tests: <c>oidc-provider</c> (OpenID Certified, from the npm registry), run by Node from
/// <c>tests/oidc-provider</c> on a loopback port. It knows the people of <see cref="People"/>, the tests' clients
/// <c>blk-tests</c> and <c>blk-tests-short</c> (access tokens of 2 seconds), signs with RSA keys it can rotate while it
/// runs, and issues JWT access tokens for the audience <c>bund-laender-koordination</c>. Its packages are installed with
/// <c>npm ci</c> from the committed lock file when they are missing (ops/test.sh does that before the tests).
/// </summary>
public sealed partial class OidcProvider : IAsyncDisposable
{
    public const string Audience = "bund-laender-koordination";
    public const string Low = "urn:bund-laender:loa:low";
    public const string Substantial = "urn:bund-laender:loa:substantial";

    /// <summary>The second factor of every person: with it, a sign-in is <see cref="Substantial"/>; without, <see cref="Low"/>.</summary>
    public const string OneTimeCode = "246810";

    /// <summary>A redirect URI of the tests' clients: never called, the code is read from the provider's redirect.</summary>
    public const string TestRedirectUri = "http://127.0.0.1/callback";

    public sealed record Person(string Login, string Sub, string Name)
    {
        public string Password => Login;
    }

    public static class People
    {
        /// <summary>A delegate of Bavaria: the provider's token says <c>land: DE-BY</c> and <c>role: representative</c>.</summary>
        public static readonly Person BavarianDelegate = new("anna.berger", "f3b1c7e2-by-delegate", "Anna Berger");
        public static readonly Person Chair = new("lea.schulte", "0d9a4e55-by-chair", "Lea Schulte");
        public static readonly Person Observer = new("paul.neumann", "7c2f8b10-observer", "Paul Neumann");
        public static readonly Person Auditor = new("karin.vogt", "a41e6d93-auditor", "Karin Vogt");
        public static readonly Person AdministratorA = new("verwaltung.a", "5be0f2c8-admin-a", "Verwaltung A");
        public static readonly Person AdministratorB = new("verwaltung.b", "9e17a3d4-admin-b", "Verwaltung B");
    }

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly Process _process;
    private readonly HttpClient _control;

    private OidcProvider(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
        _control = new HttpClient { BaseAddress = new Uri(issuer), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The issuer, <c>http://127.0.0.1:&lt;port&gt;</c>: what the service is given as <c>Identity:Authority</c>.</summary>
    public string Issuer { get; }

    /// <summary>Settings that connect a service host to this provider, as an operator sets them (docs/security.md).</summary>
    public Dictionary<string, string> ServiceSettings(string? pagesClientId = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Identity:Authority"] = Issuer,
            ["Identity:Audience"] = Audience,
            // Plain HTTP on loopback: a deployment's issuer is HTTPS and keeps the default (true).
            ["Identity:RequireHttpsMetadata"] = "false",
        };
        if (pagesClientId is not null)
        {
            settings["Web:Oidc:ClientId"] = pagesClientId;
            settings["Web:Oidc:Scopes"] = Audience;
        }
        return settings;
    }

    public static async Task<OidcProvider> StartAsync()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "oidc-provider");
        await EnsureInstalled(folder);
        var start = new ProcessStartInfo("node", "provider.mjs")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var first = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(180))) != first || await first is not { } line)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The OpenID provider did not start: {errors}");
        }
        var issuer = JsonNode.Parse(line)!["issuer"]!.GetValue<string>();
        return new OidcProvider(process, issuer);
    }

    /// <summary><c>npm ci</c> in the provider's folder unless its packages are there (from the committed lock file).</summary>
    private static async Task EnsureInstalled(string folder)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(folder, "node_modules", "oidc-provider", "package.json"))) return;
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
                throw new InvalidOperationException($"npm ci in {folder} failed ({npm.ExitCode}): {await output}{await error}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Registers a client (OpenID Connect client metadata), as an administrator registers the service's pages.</summary>
    public async Task RegisterClient(object metadata) =>
        (await _control.PostAsJsonAsync("/control/clients", new[] { metadata })).EnsureSuccessStatusCode();

    /// <summary>The provider's pages client for a service at <paramref name="baseAddress"/>: public, code flow with PKCE.</summary>
    public Task RegisterPagesClient(string clientId, Uri baseAddress) => RegisterClient(new Dictionary<string, object>
    {
        ["client_id"] = clientId,
        ["redirect_uris"] = new[] { new Uri(baseAddress, "/anmelden/oidc").ToString() },
        ["post_logout_redirect_uris"] = new[] { new Uri(baseAddress, "/anmelden/oidc/abgemeldet").ToString() },
    });

    /// <summary>A new signing key signs from now on; the old ones stay published. Returns the key ids, the signing one first.</summary>
    public Task<string[]> RotateKeys() => Keys("/control/keys/rotate");

    /// <summary>Removes every key but the signing one from the provider's JWKS.</summary>
    public Task<string[]> RetireOldKeys() => Keys("/control/keys/retire");

    private async Task<string[]> Keys(string path)
    {
        var response = await _control.PostAsync(path, null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["kids"]!.AsArray().Select(k => k!.GetValue<string>()).ToArray();
    }

    /// <summary>What the provider was asked (<c>authorizations</c>, <c>endSessions</c>: their query parameters) and issued (<c>accessTokens</c>: header kid and claims).</summary>
    public async Task<JsonObject> Seen() => (await _control.GetFromJsonAsync<JsonObject>("/control/seen"))!;

    /// <summary>
    /// Signs <paramref name="person"/> in as a client does: the authorization code flow with PKCE against the provider's
    /// endpoints from its discovery document, the provider's sign-in form (with the one-time code when
    /// <paramref name="strong"/>), and the token request. Returns the access token.
    /// </summary>
    public async Task<string> AccessToken(Person person, bool strong = true, string clientId = "blk-tests", string? resource = null,
        string? acrValues = null, int? maxAge = null)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var discovery = (await http.GetFromJsonAsync<JsonObject>(Issuer + "/.well-known/openid-configuration"))!;
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["scope"] = "openid profile " + Audience,
            ["redirect_uri"] = TestRedirectUri,
            ["state"] = state,
            ["nonce"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["resource"] = resource,
            ["acr_values"] = acrValues,
            ["max_age"] = maxAge?.ToString(),
        };
        var authorize = discovery["authorization_endpoint"]!.GetValue<string>() + "?" +
                        string.Join('&', query.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));

        var location = await Redirect(http, await http.GetAsync(authorize));
        var form = await http.GetStringAsync(location);
        var action = FormAction().Match(form).Groups[1].Value;
        location = await Redirect(http, await http.PostAsync(new Uri(new Uri(Issuer), action), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["login"] = person.Login,
            ["password"] = person.Password,
            ["code"] = strong ? OneTimeCode : "",
        })));
        for (var hops = 0; !location.StartsWith(TestRedirectUri, StringComparison.Ordinal); hops++)
        {
            if (hops > 10) throw new InvalidOperationException("The provider did not come back to the redirect URI.");
            location = await Redirect(http, await http.GetAsync(location));
        }
        var answer = System.Web.HttpUtility.ParseQueryString(new Uri(location).Query);
        if (answer["state"] != state) throw new InvalidOperationException("The provider answered another state.");
        if (answer["code"] is not { } code) throw new InvalidOperationException($"The provider refused: {answer["error"]} {answer["error_description"]}");

        var token = await http.PostAsync(discovery["token_endpoint"]!.GetValue<string>(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = TestRedirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        }));
        var json = await token.Content.ReadFromJsonAsync<JsonObject>();
        if (!token.IsSuccessStatusCode) throw new InvalidOperationException($"The token request was refused: {json}");
        return json!["access_token"]!.GetValue<string>();
    }

    private static async Task<string> Redirect(HttpClient http, HttpResponseMessage response)
    {
        if ((int)response.StatusCode is < 300 or > 399 || response.Headers.Location is not { } location)
            throw new InvalidOperationException($"Expected a redirect, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return location.IsAbsoluteUri ? location.ToString() : new Uri(http.BaseAddress ?? response.RequestMessage!.RequestUri!, location).ToString();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (BundLaenderKoordination.sln) was not found.");
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
