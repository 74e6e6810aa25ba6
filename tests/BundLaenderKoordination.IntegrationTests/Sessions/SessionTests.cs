using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Sessions;

[Collection(AppCollection.Name)]
public sealed class SessionTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task Refused(Func<Task<Response>> act, int status, string problemType)
    {
        var before = await app.EventCount();
        var response = await act();
        response.Status.ShouldBe(status, response.Body);
        response.ProblemType.ShouldBe(problemType);
        (await app.EventCount()).ShouldBe(before);
    }

    private async Task<Response> Support(Guid request, string land) =>
        await Api.Send(HttpMethod.Post, $"/api/special-session-requests/{request}/support", await Api.Representative(land));

    [Fact]
    public async Task A_special_session_is_convened_by_the_9th_supporting_Land_and_then_scheduled_by_the_chair()
    {
        var laender = ApiClient.AllLaender;
        var requested = await Api.Send(HttpMethod.Post, "/api/bodies/D16/special-session-requests", await Api.Representative(laender[0]),
            new { reason = "Aktuelle Lage nach dem Cyberangriff auf Landesverwaltungen" });
        Api.Expect(requested, 201);
        var request = requested.Json["id"]!.GetValue<Guid>();

        foreach (var land in laender.Skip(1).Take(7))
        {
            var supported = await Support(request, land);
            Api.Expect(supported, 200);
            supported.Json["convened"]!.GetValue<bool>().ShouldBeFalse();
        }
        var observer = await Api.Token("Archiv", null, "observer");
        var eight = (await Api.Send(HttpMethod.Get, $"/api/special-session-requests/{request}", observer)).Json;
        eight["supporters"]!.AsArray().Count.ShouldBe(8);
        eight["convened"]!.GetValue<bool>().ShouldBeFalse();
        var listed = (await Api.Send(HttpMethod.Get, "/api/bodies/D16/special-session-requests", observer)).Json.AsArray();
        listed.Single(r => r!["id"]!.GetValue<Guid>() == request)!["supporters"]!.AsArray().Count.ShouldBe(8);
        Api.Expect(await Api.Send(HttpMethod.Get, "/api/bodies/NOPE/special-session-requests", observer), 404);

        // Not yet convened: the chair cannot schedule it.
        var chair = await Api.Chair();
        await Refused(() => Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "special", format = "virtual", startsAt = "2026-12-10T10:00:00+01:00", specialRequestId = request }), 422, "/problems/session-rule");

        var ninth = await Support(request, laender[8]);
        Api.Expect(ninth, 200);
        ninth.Json["convened"]!.GetValue<bool>().ShouldBeTrue();
        ninth.Json["required"]!.GetValue<int>().ShouldBe(9);
        ninth.Json["supporters"]!.AsArray().Count.ShouldBe(9);
        await Refused(() => Support(request, laender[9]), 409, "/problems/session-state");

        var scheduled = await Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "special", format = "virtual", startsAt = "2026-12-10T10:00:00+01:00", specialRequestId = request });
        Api.Expect(scheduled, 201);
        scheduled.Json["kind"]!.GetValue<string>().ShouldBe("special");
        scheduled.Json["specialRequestId"]!.GetValue<Guid>().ShouldBe(request);
    }

    [Fact]
    public async Task Only_voting_members_ask_for_or_support_a_special_session()
    {
        await Refused(async () => await Api.Send(HttpMethod.Post, "/api/bodies/D16/special-session-requests", await Api.Representative("BUND"),
            new { reason = "Sondersitzung" }), 403, "/problems/forbidden");
        await Refused(async () => await Api.Send(HttpMethod.Post, "/api/bodies/D16/special-session-requests", await Api.Token("Archiv", null, "observer"),
            new { reason = "Sondersitzung" }), 403, "/problems/forbidden");
        var requested = await Api.Send(HttpMethod.Post, "/api/bodies/D16/special-session-requests", await Api.Representative("HH"), new { reason = "Sondersitzung" });
        Api.Expect(requested, 201);
        await Refused(() => Support(requested.Json["id"]!.GetValue<Guid>(), "BUND"), 403, "/problems/forbidden");
    }

    [Fact]
    public async Task The_chair_schedules_a_session_keeps_its_agenda_opens_it_records_attendance_and_closes_it()
    {
        var admin = await Api.Admin();
        var chair = await Api.Chair();
        var resolution = (await Api.Propose(await Api.Representative("RP"), "KI in der Verwaltung", "Die Länder erproben KI-Assistenten.")).Id;

        await Refused(() => Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "regular", format = "inPerson", startsAt = "2026-12-01T10:00:00+01:00" }), 400, "/problems/invalid-input");
        await Refused(async () => await Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", await Api.Chair("HE"),
            new { kind = "regular", format = "virtual", startsAt = "2026-12-01T10:00:00+01:00" }), 403, "/problems/forbidden");

        var scheduled = await Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "regular", format = "inPerson", place = "München, Bayerische Staatskanzlei", startsAt = "2027-05-12T10:00:00+02:00" });
        Api.Expect(scheduled, 201);
        var id = scheduled.Json["id"]!.GetValue<Guid>();
        var scheduledAt = scheduled.Json["scheduledAt"]!.GetValue<DateTimeOffset>();

        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{id}/agenda", chair, new { resolutionId = resolution }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{id}/agenda", chair, new { title = "Bericht des Vorsitzes" }), 200);
        await Refused(() => Api.Send(HttpMethod.Post, $"/api/sessions/{id}/attendance", chair, new { present = new[] { "DE-BY" } }), 409, "/problems/session-state");
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{id}/opening", chair), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{id}/attendance", chair, new { present = ApiClient.AllLaender.Take(14).Append("BUND") }), 200);
        var closed = await Api.Send(HttpMethod.Post, $"/api/sessions/{id}/closing", chair);
        Api.Expect(closed, 200);
        closed.Json["status"]!.GetValue<string>().ShouldBe("closed");
        await Refused(() => Api.Send(HttpMethod.Post, $"/api/sessions/{id}/closing", chair), 409, "/problems/session-state");
        await Refused(() => Api.Send(HttpMethod.Post, $"/api/sessions/{id}/agenda", chair, new { title = "Nachtrag" }), 409, "/problems/session-state");

        var read = (await Api.Send(HttpMethod.Get, $"/api/sessions/{id}", admin)).Json;
        read["session"]!["present"]!.AsArray().Count.ShouldBe(15);
        read["session"]!["place"]!.GetValue<string>().ShouldBe("München, Bayerische Staatskanzlei");
        read["agenda"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ShouldBe(["KI in der Verwaltung", "Bericht des Vorsitzes"]);
        read["agenda"]![0]!["outcome"]!.GetValue<string>().ShouldBe("underNegotiation");

        // The body shows its sessions now, and as of a moment before this one was scheduled without it.
        var body = await Api.Body("D16", admin);
        body["sessions"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()).ShouldContain(id);
        var before = await Api.Body("D16", admin, "?at=" + Uri.EscapeDataString(scheduledAt.AddMilliseconds(-1).ToString("O")));
        before["sessions"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()).ShouldNotContain(id);
        // Requests follow each other: the opening was committed before the closing command read the clock.
        var whileOpen = await Api.Body("D16", admin, "?at=" + Uri.EscapeDataString(closed.Json["closedAt"]!.GetValue<DateTimeOffset>().AddTicks(-1).ToString("O")));
        whileOpen["sessions"]!.AsArray().Single(s => s!["id"]!.GetValue<Guid>() == id)!["status"]!.GetValue<string>().ShouldBe("open");
    }
}
