using Alba;
using BundLaenderKoordination.IntegrationTests.Bodies;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Sessions;

/// <summary>A clock the test moves forward; it starts at the real time so that tokens issued before a move stay valid.</summary>
public sealed class MovableClock : TimeProvider
{
    private TimeSpan _offset;
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
    public void Advance(TimeSpan by) => _offset += by;
}

[Collection(AppCollection.Name)]
public sealed class HandoverTests(AppFixture app)
{
    [Fact]
    public async Task The_chair_passes_to_the_next_Land_on_the_handover_date_by_itself()
    {
        var clock = new MovableClock();
        await using var host = await app.StartHost("Development", services => services.AddSingleton<TimeProvider>(clock));
        var api = new ApiClient(host);
        var admin = await api.Admin();
        var code = BodyTests.NewCode();
        var tomorrow = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
        api.Expect(await api.Send(HttpMethod.Post, "/api/bodies", admin,
            BodyTests.Configuration(code, "unanimity", chair: "BY", handoverLand: "HE", handoverFrom: tomorrow.ToString("yyyy-MM-dd"))), 201);

        // Development tokens record chair mandates in the bodies that exist when they are issued.
        var bayern = await api.Chair("BY");
        var hessen = await api.Chair("HE");
        var before = await api.Body(code, admin);
        before["chair"]!["land"]!.GetValue<string>().ShouldBe("DE-BY");
        before["nextHandover"]!["land"]!.GetValue<string>().ShouldBe("DE-HE");
        var session = new { kind = "regular", format = "virtual", startsAt = "2031-01-15T10:00:00Z" };
        (await api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", hessen, session)).Status.ShouldBe(403);
        api.Expect(await api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", bayern, session), 201);

        clock.Advance(TimeSpan.FromDays(1));

        var after = await api.Body(code, admin);
        after["chair"]!["land"]!.GetValue<string>().ShouldBe("DE-HE");
        after["chair"]!["since"]!.GetValue<string>().ShouldBe(tomorrow.ToString("yyyy-MM-dd"));
        (await api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", bayern, session)).Status.ShouldBe(403);
        api.Expect(await api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", hessen, session), 201);
    }
}
