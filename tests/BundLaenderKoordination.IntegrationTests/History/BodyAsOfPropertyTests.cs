using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.IntegrationTests.Bodies;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using CsCheck;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.History;

[Collection(AppCollection.Name)]
public sealed class BodyAsOfPropertyTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private enum Step { Configure, Schedule, AddAgendaItem, Open, RecordAttendance, Close, RequestSpecialSession, Support, Propose }

    [Fact]
    public async Task For_random_valid_commands_the_body_as_of_every_step_equals_the_live_body_read_right_after_it()
    {
        var steps = Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 15], Gen.Int[0, 1_000_000]).Array[4, 14];
        var observer = await Api.Token("Prüfung der Gremienhistorie", null, "observer");

        await steps.SampleAsync(async sequence =>
        {
            var admin = await Api.Admin();
            var code = BodyTests.NewCode();
            Api.Expect(await Api.Send(HttpMethod.Post, "/api/bodies", admin, BodyTests.Configuration(code, "unanimity")), 201);
            var chair = await Api.Chair();
            var bodyVersion = 1L;
            var sessions = new List<(Guid Id, string Status)>();
            var requests = new List<Guid>();
            // After each step that wrote: the instant of its event, the body's own version, and the live read right then.
            var seen = new List<(DateTimeOffset At, long? BodyVersion, string Live)>();
            var lastSequence = 0L;

            var n = 0;
            foreach (var (step, landIndex, seed) in sequence)
            {
                n++;
                var land = ApiClient.AllLaender[landIndex];
                var open = sessions.Where(s => s.Status == "open").ToList();
                var notClosed = sessions.Where(s => s.Status != "closed").ToList();
                var scheduledOnly = sessions.Where(s => s.Status == "scheduled").ToList();
                var response = step switch
                {
                    Step.Configure => await Api.Send(HttpMethod.Put, $"/api/bodies/{code}", admin, BodyTests.Configuration(code,
                        seed % 2 == 0 ? "unanimity" : "atLeast", expectedVersion: bodyVersion,
                        handoverLand: seed % 3 == 0 ? null : ApiClient.AllLaender[seed % 16], handoverFrom: $"{2030 + seed % 5}-01-01")),
                    Step.AddAgendaItem when notClosed.Count > 0 => await Api.Send(HttpMethod.Post, $"/api/sessions/{notClosed[seed % notClosed.Count].Id}/agenda",
                        chair, new { title = $"Punkt {seed}" }),
                    Step.Open when scheduledOnly.Count > 0 => await Api.Send(HttpMethod.Post, $"/api/sessions/{scheduledOnly[seed % scheduledOnly.Count].Id}/opening", chair),
                    Step.RecordAttendance when open.Count > 0 => await Api.Send(HttpMethod.Post, $"/api/sessions/{open[seed % open.Count].Id}/attendance", chair,
                        new { present = ApiClient.AllLaender.Where((_, i) => (seed >> i) % 2 == 1 || i == landIndex) }),
                    Step.Close when open.Count > 0 => await Api.Send(HttpMethod.Post, $"/api/sessions/{open[seed % open.Count].Id}/closing", chair),
                    Step.RequestSpecialSession => await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/special-session-requests",
                        await Api.Representative(land), new { reason = $"Anlass {seed}" }),
                    Step.Support when requests.Count > 0 => await Api.Send(HttpMethod.Post, $"/api/special-session-requests/{requests[seed % requests.Count]}/support",
                        await Api.Representative(land)),
                    Step.Propose => await Api.Send(HttpMethod.Post, "/api/resolutions", await Api.Representative(land),
                        new { body = code, title = $"Vorlage {seed}", paragraphs = new[] { "Ein Absatz." } }),
                    // Schedule, and any step that has nothing to act on yet.
                    _ => await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", chair,
                        new { kind = "regular", format = "virtual", startsAt = new DateTimeOffset(2027, 1, 1, 10, 0, 0, TimeSpan.Zero).AddDays(n * 7 + seed % 5).ToString("O") }),
                };
                if (response.Status == 409 && step == Step.Support) continue; // convened already: the request takes no more support
                response.Status.ShouldBeOneOf([200, 201], response.Body);

                var written = response.Json;
                if (step == Step.Configure) bodyVersion++;
                if (written["present"] is not null && written["status"]?.GetValue<string>() is { } status && written["id"]?.GetValue<Guid>() is { } sessionId)
                {
                    sessions.RemoveAll(s => s.Id == sessionId);
                    sessions.Add((sessionId, status));
                }
                if (step == Step.RequestSpecialSession) requests.Add(written["id"]!.GetValue<Guid>());

                var timeline = (await Api.Send(HttpMethod.Get, $"/api/bodies/{code}/timeline?pageSize=500", observer)).As<TimelinePage>();
                var last = timeline.Entries[^1];
                if (last.Sequence == lastSequence) continue; // the command changed nothing
                lastSequence = last.Sequence;
                var live = (await Api.Body(code, observer)).ToJsonString();
                seen.Add((last.RecordedAt, last.Stream == TimelineStream.Body ? last.Version : null, live));
            }

            foreach (var (at, bodyAt, live) in seen)
            {
                (await Api.Body(code, observer, "?at=" + Uri.EscapeDataString(at.ToString("O")))).ToJsonString().ShouldBe(live, $"as of {at:O}");
                if (bodyAt is { } version)
                    (await Api.Body(code, observer, $"?version={version}")).ToJsonString().ShouldBe(live, $"as of body version {version}");
            }
        }, iter: 5, threads: 1);
    }
}
