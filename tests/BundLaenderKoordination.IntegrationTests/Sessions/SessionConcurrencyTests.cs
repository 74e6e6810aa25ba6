using BundLaenderKoordination.Api.Sessions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Sessions;

/// <summary>
/// Commands that commute on one stream (supports of different Länder, attendance records, agenda items) queue on the
/// stream's lock: none of them is lost to a race, and what follows from their sum (convening) happens exactly once.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SessionConcurrencyTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<Guid> Request(string land)
    {
        var requested = await Api.Send(HttpMethod.Post, "/api/bodies/D16/special-session-requests", await Api.Representative(land), new { reason = "Lage" });
        Api.Expect(requested, 201);
        return requested.Json["id"]!.GetValue<Guid>();
    }

    private async Task<int> Convenings(Guid request)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(request)).Count(e => e.Data is SpecialSessionConvened);
    }

    [Fact]
    public async Task Concurrent_supports_of_the_Laender_making_the_majority_all_land_and_convene_the_session_once()
    {
        var laender = ApiClient.AllLaender;
        var request = await Request(laender[0]);
        var tokens = await Task.WhenAll(laender.Skip(1).Take(8).Select(Api.Representative));

        var responses = await Task.WhenAll(tokens.Select(token =>
            Task.Run(() => Api.Send(HttpMethod.Post, $"/api/special-session-requests/{request}/support", token))));

        responses.ShouldAllBe(r => r.Status == 200);
        responses.Count(r => r.Json["convened"]!.GetValue<bool>()).ShouldBe(1);
        (await Convenings(request)).ShouldBe(1);
        (await app.StreamVersion(request)).ShouldBe(10);
        var read = (await Api.Send(HttpMethod.Get, $"/api/special-session-requests/{request}", await Api.Token("Archiv", null, "observer"))).Json;
        read["supporters"]!.AsArray().Count.ShouldBe(9);
        read["convened"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Of_more_concurrent_supports_than_the_majority_needs_the_late_ones_find_the_session_convened()
    {
        var laender = ApiClient.AllLaender;
        var request = await Request(laender[0]);
        var tokens = await Task.WhenAll(laender.Skip(1).Select(Api.Representative));

        var responses = await Task.WhenAll(tokens.Select(token =>
            Task.Run(() => Api.Send(HttpMethod.Post, $"/api/special-session-requests/{request}/support", token))));

        responses.Count(r => r.Status == 200).ShouldBe(8);
        responses.Where(r => r.Status != 200).ShouldAllBe(r => r.Status == 409 && r.ProblemType == "/problems/session-state");
        (await Convenings(request)).ShouldBe(1);
        (await app.StreamVersion(request)).ShouldBe(10);
    }

    [Fact]
    public async Task Concurrent_agenda_items_and_attendance_records_of_an_open_session_all_land()
    {
        var chair = await Api.Chair();
        var scheduled = await Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "regular", format = "virtual", startsAt = "2027-03-03T10:00:00+01:00" });
        Api.Expect(scheduled, 201);
        var id = scheduled.Json["id"]!.GetValue<Guid>();
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{id}/opening", chair), 200);

        var items = await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            Task.Run(() => Api.Send(HttpMethod.Post, $"/api/sessions/{id}/agenda", chair, new { title = $"Punkt {i}" }))));
        var records = await Task.WhenAll(ApiClient.AllLaender.Take(6).Select(land =>
            Task.Run(() => Api.Send(HttpMethod.Post, $"/api/sessions/{id}/attendance", chair, new { present = new[] { land } }))));

        items.ShouldAllBe(r => r.Status == 200);
        records.ShouldAllBe(r => r.Status == 200);
        (await app.StreamVersion(id)).ShouldBe(2 + 6 + 6);
        var read = (await Api.Send(HttpMethod.Get, $"/api/sessions/{id}", await Api.Admin())).Json;
        read["agenda"]!.AsArray().Select(i => i!["number"]!.GetValue<int>()).Order().ShouldBe([1, 2, 3, 4, 5, 6]);
        read["session"]!["present"]!.AsArray().Count.ShouldBe(1);
    }
}
