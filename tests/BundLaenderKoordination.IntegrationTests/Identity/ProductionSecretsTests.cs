using System.Security.Cryptography;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// Outside Development the service does not start with a signing key anyone could know or guess: with it, a forged
/// administrator's or auditor's token would be honoured. It says why.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ProductionSecretsTests(AppFixture app)
{
    private async Task<string> StartupRefusal(string signingKey)
    {
        var exception = await Should.ThrowAsync<Exception>(async () =>
        {
            await using var host = await app.StartHost("Production", settings: new Dictionary<string, string> { ["Identity:SigningKey"] = signingKey });
        });
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException) messages.Add(e.Message);
        return string.Join(" | ", messages);
    }

    [Fact]
    public void The_refused_development_key_is_the_one_the_development_settings_ship_with()
    {
        app.Host.Services.GetRequiredService<IConfiguration>()["Identity:SigningKey"].ShouldBe(IdentitySetup.DevelopmentSigningKey);
    }

    [Fact]
    public async Task Production_does_not_start_with_the_published_development_signing_key()
    {
        var message = await StartupRefusal(IdentitySetup.DevelopmentSigningKey);
        message.ShouldContain("Identity:SigningKey is the development signing key");
        message.ShouldContain("openssl rand -base64 32");
    }

    [Fact]
    public async Task Production_does_not_start_with_a_symmetric_key_under_256_bits_or_one_that_is_not_random()
    {
        (await StartupRefusal(Convert.ToBase64String(RandomNumberGenerator.GetBytes(31)))).ShouldContain("has 248 bits; at least 256");
        (await StartupRefusal(Convert.ToBase64String(new byte[64]))).ShouldContain("is not a random key");
        (await StartupRefusal("not base64!")).ShouldContain("Identity:SigningKey is not base64");
    }

    [Fact]
    public async Task Production_starts_with_a_random_key_of_256_bits()
    {
        await using var host = await app.StartHost("Production",
            settings: new Dictionary<string, string> { ["Identity:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        (await new ApiClient(host).Send(HttpMethod.Get, "/health/live", null)).Status.ShouldBe(200);
    }
}
