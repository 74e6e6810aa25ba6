using System.Text.Json.Nodes;
using Alba;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Tests.Shared;
using Microsoft.IdentityModel.JsonWebTokens;
using Shouldly;
using People = BundLaenderKoordination.Tests.Shared.OidcProvider.People;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// The API against a real OpenID provider (oidc-provider, OpenID Certified; <see cref="OidcProvider"/>) as production
/// runs it: the service is given the issuer (<c>Identity:Authority</c>) and nothing else, finds the keys through the
/// discovery document and follows the provider's key rotation without a restart. People sign in at the provider with the
/// authorization code flow and PKCE; the access tokens they get are what the service judges.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class IdentityProviderTests(AppFixture app)
{
    private const string Resolutions = "/api/resolutions";

    private Task<IAlbaHost> Service(OidcProvider provider, Dictionary<string, string>? more = null)
    {
        var settings = provider.ServiceSettings();
        // Identity is under test here, not signed acts (SignedActTests): D16's votes are taken unsigned.
        settings["Signing:Enforce"] = "false";
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return app.StartHost("Production", settings: settings);
    }

    private static string Kid(string token) => new JsonWebToken(token).Kid;

    [Fact]
    public async Task The_providers_tokens_are_accepted_and_its_Land_claim_grants_nothing_until_two_administrators_grant_a_mandate()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var host = await Service(provider);
        var api = new ApiClient(host);

        var observer = await provider.AccessToken(People.Observer);
        (await api.Send(HttpMethod.Get, Resolutions, observer)).Status.ShouldBe(200);
        var me = await api.Send(HttpMethod.Get, "/api/me", observer);
        me.Status.ShouldBe(200, me.Body);
        me.Body.ShouldContain(People.Observer.Sub);

        // The provider says the delegate acts for Bavaria (land: DE-BY, role: representative): that grants nothing.
        var delegateToken = await provider.AccessToken(People.BavarianDelegate);
        var claims = new JsonWebToken(delegateToken);
        claims.GetClaim("land").Value.ShouldBe("DE-BY");
        claims.GetClaim("role").Value.ShouldBe("representative");
        (await api.Send(HttpMethod.Get, "/api/me", delegateToken)).Json["mandates"]!.AsArray().ShouldBeEmpty();
        var refused = await api.Send(HttpMethod.Post, Resolutions, delegateToken,
            new { body = "D16", title = "Beschluss ohne Mandat", paragraphs = new[] { "Absatz eins." } });
        refused.Status.ShouldBe(403, refused.Body);

        // Two administrators, both signed in at the provider, grant and approve the mandate: from then on the same token acts for Bavaria.
        var adminA = await provider.AccessToken(People.AdministratorA);
        var adminB = await provider.AccessToken(People.AdministratorB);
        (await api.GrantMandate(adminA, People.BavarianDelegate.Sub, People.BavarianDelegate.Name, "DE-BY", "representative")).Status.ShouldBe(201);
        (await api.ApproveMandate(adminB, People.BavarianDelegate.Sub)).Status.ShouldBe(200);
        var proposal = await api.Propose(delegateToken, "Beschluss mit Mandat", "Absatz eins.");
        var vote = await api.Vote(proposal.Id, delegateToken, "yes", proposal.TextVersion);
        vote.Status.ShouldBe(200, vote.Body);
    }

    [Fact]
    public async Task After_the_provider_rotates_its_key_new_tokens_are_accepted_at_once_and_tokens_of_a_removed_key_are_refused()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var host = await Service(provider, new() { [BundLaenderKoordination.Api.Identity.IdentitySetup.KeyRefreshKey] = "1" });
        var api = new ApiClient(host);

        var first = await provider.AccessToken(People.Observer);
        (await api.Send(HttpMethod.Get, Resolutions, first)).Status.ShouldBe(200);

        // A new key signs; the old one is still published. The first token of the new key is accepted without a
        // restart: the service fetches the JWKS again when a token names a key it does not know (at most every
        // Identity:KeyRefreshSeconds, 1 s here, counted from the last fetch). Usually that is the token's first request;
        // on a busy machine the fetch may fall just inside the limit, so a few seconds are allowed.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var kids = await provider.RotateKeys();
        var second = await provider.AccessToken(People.Observer);
        Kid(second).ShouldBe(kids[0]);
        Kid(second).ShouldNotBe(Kid(first));
        (await AcceptedWithin(api, second)).ShouldBe(200);
        (await api.Send(HttpMethod.Get, Resolutions, first)).Status.ShouldBe(200);

        // Another rotation, and the provider removes every older key. The next new key makes the service fetch the
        // JWKS again, which no longer has the removed keys: their tokens open nothing from then on.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await provider.RotateKeys();
        (await provider.RetireOldKeys()).Length.ShouldBe(1);
        var third = await provider.AccessToken(People.Observer);
        (await AcceptedWithin(api, third)).ShouldBe(200);
        var removed = await api.Send(HttpMethod.Get, Resolutions, first);
        removed.Status.ShouldBe(401);
        removed.ProblemType.ShouldBe("/problems/unauthenticated");
        (await api.Send(HttpMethod.Get, Resolutions, second)).Status.ShouldBe(401);
    }

    /// <summary>The status of reading the resolutions with the token, asked again for up to 5 s until it is 200.</summary>
    private static async Task<int> AcceptedWithin(ApiClient api, string token)
    {
        var status = 0;
        for (var attempt = 0; attempt < 20 && status != 200; attempt++)
        {
            if (attempt > 0) await Task.Delay(250);
            status = (await api.Send(HttpMethod.Get, Resolutions, token)).Status;
        }
        return status;
    }

    [Fact]
    public async Task A_token_for_another_audience_or_from_another_issuer_is_refused()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var elsewhere = await OidcProvider.StartAsync();
        await using var host = await Service(provider);
        var api = new ApiClient(host);

        // The same provider, the same person, a token for another service (resource indicator): not for this one.
        var otherAudience = await provider.AccessToken(People.Observer, resource: "urn:another-service");
        new JsonWebToken(otherAudience).Audiences.ShouldBe(["another-service"]);
        (await api.Send(HttpMethod.Get, Resolutions, otherAudience)).Status.ShouldBe(401);

        // Another provider, with its own issuer and keys, issuing for this service's audience: not trusted.
        var otherIssuer = await elsewhere.AccessToken(People.Observer);
        new JsonWebToken(otherIssuer).Audiences.ShouldBe([OidcProvider.Audience]);
        (await api.Send(HttpMethod.Get, Resolutions, otherIssuer)).Status.ShouldBe(401);

        (await api.Send(HttpMethod.Get, Resolutions, await provider.AccessToken(People.Observer))).Status.ShouldBe(200);
    }

    [Fact]
    public async Task An_expired_token_is_accepted_within_the_configured_clock_skew_and_refused_beyond_it()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var host = await Service(provider, new() { [BundLaenderKoordination.Api.Identity.IdentitySetup.ClockSkewKey] = "10" });
        var api = new ApiClient(host);

        // blk-tests-short gets access tokens that live 2 seconds.
        var token = new JsonWebToken(await provider.AccessToken(People.Observer, clientId: "blk-tests-short"));
        (token.ValidTo - token.IssuedAt).ShouldBe(TimeSpan.FromSeconds(2));
        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);

        await Until(expires.AddSeconds(1));
        (await api.Send(HttpMethod.Get, Resolutions, token.EncodedToken)).Status.ShouldBe(200, "expired a second ago, within a skew of 10 s");
        await Until(expires.AddSeconds(11));
        (await api.Send(HttpMethod.Get, Resolutions, token.EncodedToken)).Status.ShouldBe(401, "expired 11 s ago, beyond a skew of 10 s");
    }

    private static async Task Until(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }
}
