using Alba;
using BundLaenderKoordination.Api.Web;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Hardening;

[Collection(AppCollection.Name)]
public sealed class ErrorsRedirectsAndProxiesTests(AppFixture app)
{
    [Fact]
    public async Task An_error_answer_keeps_the_security_headers()
    {
        // A fault in a page's services: the exception handler writes the 500 after clearing what was set before.
        await using var host = await app.StartHost("Development",
            services => services.AddScoped<UiLanguage>(_ => throw new InvalidOperationException("Injected fault")));
        var result = await host.Scenario(s =>
        {
            s.Get.Url("/anmelden");
            s.StatusCodeShouldBe(500);
        });
        var headers = result.Context.Response.Headers;
        headers.ContentSecurityPolicy.ToString().ShouldContain("frame-ancestors 'none'");
        headers.XFrameOptions.ToString().ShouldBe("DENY");
        headers.XContentTypeOptions.ToString().ShouldBe("nosniff");
    }

    [Theory]
    [InlineData("/%5Cx", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("%5C%5Cevil.example", "/")]
    [InlineData("/%5C%5Cevil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/%09/evil.example", "/")]
    [InlineData("%2Fbeschluesse%3Fseite%3D2", "/beschluesse?seite=2")]
    public async Task The_language_switch_returns_to_local_paths_only_and_never_fails(string back, string expected)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/sprache/en?zurueck=" + back);
            s.StatusCodeShouldBe(302);
        });
        result.Context.Response.Headers.Location.ToString().ShouldBe(expected);
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_configured_proxies()
    {
        await using (var host = await app.StartHost("Development",
                         settings: new Dictionary<string, string> { ["ForwardedHeaders:KnownProxies:0"] = "10.20.30.40" }))
        {
            (await LanguageCookie(host, "10.20.30.40")).ShouldContain("secure", Case.Insensitive);
            (await LanguageCookie(host, "10.99.99.99")).ShouldNotContain("secure", Case.Insensitive);
        }
        // Without configuration not even loopback (ASP.NET Core's default) is trusted.
        (await LanguageCookie(app.Host, "127.0.0.1")).ShouldNotContain("secure", Case.Insensitive);
    }

    private static async Task<string> LanguageCookie(IAlbaHost host, string from)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url("/sprache/de");
            s.WithRequestHeader("X-Forwarded-Proto", "https");
            s.WithRequestHeader("X-Forwarded-For", "203.0.113.7");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(from));
            s.StatusCodeShouldBe(302);
        });
        return result.Context.Response.Headers.SetCookie.ToString();
    }
}
