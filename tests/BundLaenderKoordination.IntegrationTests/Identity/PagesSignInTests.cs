using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Web;
using Alba;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Tests.Shared;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// The pages outside Development sign in through OpenID Connect at the API's issuer, here a real OpenID provider
/// (<see cref="OidcProvider"/>): the service reads its discovery document, sends the browser to the authorization
/// endpoint named there with the authorization code flow and PKCE, asks for a fresh authentication after a step-up
/// refusal, and signs nobody in on a callback it did not start. The whole sign-in in a browser: BrowserTests'
/// IdentityProviderSignInTests.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PagesSignInTests(AppFixture app)
{
    [Fact]
    public async Task The_pages_challenge_sends_the_browser_to_the_authorization_endpoint_of_the_configured_issuer()
    {
        await using var issuer = await OidcProvider.StartAsync();
        {
            var settings = issuer.ServiceSettings(pagesClientId: "blk-pages");
            settings["Identity:StepUp:AcrValues:0"] = OidcProvider.Substantial;
            await using var host = await app.StartHost("Production", settings: settings);

            // Not signed in: the pages send the person to their sign-in page, which offers the organisation's sign-in
            // and no development identities.
            var home = await host.Scenario(s => { s.Get.Url("/"); s.StatusCodeShouldBe(302); });
            new Uri(home.Context.Response.Headers.Location.ToString()).PathAndQuery.ShouldBe("/anmelden?ReturnUrl=%2F");
            var page = await host.Scenario(s => { s.Get.Url("/anmelden?ReturnUrl=%2Fpruefung"); s.StatusCodeShouldBe(200); });
            var html = await page.ReadAsTextAsync();
            html.ShouldContain("data-testid=\"oidc-sign-in\"");
            html.ShouldContain("/anmelden?handler=Oidc&amp;ReturnUrl=%2Fpruefung");
            html.ShouldNotContain("Schnellauswahl");
            // Signing out is a form whose answer leads to the provider: the content security policy lets forms go there.
            page.Context.Response.Headers.ContentSecurityPolicy.ToString().ShouldContain($"form-action 'self' {issuer.Issuer};");

            // The challenge: the service pushes the authorization request to the provider (PAR, which the provider's
            // discovery document offers) and sends the browser to the authorization endpoint with a reference to it.
            // The provider received the code flow with PKCE.
            await issuer.RegisterPagesClient("blk-pages", new Uri("http://localhost/"));
            var challenge = await host.Scenario(s => { s.Get.Url("/anmelden?handler=Oidc&ReturnUrl=%2Fpruefung"); s.StatusCodeShouldBe(302); });
            var location = new Uri(challenge.Context.Response.Headers.Location.ToString());
            var discovery = await new HttpClient().GetFromJsonAsync<JsonObject>(issuer.Issuer + "/.well-known/openid-configuration");
            location.GetLeftPart(UriPartial.Path).ShouldBe(discovery!["authorization_endpoint"]!.GetValue<string>());
            var query = HttpUtility.ParseQueryString(location.Query);
            query["client_id"].ShouldBe("blk-pages");
            query["request_uri"].ShouldNotBeNullOrEmpty();
            var pushed = (await issuer.Seen())["pushed"]!.AsArray().Last()!;
            pushed["client_id"]!.ToString().ShouldBe("blk-pages");
            pushed["response_type"]!.ToString().ShouldBe("code");
            pushed["code_challenge_method"]!.ToString().ShouldBe("S256");
            pushed["code_challenge"]!.ToString().ShouldNotBeNullOrEmpty();
            pushed["state"]!.ToString().ShouldNotBeNullOrEmpty();
            pushed["nonce"]!.ToString().ShouldNotBeNullOrEmpty();
            pushed["scope"]!.ToString().Split(' ').ShouldBe(["openid", "profile", "bund-laender-koordination"], ignoreOrder: true);
            new Uri(pushed["redirect_uri"]!.ToString()).AbsolutePath.ShouldBe("/anmelden/oidc");
            pushed["max_age"].ShouldBeNull();
            pushed["prompt"].ShouldBeNull();
            pushed["acr_values"].ShouldBeNull();

            // After a step-up refusal the provider is asked for a sign-in within the step-up window (15 minutes by
            // default), of an accepted kind, and to authenticate the person again.
            await host.Scenario(s => { s.Get.Url("/anmelden?handler=Oidc&ReturnUrl=%2Fpruefung&erneut=true"); s.StatusCodeShouldBe(302); });
            var fresh = (await issuer.Seen())["pushed"]!.AsArray().Last()!;
            fresh["max_age"]!.ToString().ShouldBe("900");
            fresh["prompt"]!.ToString().ShouldBe("login");
            fresh["acr_values"]!.ToString().ShouldBe(OidcProvider.Substantial);

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
}
