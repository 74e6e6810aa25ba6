using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.IntegrationTests.Bodies;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.History;

[Collection(AppCollection.Name)]
public sealed class BodyHistoryTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    /// <summary>A body of its own, with a resolution, a session that met on it, and a request for a special session.</summary>
    private sealed record Negotiation(string Code, Guid Resolution, Guid Session, Guid Request, IReadOnlyList<string> Kinds);

    private async Task<Negotiation> Negotiate()
    {
        var admin = await Api.Admin();
        var code = BodyTests.NewCode();
        Api.Expect(await Api.Send(HttpMethod.Post, "/api/bodies", admin, BodyTests.Configuration(code, "unanimity")), 201);
        Api.Expect(await Api.Send(HttpMethod.Put, $"/api/bodies/{code}", admin, BodyTests.Configuration(code, "atLeast", expectedVersion: 1)), 200);
        // Tokens after the body exists: development tokens bring a mandate in every body there is.
        var chair = await Api.Chair();
        var hessen = await Api.Representative("HE");
        var sachsen = await Api.Representative("SN");

        var resolution = (await Api.ProposeTo(code, hessen, "Digitale Verwaltung", "Die Länder vereinheitlichen ihre Portale.")).Id;
        var scheduled = await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", chair,
            new { kind = "regular", format = "inPerson", place = "Wiesbaden", startsAt = "2027-03-04T10:00:00+01:00" });
        Api.Expect(scheduled, 201);
        var session = scheduled.Json["id"]!.GetValue<Guid>();
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/agenda", chair, new { resolutionId = resolution }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/opening", chair), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/attendance", chair, new { present = new[] { "DE-BY", "DE-HE", "DE-SN" } }), 200);
        Api.Expect(await Api.Vote(resolution, sachsen, "yes", 1), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/closing", chair), 200);
        var requested = await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/special-session-requests", sachsen, new { reason = "Hochwasserlage" });
        Api.Expect(requested, 201);
        var request = requested.Json["id"]!.GetValue<Guid>();
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/special-session-requests/{request}/support", hessen), 200);
        return new Negotiation(code, resolution, session, request,
        [
            "body_created", "body_configured", "resolution_proposed", "session_scheduled", "agenda_item_added", "session_opened",
            "attendance_recorded", "vote_cast", "session_closed", "special_session_requested", "special_session_supported",
        ]);
    }

    private async Task<TimelinePage> Timeline(string url, string token, string? language = null)
    {
        var response = await Api.Send(HttpMethod.Get, url, token, headers: language is null ? null : new() { ["Accept-Language"] = language });
        Api.Expect(response, 200);
        return response.As<TimelinePage>();
    }

    [Fact]
    public async Task A_body_timeline_lists_exactly_its_own_its_sessions_its_requests_and_its_resolutions_events_in_order()
    {
        var n = await Negotiate();
        var observer = await Api.Token("Landtagsverwaltung", null, "observer");

        var timeline = await Timeline($"/api/bodies/{n.Code}/timeline", observer);

        timeline.Total.ShouldBe(n.Kinds.Count);
        timeline.Entries.Select(e => e.Kind).ShouldBe(n.Kinds);
        // Exactly the stored events of those streams, in global order, mandates (another stream kind) not among them.
        await using (var session = app.Store.QuerySession())
        {
            var streams = timeline.Entries.Select(e => e.StreamId).Distinct().ToArray();
            var stored = await session.Events.QueryAllRawEvents().Where(e => streams.Contains(e.StreamId)).OrderBy(e => e.Sequence).ToListAsync();
            timeline.Entries.Select(e => (e.StreamId, e.Version, e.Sequence, e.Kind))
                .ShouldBe(stored.Select(e => (e.StreamId, e.Version, e.Sequence, e.EventTypeName)));
            timeline.Entries.Select(e => e.RecordedAt).ShouldBe(stored.Select(e => e.Timestamp));
        }

        timeline.Entries.Select(e => e.Stream).Distinct().ShouldBe(
            [TimelineStream.Body, TimelineStream.Resolution, TimelineStream.Session, TimelineStream.SpecialSessionRequest]);
        timeline.Entries.Where(e => e.Stream == TimelineStream.Session).ShouldAllBe(e => e.StreamId == n.Session);
        timeline.Entries.Single(e => e.Kind == "agenda_item_added").ResolutionId.ShouldBe(n.Resolution);
        timeline.Entries.Where(e => e.Stream is TimelineStream.Body or TimelineStream.SpecialSessionRequest).ShouldAllBe(e => e.ResolutionId == null);

        // Who, for which Land, when.
        timeline.Entries.ShouldAllBe(e => e.By != null && e.At <= e.RecordedAt);
        timeline.Entries.Where(e => e.Kind.StartsWith("body_")).ShouldAllBe(e => e.By!.Role == "admin" && e.ActingForName == null);
        timeline.Entries.Where(e => e.Stream == TimelineStream.Session).ShouldAllBe(e => e.By!.Role == "chair" && e.ActingForName == "Freistaat Bayern");
        timeline.Entries.Single(e => e.Kind == "special_session_requested").ActingForName.ShouldBe("Freistaat Sachsen");
        timeline.Entries.Single(e => e.Kind == "attendance_recorded").Text.ShouldBe(
            "Vorsitz DE-BY (Vorsitz, Freistaat Bayern) hat 3 anwesende Mitglieder festgehalten.");
        timeline.Entries[1].Text.ShouldContain("Vorsitz: Freistaat Bayern ab 2020-01-01");

        var english = await Timeline($"/api/bodies/{n.Code}/timeline", observer, "en");
        english.Entries.Select(e => e.Label).ShouldBe(["Body created", "Body configured", "Resolution proposed", "Session scheduled",
            "Agenda item", "Session opened", "Attendance", "Vote", "Session closed", "Special session requested", "Special session supported"]);

        // Each entry links to the state right after it.
        foreach (var entry in timeline.Entries)
        {
            var state = await Api.Send(HttpMethod.Get, entry.State, observer);
            Api.Expect(state, 200);
            var version = entry.Stream == TimelineStream.Session ? state.Json["session"]!["version"] : state.Json["version"];
            version!.GetValue<long>().ShouldBe(entry.Version, entry.State);
        }
        var whileOpen = (await Api.Send(HttpMethod.Get, timeline.Entries.Single(e => e.Kind == "attendance_recorded").State, observer)).Json;
        whileOpen["session"]!["status"]!.GetValue<string>().ShouldBe("open");
        whileOpen["session"]!["present"]!.AsArray().Count.ShouldBe(3);
        whileOpen["agenda"]![0]!["outcome"]!.GetValue<string>().ShouldBe("underNegotiation");
        var firstSupport = (await Api.Send(HttpMethod.Get, timeline.Entries[^2].State, observer)).Json;
        firstSupport["supporters"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["DE-SN"]);
    }

    [Fact]
    public async Task A_body_timeline_filters_body_and_session_entries_by_Land_person_kind_and_period_and_pages()
    {
        var n = await Negotiate();
        var observer = await Api.Token("Landtagsverwaltung", null, "observer");
        var all = await Timeline($"/api/bodies/{n.Code}/timeline", observer);

        (await Timeline($"/api/bodies/{n.Code}/timeline?land=BY", observer)).Entries.Select(e => e.Kind)
            .ShouldBe(["session_scheduled", "agenda_item_added", "session_opened", "attendance_recorded", "session_closed"]);
        (await Timeline($"/api/bodies/{n.Code}/timeline?land=SN", observer)).Entries.Select(e => e.Kind)
            .ShouldBe(["vote_cast", "special_session_requested"]);
        (await Timeline($"/api/bodies/{n.Code}/timeline?person=dev:verwaltung", observer)).Entries.Select(e => e.Kind)
            .ShouldBe(["body_created", "body_configured"]);
        (await Timeline($"/api/bodies/{n.Code}/timeline?kind=session_opened,session_closed,special_session_supported", observer)).Total.ShouldBe(3);
        var from = Uri.EscapeDataString(all.Entries[3].RecordedAt.ToString("O"));
        var to = Uri.EscapeDataString(all.Entries[5].RecordedAt.ToString("O"));
        (await Timeline($"/api/bodies/{n.Code}/timeline?from={from}&to={to}", observer)).Entries.Select(e => e.Kind)
            .ShouldBe(["session_scheduled", "agenda_item_added", "session_opened"]);

        var third = await Timeline($"/api/bodies/{n.Code}/timeline?page=3&pageSize=4", observer);
        (third.Page, third.PageSize, third.Total).ShouldBe((3, 4, 11));
        third.Entries.Select(e => e.Sequence).ShouldBe(all.Entries.Skip(8).Select(e => e.Sequence));
        (await Api.Send(HttpMethod.Get, $"/api/bodies/{n.Code}/timeline?land=Bayern", observer)).ProblemType.ShouldBe("/problems/invalid-input");
    }

    [Fact]
    public async Task A_body_as_of_a_version_or_an_instant_shows_its_sessions_with_agenda_and_attendance_as_they_were()
    {
        var n = await Negotiate();
        var observer = await Api.Token("Landtagsverwaltung", null, "observer");
        var timeline = await Timeline($"/api/bodies/{n.Code}/timeline", observer);

        string At(int step) => "?at=" + Uri.EscapeDataString(timeline.Entries[step].RecordedAt.ToString("O"));
        async Task<JsonNode> Session(int step) => (await Api.Body(n.Code, observer, At(step)))["sessions"]!.AsArray().Single()!;

        (await Api.Body(n.Code, observer, At(2)))["sessions"]!.AsArray().ShouldBeEmpty();
        var scheduled = await Session(3);
        scheduled["status"]!.GetValue<string>().ShouldBe("scheduled");
        scheduled["agenda"]!.AsArray().ShouldBeEmpty();
        scheduled["place"]!.GetValue<string>().ShouldBe("Wiesbaden");
        var withAgenda = await Session(4);
        withAgenda["agenda"]!.AsArray().Single()!["resolutionId"]!.GetValue<Guid>().ShouldBe(n.Resolution);
        (await Session(5))["present"]!.AsArray().ShouldBeEmpty();
        var attended = await Session(6);
        attended["present"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe(["DE-BY", "DE-HE", "DE-SN"]);
        attended["status"]!.GetValue<string>().ShouldBe("open");
        (await Session(8))["status"]!.GetValue<string>().ShouldBe("closed");

        // The body's own version 1: before the reconfiguration, and before any session.
        var first = await Api.Body(n.Code, observer, "?version=1");
        first["rules"]!["default"]!["kind"]!.GetValue<string>().ShouldBe("unanimity");
        first["sessions"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Body_changes_between_two_moments_show_sessions_scheduled_and_held_chair_rule_and_member_changes_and_the_steps()
    {
        var n = await Negotiate();
        var observer = await Api.Token("Landtagsverwaltung", null, "observer");
        var timeline = await Timeline($"/api/bodies/{n.Code}/timeline", observer);
        string At(int step) => Uri.EscapeDataString(timeline.Entries[step].RecordedAt.ToString("O"));

        var around = await Api.Send(HttpMethod.Get, $"/api/bodies/{n.Code}/changes?from={At(2)}&to={At(8)}", observer);
        Api.Expect(around, 200);
        var session = around.Json;
        session["sessionsScheduled"]!.AsArray().Single()!["id"]!.GetValue<Guid>().ShouldBe(n.Session);
        var held = session["sessionsHeld"]!.AsArray().Single()!;
        held["present"]!.AsArray().Count.ShouldBe(3);
        held["agenda"]!.AsArray().Single()!["resolutionId"]!.GetValue<Guid>().ShouldBe(n.Resolution);
        session["sessionsChanged"]!.AsArray().Single()!["before"].ShouldBeNull();
        session["chair"].ShouldBeNull();
        session["members"]!.AsArray().ShouldBeEmpty();
        session["rules"]!.AsArray().ShouldBeEmpty();
        session["steps"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ShouldBe(n.Kinds.Skip(3).Take(6));

        // Between the body's own versions 1 and 2: the default rule changed.
        var reconfigured = (await Api.Send(HttpMethod.Get, $"/api/bodies/{n.Code}/changes?from=1&to=2", observer)).Json;
        var rule = reconfigured["rules"]!.AsArray().Single()!;
        rule["matterType"]!.GetValue<string>().ShouldBe("default");
        rule["before"]!["kind"]!.GetValue<string>().ShouldBe("unanimity");
        rule["after"]!["count"]!.GetValue<int>().ShouldBe(13);
        reconfigured["steps"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ShouldBe(["body_configured"]);
        reconfigured["sessionsScheduled"]!.AsArray().ShouldBeEmpty();

        // Hessen takes the chair and Bremen leaves: both show, from the last version to now.
        var admin = await Api.Admin();
        Api.Expect(await Api.Send(HttpMethod.Put, $"/api/bodies/{n.Code}", admin, new
        {
            expectedVersion = 2,
            name = "Testkonferenz " + n.Code,
            members = ApiClient.AllLaender.Where(l => l != "DE-HB").Select(land => new { land, voting = true }).Append(new { land = "BUND", voting = false }),
            rules = new Dictionary<string, object> { ["default"] = new { kind = "atLeast", count = 12 } },
            chairSchedule = new[] { new { land = "HE", from = "2020-01-01" } },
            writtenProcedure = new { mode = "explicitConsent", defaultDeadlineDays = 14 },
        }), 200);
        var handover = (await Api.Send(HttpMethod.Get, $"/api/bodies/{n.Code}/changes?from=2", observer)).Json;
        handover["chair"]!["before"]!["land"]!.GetValue<string>().ShouldBe("DE-BY");
        handover["chair"]!["after"]!["land"]!.GetValue<string>().ShouldBe("DE-HE");
        var left = handover["members"]!.AsArray().Single()!;
        (left["land"]!.GetValue<string>(), left["before"]!.GetValue<bool>(), left["after"]).ShouldBe(("DE-HB", true, null));
        handover["to"]!["version"]!.GetValue<long>().ShouldBe(3);

        (await Api.Send(HttpMethod.Get, $"/api/bodies/{n.Code}/changes?from=9", observer)).Status.ShouldBe(404);
        (await Api.Send(HttpMethod.Get, $"/api/bodies/{n.Code}/changes?from=gestern", observer)).ProblemType.ShouldBe("/problems/invalid-input");
        (await Api.Send(HttpMethod.Get, $"/api/bodies/{n.Code}/changes?from=2&to=1", observer)).Status.ShouldBe(400);
        (await Api.Send(HttpMethod.Get, "/api/bodies/NOPE/changes", observer)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Body_changes_leave_out_the_steps_of_a_restricted_resolution_for_everyone_outside_its_group()
    {
        var n = await Negotiate();
        var bayern = await Api.Representative("DE-BY");
        var proposed = await Api.Send(HttpMethod.Post, "/api/resolutions", bayern,
            new { body = n.Code, title = "Vorabstimmung", paragraphs = new[] { "Nur für Bayern und Hessen." }, restrictedTo = new[] { "BY", "HE" } });
        Api.Expect(proposed, 201);
        var restricted = proposed.Json["id"]!.GetValue<Guid>();

        async Task<IEnumerable<Guid?>> Steps(string token) =>
            (await Api.Send(HttpMethod.Get, $"/api/bodies/{n.Code}/changes", token)).Json["steps"]!.AsArray()
                .Select(e => e!["resolutionId"]?.GetValue<Guid>());
        (await Steps(await Api.Token("Landtagsverwaltung", null, "observer"))).ShouldNotContain(restricted);
        (await Steps(await Api.Representative("DE-NW"))).ShouldNotContain(restricted);
        (await Steps(await Api.Representative("DE-HE"))).ShouldContain(restricted);
        (await Steps(bayern)).Count().ShouldBe(n.Kinds.Count + 1);
    }
}
