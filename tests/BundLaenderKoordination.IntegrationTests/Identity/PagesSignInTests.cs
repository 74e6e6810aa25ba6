using System.Web;
using Alba;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// The pages outside Development sign in through OpenID Connect at the API's issuer. Without an identity provider at
/// hand, this checks what the service itself does: it reads the issuer's discovery document (served here over real HTTP),
/// sends the browser to the authorization endpoint named there with the authorization code flow and PKCE, asks for a
/// fresh authentication after a step-up refusal, and signs nobody in on a callback it did not start.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PagesSignInTests(AppFixture app)
{
    [Fact]
    public async Task The_pages_challenge_sends_the_browser_to_the_authorization_endpoint_of_the_configured_issuer()
    {
        await using var issuer = await DiscoveryServer.StartAsync();
        {
            await using var host = await app.StartHost("Production", settings: new Dictionary<string, string>
            {
                ["Identity:Authority"] = issuer.Authority,
                ["Identity:RequireHttpsMetadata"] = "false",
                ["Web:Oidc:ClientId"] = "blk-pages",
                ["Web:Oidc:Scopes"] = "bund-laender-koordination",
                ["Identity:StepUp:AcrValues:0"] = "urn:bund-laender:loa:substantial",
            });

            // Not signed in: the pages send the person to their sign-in page, which offers the organisation's sign-in
            // and no development identities.
            var home = await host.Scenario(s => { s.Get.Url("/"); s.StatusCodeShouldBe(302); });
            new Uri(home.Context.Response.Headers.Location.ToString()).PathAndQuery.ShouldBe("/anmelden?ReturnUrl=%2F");
            var page = await host.Scenario(s => { s.Get.Url("/anmelden?ReturnUrl=%2Fpruefung"); s.StatusCodeShouldBe(200); });
            var html = await page.ReadAsTextAsync();
            html.ShouldContain("data-testid=\"oidc-sign-in\"");
            html.ShouldContain("/anmelden?handler=Oidc&amp;ReturnUrl=%2Fpruefung");
            html.ShouldNotContain("Schnellauswahl");

            // The challenge: to the authorization endpoint the discovery document names, code flow with PKCE.
            var challenge = await host.Scenario(s => { s.Get.Url("/anmelden?handler=Oidc&ReturnUrl=%2Fpruefung"); s.StatusCodeShouldBe(302); });
            var location = new Uri(challenge.Context.Response.Headers.Location.ToString());
            location.GetLeftPart(UriPartial.Path).ShouldBe(issuer.Authority + "/protocol/openid-connect/auth");
            var query = HttpUtility.ParseQueryString(location.Query);
            query["client_id"].ShouldBe("blk-pages");
            query["response_type"].ShouldBe("code");
            query["code_challenge_method"].ShouldBe("S256");
            query["code_challenge"].ShouldNotBeNullOrEmpty();
            query["state"].ShouldNotBeNullOrEmpty();
            query["nonce"].ShouldNotBeNullOrEmpty();
            query["scope"]!.Split(' ').ShouldBe(["openid", "profile", "bund-laender-koordination"], ignoreOrder: true);
            new Uri(query["redirect_uri"]!).AbsolutePath.ShouldBe("/anmelden/oidc");
            query["max_age"].ShouldBeNull();
            query["acr_values"].ShouldBeNull();
            issuer.DiscoveryRequests.ShouldBeGreaterThan(0);

            // After a step-up refusal the provider is asked to authenticate the person again.
            var fresh = await host.Scenario(s => { s.Get.Url("/anmelden?handler=Oidc&ReturnUrl=%2Fpruefung&erneut=true"); s.StatusCodeShouldBe(302); });
            var freshQuery = HttpUtility.ParseQueryString(new Uri(fresh.Context.Response.Headers.Location.ToString()).Query);
            freshQuery["max_age"].ShouldBe("0");
            freshQuery["prompt"].ShouldBe("login");
            freshQuery["acr_values"].ShouldBe("urn:bund-laender:loa:substantial");

            // A callback this browser did not start signs nobody in.
            var forged = await host.Scenario(s =>
            {
                s.Get.Url("/anmelden/oidc?code=made-up&state=made-up");
                s.StatusCodeShouldBe(302);
            });
            forged.Context.Response.Headers.Location.ToString().ShouldEndWith("/anmelden?fehlgeschlagen=true");
            forged.Context.Response.Headers.SetCookie.ToString().ShouldNotContain("blk-session=");
        }
    }

    [Fact]
    public async Task Without_a_configured_client_the_sign_in_page_says_so_and_offers_no_challenge()
    {
        {
            await using var host = await app.StartHost("Production", settings: new Dictionary<string, string>
            {
                ["Identity:Issuer"] = "https://login.example.de/realms/bund-laender",
                ["Identity:Jwks"] = """{"keys":[]}""",
            });
            var page = await host.Scenario(s => { s.Get.Url("/anmelden"); s.StatusCodeShouldBe(200); });
            (await page.ReadAsTextAsync()).ShouldContain("Web:Oidc:ClientId");
            await host.Scenario(s => { s.Get.Url("/anmelden?handler=Oidc"); s.StatusCodeShouldBe(404); });
        }
    }

    /// <summary>An issuer's discovery document and (empty) key set over real HTTP on a free port, shaped like Keycloak's.</summary>
    private sealed class DiscoveryServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _discoveryRequests;

        private DiscoveryServer(WebApplication app) => _app = app;

        public string Authority { get; private set; } = "";
        public int DiscoveryRequests => _discoveryRequests;

        public static async Task<DiscoveryServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var server = new DiscoveryServer(app);
            app.MapGet("/realms/bund-laender/.well-known/openid-configuration", (HttpContext context) =>
            {
                Interlocked.Increment(ref server._discoveryRequests);
                var realm = server.Authority;
                return Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = realm,
                    ["authorization_endpoint"] = realm + "/protocol/openid-connect/auth",
                    ["token_endpoint"] = realm + "/protocol/openid-connect/token",
                    ["jwks_uri"] = realm + "/protocol/openid-connect/certs",
                    ["end_session_endpoint"] = realm + "/protocol/openid-connect/logout",
                    ["response_types_supported"] = new[] { "code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["code_challenge_methods_supported"] = new[] { "S256" },
                });
            });
            app.MapGet("/realms/bund-laender/protocol/openid-connect/certs", () => Results.Json(new { keys = Array.Empty<object>() }));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.Authority = address.TrimEnd('/') + "/realms/bund-laender";
            return server;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
