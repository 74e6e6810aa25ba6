using System.Security.Claims;
using System.Security.Cryptography;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

[Collection(AppCollection.Name)]
public sealed class TokenTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private static string Sign(SecurityKey key, string algorithm, string issuer, string audience, DateTime expires, string subject = "test:person",
        params Claim[] claims) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("name", "Test Person"), new Claim("role", "observer"), .. claims]),
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private SymmetricSecurityKey ServiceKey =>
        IdentitySetup.SigningKey(app.Host.Services.GetRequiredService<IConfiguration>()["Identity:SigningKey"]!);

    [Fact]
    public async Task A_token_with_the_right_key_audience_and_lifetime_is_accepted()
    {
        var token = Sign(ServiceKey, SecurityAlgorithms.HmacSha256, IdentitySetup.DevelopmentIssuer, IdentitySetup.Audience, DateTime.UtcNow.AddMinutes(30));
        (await Api.Send(HttpMethod.Get, "/api/resolutions", token)).Status.ShouldBe(200);
    }

    [Fact]
    public async Task A_token_with_a_forged_signature_is_401()
    {
        var forgedKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "development" };
        var token = Sign(forgedKey, SecurityAlgorithms.HmacSha256, IdentitySetup.DevelopmentIssuer, IdentitySetup.Audience, DateTime.UtcNow.AddMinutes(30));
        var response = await Api.Send(HttpMethod.Get, "/api/resolutions", token);
        response.Status.ShouldBe(401);
        response.ProblemType.ShouldBe("/problems/unauthenticated");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        var token = Sign(ServiceKey, SecurityAlgorithms.HmacSha256, IdentitySetup.DevelopmentIssuer, "some-other-service", DateTime.UtcNow.AddMinutes(30));
        (await Api.Send(HttpMethod.Get, "/api/resolutions", token)).Status.ShouldBe(401);
    }

    [Fact]
    public async Task A_token_of_another_issuer_is_401()
    {
        var token = Sign(ServiceKey, SecurityAlgorithms.HmacSha256, "https://elsewhere.example", IdentitySetup.Audience, DateTime.UtcNow.AddMinutes(30));
        (await Api.Send(HttpMethod.Get, "/api/resolutions", token)).Status.ShouldBe(401);
    }

    [Fact]
    public async Task An_expired_token_is_401_beyond_the_clock_skew()
    {
        var token = Sign(ServiceKey, SecurityAlgorithms.HmacSha256, IdentitySetup.DevelopmentIssuer, IdentitySetup.Audience, DateTime.UtcNow.AddMinutes(-5));
        (await Api.Send(HttpMethod.Get, "/api/resolutions", token)).Status.ShouldBe(401);
    }

    [Fact]
    public async Task An_unsigned_token_is_401()
    {
        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IdentitySetup.DevelopmentIssuer, Audience = IdentitySetup.Audience, Expires = DateTime.UtcNow.AddMinutes(30),
            Subject = new ClaimsIdentity([new Claim("sub", "test:person"), new Claim("role", "observer")]),
        });
        (await Api.Send(HttpMethod.Get, "/api/resolutions", unsigned)).Status.ShouldBe(401);
    }

    [Fact]
    public async Task Tokens_of_a_configured_issuer_are_checked_against_its_JWKS()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "realm-key-1" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "realm-key-1" });
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha256;
        var jwks = System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { jwk } });
        const string issuer = "https://login.example.de/realms/bund-laender";

        {
            await using var host = await app.StartHost("Production",
                settings: new Dictionary<string, string> { ["Identity:Issuer"] = issuer, ["Identity:Jwks"] = jwks });
            var api = new ApiClient(host);
            var valid = Sign(key, SecurityAlgorithms.RsaSha256, issuer, IdentitySetup.Audience, DateTime.UtcNow.AddMinutes(30), "3f1c2a9e-realm-user");
            (await api.Send(HttpMethod.Get, "/api/resolutions", valid)).Status.ShouldBe(200);

            using var other = RSA.Create(2048);
            var forged = Sign(new RsaSecurityKey(other) { KeyId = "realm-key-1" }, SecurityAlgorithms.RsaSha256, issuer, IdentitySetup.Audience,
                DateTime.UtcNow.AddMinutes(30));
            (await api.Send(HttpMethod.Get, "/api/resolutions", forged)).Status.ShouldBe(401);
            var wrongAudience = Sign(key, SecurityAlgorithms.RsaSha256, issuer, "account", DateTime.UtcNow.AddMinutes(30));
            (await api.Send(HttpMethod.Get, "/api/resolutions", wrongAudience)).Status.ShouldBe(401);
            var expired = Sign(key, SecurityAlgorithms.RsaSha256, issuer, IdentitySetup.Audience, DateTime.UtcNow.AddMinutes(-5));
            (await api.Send(HttpMethod.Get, "/api/resolutions", expired)).Status.ShouldBe(401);
            var developmentToken = await Api.Token("Beobachtung", null, "observer");
            (await api.Send(HttpMethod.Get, "/api/resolutions", developmentToken)).Status.ShouldBe(401);
        }
    }

    [Fact]
    public async Task A_token_cannot_claim_a_Land_or_a_representative_role()
    {
        var token = Sign(ServiceKey, SecurityAlgorithms.HmacSha256, IdentitySetup.DevelopmentIssuer, IdentitySetup.Audience, DateTime.UtcNow.AddMinutes(30),
            "test:self-declared", new Claim("land", "DE-HE"), new Claim("role", "representative"));
        var proposal = await Api.Propose(await Api.Representative("DE-BY"), "Beschluss", "Absatz eins.");
        var before = await app.StreamVersion(proposal.Id);

        var vote = await Api.Vote(proposal.Id, token, "yes", proposal.TextVersion);
        vote.Status.ShouldBe(403);
        (await app.StreamVersion(proposal.Id)).ShouldBe(before);
        var me = await Api.Send(HttpMethod.Get, "/api/me", token);
        me.Json["mandates"]!.AsArray().Count.ShouldBe(0);
    }
}
