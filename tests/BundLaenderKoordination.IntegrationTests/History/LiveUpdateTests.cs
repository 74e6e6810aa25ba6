using System.Net.Http.Headers;
using System.Text.Json;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.IntegrationTests.Bodies;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.History;

[Collection(AppCollection.Name)]
public sealed class LiveUpdateTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private sealed record ServerSentEvent(long Id, TimelineEntry Entry);

    /// <summary>Reads events from an open SSE response until <paramref name="count"/> arrived (or the timeout).</summary>
    private static async Task<List<ServerSentEvent>> Read(StreamReader reader, int count, TimeSpan timeout)
    {
        var received = new List<ServerSentEvent>();
        using var cts = new CancellationTokenSource(timeout);
        long? id = null;
        while (received.Count < count)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..]);
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                received.Add(new ServerSentEvent(id!.Value, JsonSerializer.Deserialize<TimelineEntry>(line[6..], ApiClient.Json)!));
        }
        return received;
    }

    private async Task<(HttpResponseMessage Response, StreamReader Reader)> Connect(string url, string token, long? lastEventId = null)
    {
        var client = app.Host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId.Value.ToString());
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    [Fact]
    public async Task A_client_that_reconnects_with_Last_Event_ID_misses_nothing_and_sees_nothing_twice_while_writes_go_on()
    {
        var proposer = await Api.Representative("BB");
        var observer = await Api.Token("Beobachtung", null, "observer");
        var id = (await Api.Propose(proposer, "Live", "Ein Absatz.")).Id;

        // Writers keep commenting and voting the whole time.
        using var stop = new CancellationTokenSource();
        var writers = Task.Run(async () =>
        {
            var lands = ApiClient.AllLaender;
            for (var i = 0; !stop.IsCancellationRequested && i < 200; i++)
            {
                var token = await Api.Representative(lands[i % lands.Length]);
                Api.Expect(i % 2 == 0 ? await Api.Comment(id, token, $"Beitrag {i}") : await Api.Vote(id, token, i % 4 == 1 ? "yes" : "no", 1), i % 2 == 0 ? 201 : 200);
            }
        });

        var url = $"/api/resolutions/{id}/live";
        var (first, firstReader) = await Connect(url, observer);
        var before = await Read(firstReader, 5, TimeSpan.FromSeconds(30));
        first.Dispose(); // disconnect after entry k
        var k = before[^1].Id;

        var (second, secondReader) = await Connect(url, observer, lastEventId: k);
        var after = await Read(secondReader, 10, TimeSpan.FromSeconds(30));
        second.Dispose();
        await stop.CancelAsync();
        await writers;

        var ids = before.Concat(after).Select(e => e.Id).ToList();
        ids.ShouldBe(Enumerable.Range(1, ids.Count).Select(i => (long)i)); // 1..n: no gap, no duplicate
        after[0].Id.ShouldBe(k + 1);
        before.Concat(after).ShouldAllBe(e => e.Entry.Version == e.Id && e.Entry.ResolutionId == id);

        // The entries are the timeline's entries.
        var timeline = (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/timeline?pageSize=15", observer)).As<TimelinePage>();
        before.Concat(after).Select(e => (e.Entry.Kind, e.Entry.Text)).ShouldBe(timeline.Entries.Select(e => (e.Kind, e.Text)));
    }

    [Fact]
    public async Task A_body_stream_delivers_the_body_s_entries_in_commit_order_and_resumes_by_sequence()
    {
        var berlin = await Api.Representative("BE");
        var observer = await Api.Token("Beobachtung", null, "observer");
        var start = await app.EventCount();
        var (response, reader) = await Connect("/api/bodies/D16/live", observer, lastEventId: await LastSequence());

        var id = (await Api.Propose(berlin, "Körperschaft", "Text.")).Id;
        Api.Expect(await Api.Comment(id, berlin, "Eins"), 201);
        var received = await Read(reader, 2, TimeSpan.FromSeconds(30));
        response.Dispose();
        received.Select(e => (e.Entry.ResolutionId, e.Entry.Kind)).ShouldBe([(id, "resolution_proposed"), (id, "comment_added")]);
        received[1].Id.ShouldBeGreaterThan(received[0].Id);

        Api.Expect(await Api.Comment(id, berlin, "Zwei"), 201);
        var (again, againReader) = await Connect("/api/bodies/D16/live", observer, lastEventId: received[1].Id);
        var next = await Read(againReader, 1, TimeSpan.FromSeconds(30));
        again.Dispose();
        next.Single().Entry.Text.ShouldContain("kommentiert");
        next.Single().Entry.Version.ShouldBe(3);
        (await app.EventCount()).ShouldBe(start + 3);
    }

    [Fact]
    public async Task A_body_stream_resumed_with_Last_Event_ID_misses_and_repeats_no_body_session_request_or_resolution_entry_while_writes_go_on()
    {
        var admin = await Api.Admin();
        var code = BodyTests.NewCode();
        Api.Expect(await Api.Send(HttpMethod.Post, "/api/bodies", admin, BodyTests.Configuration(code, "unanimity")), 201);
        var chair = await Api.Chair();
        var observer = await Api.Token("Beobachtung", null, "observer");
        var lands = ApiClient.AllLaender;
        var resolution = (await Api.ProposeTo(code, await Api.Representative("NI"), "Gemischt", "Ein Absatz.")).Id;
        var scheduled = await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", chair,
            new { kind = "regular", format = "virtual", startsAt = "2027-06-01T10:00:00+02:00" });
        Api.Expect(scheduled, 201);
        var session = scheduled.Json["id"]!.GetValue<Guid>();
        var requested = await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/special-session-requests", await Api.Representative("NI"), new { reason = "Lage" });
        Api.Expect(requested, 201);
        var request = requested.Json["id"]!.GetValue<Guid>();

        // Writers keep changing the body, its sessions, the request and the resolution the whole time.
        using var stop = new CancellationTokenSource();
        var writers = Task.Run(async () =>
        {
            var bodyVersion = 1L;
            for (var i = 0; !stop.IsCancellationRequested && i < 120; i++)
            {
                var land = lands[i % lands.Length];
                switch (i % 6)
                {
                    case 0:
                        Api.Expect(await Api.Comment(resolution, await Api.Representative(land), $"Beitrag {i}"), 201);
                        break;
                    case 1:
                        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/agenda", chair, new { title = $"Punkt {i}" }), 200);
                        break;
                    case 2:
                        Api.Expect(await Api.Send(HttpMethod.Put, $"/api/bodies/{code}", admin,
                            BodyTests.Configuration(code, i % 4 == 0 ? "unanimity" : "atLeast", expectedVersion: bodyVersion)), 200);
                        bodyVersion++;
                        break;
                    case 3:
                        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", chair,
                            new { kind = "regular", format = "virtual", startsAt = $"2027-07-{i % 28 + 1:00}T10:00:00+02:00" }), 201);
                        break;
                    case 4 when i / 6 < 7 && land != "DE-NI":
                        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/special-session-requests/{request}/support", await Api.Representative(land)), 200);
                        break;
                    default:
                        Api.Expect(await Api.Vote(resolution, await Api.Representative(land), i % 2 == 0 ? "yes" : "no", 1), 200);
                        break;
                }
            }
        });

        var url = $"/api/bodies/{code}/live";
        var (first, firstReader) = await Connect(url, observer);
        var before = await Read(firstReader, 8, TimeSpan.FromSeconds(30));
        first.Dispose(); // disconnect after entry k
        var k = before[^1].Id;

        var (second, secondReader) = await Connect(url, observer, lastEventId: k);
        var after = await Read(secondReader, 16, TimeSpan.FromSeconds(60));
        second.Dispose();
        await stop.CancelAsync();
        await writers;

        var received = before.Concat(after).ToList();
        var timeline = (await Api.Send(HttpMethod.Get, $"/api/bodies/{code}/timeline?pageSize=500", observer)).As<TimelinePage>();
        // Exactly the body's entries from the first on, each once: no gap, no duplicate across the reconnection.
        received.Select(e => e.Id).ShouldBe(timeline.Entries.Take(received.Count).Select(e => e.Sequence));
        received.ShouldAllBe(e => e.Entry.Sequence == e.Id);
        received.Select(e => (e.Entry.Kind, e.Entry.Text)).ShouldBe(timeline.Entries.Take(received.Count).Select(e => (e.Kind, e.Text)));
        received.Select(e => e.Entry.Stream).Distinct().Order().ShouldBe(
            [TimelineStream.Resolution, TimelineStream.Body, TimelineStream.Session, TimelineStream.SpecialSessionRequest]);
        after.Select(e => e.Entry.Stream).Distinct().Count().ShouldBeGreaterThan(1); // the resumed part mixes streams too
    }

    private async Task<long> LastSequence()
    {
        await using var session = app.Store.QuerySession();
        var last = await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Take(1).ToListAsync();
        return last.Count == 0 ? 0 : last[0].Sequence;
    }

    [Fact]
    public async Task A_stream_of_an_unknown_resolution_is_404()
    {
        var observer = await Api.Token("Beobachtung", null, "observer");
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{Guid.NewGuid()}/live", observer)).Status.ShouldBe(404);
        (await Api.Send(HttpMethod.Get, "/api/bodies/XYZ/live", null)).Status.ShouldBe(401);
    }
}
