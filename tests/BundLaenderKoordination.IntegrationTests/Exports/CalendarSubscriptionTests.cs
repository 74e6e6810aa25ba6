using System.Text.Json;
using BundLaenderKoordination.Api.Exports;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Exports;

/// <summary>
/// Secret calendar addresses: a calendar program fetches them without a token; they show what their owner may see,
/// and stop answering (404) when revoked or when the owner's mandate in the body ends.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CalendarSubscriptionTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<(int Status, string? ContentType, string Text)> Fetch(string path, string? token = null)
    {
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_secret_address_serves_the_owners_calendar_without_a_token_until_revoked_or_the_mandate_ends()
    {
        var name = "Kalender Abo " + Guid.NewGuid().ToString("N")[..6];
        var personId = ApiClient.PersonId(name);
        var person = await Api.Token(name, null);
        var first = await Api.Admin("Verwaltung A");
        var second = await Api.Admin("Verwaltung B");
        Api.Expect(await Api.GrantMandate(first, personId, name, "DE-SN", "representative"), 201);
        Api.Expect(await Api.ApproveMandate(second, personId), 200);
        var scheduled = await Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", await Api.Chair(),
            new { kind = "regular", format = "virtual", startsAt = "2027-05-05T10:00:00+02:00" });
        Api.Expect(scheduled, 201);
        var session = scheduled.Json["id"]!.GetValue<Guid>();
        await app.ProjectionsCaughtUp();

        var created = await Api.Send(HttpMethod.Post, "/api/bodies/D16/calendar/subscriptions", person);
        Api.Expect(created, 201);
        var subscription = created.Json.Deserialize<CalendarSubscriptionCreated>(ApiClient.Json)!;
        subscription.Body.ShouldBe("D16");
        subscription.Path.ShouldStartWith(CalendarSubscriptions.FeedPrefix);
        subscription.Url.ShouldEndWith(subscription.Path);
        var secret = subscription.Path[CalendarSubscriptions.FeedPrefix.Length..];
        secret.Length.ShouldBe(43);

        // Without a token, as a calendar program asks: the same entries as the owner's own calendar of the body.
        var feed = await Fetch(subscription.Path);
        feed.Status.ShouldBe(200, feed.Text);
        feed.ContentType!.ShouldStartWith("text/calendar");
        var calendar = Ical.Net.Calendar.Load(feed.Text)!;
        calendar.Events.Select(e => e.Uid).ShouldContain(CalendarFeed.SessionUid(session));
        var own = Ical.Net.Calendar.Load((await Fetch("/api/bodies/D16/calendar/ics", person)).Text)!;
        calendar.Events.Select(e => e.Uid).Order().ShouldBe(own.Events.Select(e => e.Uid).Order());

        // Only the secret's hash is stored.
        await using (var query = app.Store.QuerySession())
        {
            var stored = await query.LoadAsync<CalendarSubscription>(subscription.Id);
            stored!.TokenHash.ShouldBe(CalendarSubscriptions.Hash(secret));
            stored.PersonId.ShouldBe(personId);
            JsonSerializer.Serialize(stored).ShouldNotContain(secret);
        }
        var listed = await Api.Send(HttpMethod.Get, "/api/calendar/subscriptions", person);
        Api.Expect(listed, 200);
        listed.Body.ShouldContain(subscription.Id.ToString());
        listed.Body.ShouldNotContain(secret);

        // Someone else cannot revoke it; an address that was never handed out is unknown.
        (await Api.Send(HttpMethod.Delete, $"/api/calendar/subscriptions/{subscription.Id}", await Api.Representative("DE-BY"))).Status.ShouldBe(404);
        (await Fetch(subscription.Path)).Status.ShouldBe(200);
        (await Fetch(CalendarSubscriptions.FeedPrefix + CalendarSubscriptions.NewToken())).Status.ShouldBe(404);

        // Revoked by its owner: 404 from then on; another address of the owner still answers.
        var other = (await Api.Send(HttpMethod.Post, "/api/bodies/D16/calendar/subscriptions", person)).Json.Deserialize<CalendarSubscriptionCreated>(ApiClient.Json)!;
        Api.Expect(await Api.Send(HttpMethod.Delete, $"/api/calendar/subscriptions/{subscription.Id}", person), 204);
        (await Fetch(subscription.Path)).Status.ShouldBe(404);
        var still = await Fetch(other.Path);
        still.Status.ShouldBe(200);
        Ical.Net.Calendar.Load(still.Text)!.Events.ShouldNotBeEmpty();

        // The owner's mandate ends: the address stops answering, though it was never revoked.
        var revocation = $"/api/bodies/D16/mandates/{Uri.EscapeDataString(personId)}/revocation";
        Api.Expect(await Api.Send(HttpMethod.Post, revocation, first, new { reason = "Wechsel" }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, revocation + "/confirmation", second), 204);
        (await Fetch(other.Path)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Only_a_member_of_the_body_gets_an_address_and_an_unknown_body_is_404()
    {
        var observer = await Api.Token("Kalender Beobachtung", null, "observer");
        var refused = await Api.Send(HttpMethod.Post, "/api/bodies/D16/calendar/subscriptions", observer);
        refused.Status.ShouldBe(403);
        refused.ProblemType.ShouldBe("/problems/forbidden");
        (await Api.Send(HttpMethod.Post, "/api/bodies/NOPE/calendar/subscriptions", await Api.Representative("DE-BY"))).Status.ShouldBe(404);
        (await Api.Send(HttpMethod.Post, "/api/bodies/D16/calendar/subscriptions", null)).Status.ShouldBe(401);
    }
}
