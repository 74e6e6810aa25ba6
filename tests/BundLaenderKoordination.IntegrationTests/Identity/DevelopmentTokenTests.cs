using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Api.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

[Collection(AppCollection.Name)]
public sealed class DevelopmentTokenTests(AppFixture app)
{
    [Fact]
    public async Task The_development_token_route_does_not_exist_outside_Development()
    {
        {
            await using var production = await app.StartHost("Production",
                settings: new Dictionary<string, string> { ["Identity:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });
            var api = new ApiClient(production);
            var request = new { name = "X", land = "BY", roles = new[] { "representative" } };
            var anonymous = await api.Send(HttpMethod.Post, "/api/dev/tokens", null, request);
            anonymous.Status.ShouldBe(404);
            anonymous.ProblemType.ShouldBe("/problems/not-found");

            // Nor does a caller with a valid token of that environment.
            var configuration = production.Services.GetRequiredService<IConfiguration>();
            var validThere = DevelopmentTokens.Issue(configuration, "Beobachtung", null, ["observer"], DateTimeOffset.UtcNow);
            (await api.Send(HttpMethod.Get, "/api/resolutions", validThere)).Status.ShouldBe(200);
            var response = await api.Send(HttpMethod.Post, "/api/dev/tokens", validThere, request);
            response.Status.ShouldBe(404);

            // A token signed with the development key is worthless there.
            var developmentToken = await app.Api.Representative("BY");
            (await api.Send(HttpMethod.Get, "/api/resolutions", developmentToken)).Status.ShouldBe(401);
        }
    }

    [Fact]
    public async Task The_service_reports_live_and_ready()
    {
        (await app.Api.Send(HttpMethod.Get, "/health/live", null)).Status.ShouldBe(200);
        var ready = await app.Api.Send(HttpMethod.Get, "/health/ready", null);
        ready.Status.ShouldBe(200);
        ready.Body.ShouldBe("Healthy");
        (await app.Api.Send(HttpMethod.Get, "/openapi/v1.json", null)).Body.ShouldContain("/api/resolutions/{id}/votes");
    }
}
