using Alba;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Web;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>The pages' session lives on the server: signing out ends it for every copy of the cookie, on every node.</summary>
[Collection(AppCollection.Name)]
public sealed class WebSessionTests(AppFixture app)
{
    [Fact]
    public async Task Signing_out_ends_the_session_also_for_a_copy_of_the_cookie()
    {
        var cookie = await SignIn(app.Host, await app.Api.Representative("DE-HB"));
        var copy = cookie;
        (await SignedInAs(app.Host, copy)).ShouldBe(ApiClient.PersonId("Vertretung DE-HB"));

        // The sign-out page's form, with the antiforgery token the page would have rendered for this person.
        var (form, antiforgery) = await AntiforgeryFor(app.Host, cookie);
        var signOut = await app.Host.Scenario(s =>
        {
            s.Post.FormData(new Dictionary<string, string> { ["__RequestVerificationToken"] = form }).ToUrl("/abmelden");
            s.WithRequestHeader("Cookie", $"{cookie}; {antiforgery}");
            s.StatusCodeShouldBe(302);
        });
        signOut.Context.Response.Headers.Location.ToString().ShouldBe(WebUi.SignInPath);

        (await SignedInAs(app.Host, copy)).ShouldBeNull();
        var page = await app.Host.Scenario(s =>
        {
            s.Get.Url("/");
            s.WithRequestHeader("Cookie", copy);
            s.StatusCodeShouldBe(302);
        });
        new Uri(page.Context.Response.Headers.Location.ToString()).AbsolutePath.ShouldBe(WebUi.SignInPath);
    }

    [Fact]
    public async Task A_session_works_on_every_node_and_the_shared_keys_are_stored_encrypted()
    {
        var cookie = await SignIn(app.Host, await app.Api.Representative("DE-SH"));
        // Another node on the same database; it serves requests and runs no projection shard (the fixture's host does).
        await using (var otherNode = await app.StartHost("Development",
                         settings: new Dictionary<string, string> { ["Marten:Schema"] = "blk", ["Projections:Run"] = "false" }))
            (await SignedInAs(otherNode, cookie)).ShouldBe(ApiClient.PersonId("Vertretung DE-SH"));

        await using var session = app.Store.QuerySession();
        var keys = await session.Query<DataProtectionKey>().ToListAsync();
        keys.ShouldNotBeEmpty();
        foreach (var key in keys)
        {
            key.Xml.ShouldContain("EncryptedData");
            key.Xml.ShouldNotContain("<value>");
        }
        // The session row holds the claims and the API token encrypted, not readable from the database.
        var sessions = await session.Query<WebSession>().ToListAsync();
        sessions.ShouldNotBeEmpty();
        sessions.ShouldAllBe(s => !System.Text.Encoding.UTF8.GetString(s.Ticket).Contains("DE-SH"));
    }

    /// <summary>Who the pages' cookie handler (with the session store) takes the bearer of <paramref name="cookie"/> to be.</summary>
    private static async Task<string?> SignedInAs(IAlbaHost host, string cookie)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var context = Context(scope.ServiceProvider, cookie);
        var result = await context.AuthenticateAsync(WebUi.CookieScheme);
        return result.Succeeded ? result.Principal!.FindFirst("sub")?.Value : null;
    }

    private static async Task<(string Form, string Cookie)> AntiforgeryFor(IAlbaHost host, string cookie)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var context = Context(scope.ServiceProvider, cookie);
        context.User = (await context.AuthenticateAsync(WebUi.CookieScheme)).Principal!;
        var tokens = scope.ServiceProvider.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return (tokens.RequestToken!, Cookie(context.Response.Headers.SetCookie, "blk-antiforgery"));
    }

    private static DefaultHttpContext Context(IServiceProvider services, string? cookie = null)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        if (cookie is not null) context.Request.Headers.Cookie = cookie;
        return context;
    }

    /// <summary>Signs in as the pages do after a sign-in (the cookie handler with the session store), returns the cookie.</summary>
    private static async Task<string> SignIn(IAlbaHost host, string token)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var context = Context(scope.ServiceProvider);
        await WebUi.SignInWithToken(context, token);
        return Cookie(context.Response.Headers.SetCookie, "blk-session");
    }

    private static string Cookie(Microsoft.Extensions.Primitives.StringValues setCookie, string name) =>
        setCookie.Select(c => c!.Split(';')[0]).Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));
}
