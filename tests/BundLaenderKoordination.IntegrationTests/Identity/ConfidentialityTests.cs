using System.Net.Http.Headers;
using System.Text.Json;
using ResolutionSummary = BundLaenderKoordination.Api.Resolutions.GettingResolution.ResolutionSummary;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Auditing;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// A resolution restricted to a group of members (here a paper of Bayern and Hessen) is invisible to everyone else: the
/// same 404 as for an id that names nothing, in every read, list, history, audit read and export; writes too. Who is a
/// member is decided by the mandates in the resolution's body, never by what a token claims.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConfidentialityTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private sealed record Paper(Guid Id, Guid AmendmentId, long VoteVersion, string Title);

    /// <summary>Bayern proposes a paper for Bayern and Hessen; Hessen comments and amends; Bayern votes.</summary>
    private async Task<Paper> RestrictedPaper(string title)
    {
        var bayern = await Api.Representative("DE-BY");
        var hessen = await Api.Representative("DE-HE");
        var proposed = await Api.Send(HttpMethod.Post, "/api/resolutions", bayern,
            new { body = "D16", title, paragraphs = new[] { "Die Länder Bayern und Hessen stimmen sich vorab ab." }, restrictedTo = new[] { "BY", "DE-HE" } });
        Api.Expect(proposed, 201);
        var id = proposed.Json["id"]!.GetValue<Guid>();
        Api.Expect(await Api.Comment(id, hessen, "Einverstanden, mit einer Ergänzung.", "p1"), 201);
        var amendment = await Api.ProposeAmendment(id, hessen, 1, "Ergänzung",
            new { kind = "replace", paragraphId = "p1", text = "Die Länder Bayern und Hessen stimmen sich vorab eng ab." });
        var vote = await Api.Vote(id, bayern, "yes", 1);
        Api.Expect(vote, 200);
        return new Paper(id, amendment, vote.Json["version"]!.GetValue<long>(), title);
    }

    /// <summary>Every read of one resolution, as URL templates.</summary>
    private static readonly string[] Reads =
    [
        "/api/resolutions/{id}",
        "/api/resolutions/{id}?version=1",
        "/api/resolutions/{id}?at=2100-01-01T00:00:00Z",
        "/api/resolutions/{id}/timeline",
        "/api/resolutions/{id}/live",
        "/api/resolutions/{id}/changes",
        "/api/resolutions/{id}/changes?from=1&to=2",
        "/api/resolutions/{id}/audit-trail",
        "/api/resolutions/{id}/diff",
        "/api/resolutions/{id}/synopsis",
        "/api/resolutions/{id}/amendments/{amendment}/diff",
        "/api/resolutions/{id}/votes/{vote}/receipt",
        "/api/audit/who-agreed?resolution={id}",
        "/api/audit/bundle?resolution={id}",
    ];

    private static string Url(string template, Guid id, Paper paper) =>
        template.Replace("{id}", id.ToString()).Replace("{amendment}", paper.AmendmentId.ToString()).Replace("{vote}", paper.VoteVersion.ToString());

    [Fact]
    public async Task A_restricted_resolution_is_invisible_to_a_non_member_in_list_detail_history_and_audit_trail()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        var paper = await RestrictedPaper("Vorabstimmung Bayern Hessen " + Guid.NewGuid().ToString("N")[..6]);
        await new AuditScenario(app).SealEverything();

        // Non-members: a Land outside the group, a chair whose Land is not listed, an observer, an auditor, and a person
        // whose token claims Bayern but who holds no mandate (observer role, so that they may read at all).
        var nonMembers = new Dictionary<string, string>
        {
            ["representative of Nordrhein-Westfalen"] = await Api.Representative("DE-NW"),
            ["chair for Niedersachsen"] = await Api.Chair("DE-NI"),
            ["observer"] = await Api.Token("Beobachtung Vertraulich", null, "observer"),
            ["auditor"] = await Api.Token("Prüfung Vertraulich", null, "auditor"),
            ["observer whose token claims Bayern"] = await Api.Token("Behauptet Bayern", "DE-BY", "observer"),
        };
        var members = new Dictionary<string, string>
        {
            ["representative of Bayern"] = await Api.Representative("DE-BY"),
            ["representative of Hessen"] = await Api.Representative("DE-HE"),
        };
        var unknown = Guid.NewGuid();

        var wrong = new List<string>();
        foreach (var (who, token) in nonMembers)
        foreach (var template in Reads)
        {
            // Every refusal, a 403 included, must be the answer for an id that names nothing: a 403 for the restricted
            // resolution where an unknown id gets 404 would tell that it exists.
            var response = await Api.Send(HttpMethod.Get, Url(template, paper.Id, paper), token);
            var nothing = await Api.Send(HttpMethod.Get, Url(template, unknown, paper), token);
            if (response.Status is not (403 or 404))
                wrong.Add($"{who}: {template} gave {response.Status} {response.Body}");
            else if (Shown(response, paper.Id) != Shown(nothing, unknown))
                wrong.Add($"{who}: {template} answers differently than for an id that names nothing: {response.Status} {response.Body} / {nothing.Status} {nothing.Body}");
        }
        foreach (var (who, token) in members)
        foreach (var template in Reads.Where(t => !t.StartsWith("/api/audit/", StringComparison.Ordinal) && !t.Contains("/live")))
        {
            var response = await Api.Send(HttpMethod.Get, Url(template, paper.Id, paper), token);
            var expected = template.EndsWith("/receipt", StringComparison.Ordinal) && who.Contains("Hessen") ? 403 : 200;
            if (response.Status != expected) wrong.Add($"{who} (member): {template} gave {response.Status}, expected {expected}: {response.Body}");
        }
        wrong.ShouldBeEmpty();

        // Lists and search: absent for non-members, present for members (once the daemon that keeps them has caught up,
        // so that an absence means something).
        await app.ProjectionsCaughtUp();
        var word = paper.Title.Split(' ')[^1];
        foreach (var (who, token) in nonMembers)
        {
            (await Api.Send(HttpMethod.Get, "/api/resolutions", token)).As<List<ResolutionSummary>>().ShouldNotContain(r => r.Id == paper.Id, who);
            (await Api.Send(HttpMethod.Get, $"/api/resolutions/search?q={word}", token)).As<List<SearchHit>>().ShouldNotContain(r => r.Id == paper.Id, who);
            var timeline = (await Api.Send(HttpMethod.Get, $"/api/bodies/D16/timeline?pageSize=500&from={Uri.EscapeDataString(since)}", token)).As<TimelinePage>();
            timeline.Entries.ShouldNotContain(e => e.ResolutionId == paper.Id, who);
        }
        foreach (var (who, token) in members)
        {
            (await Api.Send(HttpMethod.Get, "/api/resolutions", token)).As<List<ResolutionSummary>>().ShouldContain(r => r.Id == paper.Id, who);
            (await Api.Send(HttpMethod.Get, $"/api/resolutions/search?q={word}", token)).As<List<SearchHit>>().ShouldContain(r => r.Id == paper.Id, who);
            var timeline = (await Api.Send(HttpMethod.Get, $"/api/bodies/D16/timeline?pageSize=500&from={Uri.EscapeDataString(since)}", token)).As<TimelinePage>();
            timeline.Entries.Count(e => e.ResolutionId == paper.Id).ShouldBe(4, who);
            var view = await Api.Get(paper.Id, token);
            view.RestrictedTo.ShouldBe(["DE-BY", "DE-HE"]);
        }
    }

    [Fact]
    public async Task A_non_member_cannot_write_to_a_restricted_resolution_and_nothing_is_appended()
    {
        var paper = await RestrictedPaper("Vorabstimmung Schreiben");
        var nrw = await Api.Representative("DE-NW");
        var version = await app.StreamVersion(paper.Id);
        var events = await app.EventCount();

        var attempts = new[]
        {
            await Api.Comment(paper.Id, nrw, "Wir möchten mitreden."),
            await Api.Vote(paper.Id, nrw, "no", 1),
            await Api.Edit(paper.Id, nrw, 1, new { id = "p1", text = "Überschrieben." }), // a stale version too: still 404
            await Api.Send(HttpMethod.Post, $"/api/resolutions/{paper.Id}/amendments/{paper.AmendmentId}/support", nrw),
            await Api.Send(HttpMethod.Put, $"/api/resolutions/{paper.Id}/restriction", nrw, new { restrictedTo = Array.Empty<string>() }),
            await Api.OpenBallot(paper.Id, await Api.Chair("DE-NI")),
        };

        attempts.ShouldAllBe(r => r.Status == 404 && r.ProblemType == "/problems/not-found");
        (await app.StreamVersion(paper.Id)).ShouldBe(version);
        (await app.EventCount()).ShouldBe(events);
    }

    [Fact]
    public async Task Membership_follows_the_mandates_in_the_body_from_approval_to_revocation()
    {
        var paper = await RestrictedPaper("Vorabstimmung Mandate");
        const string name = "Referentin Hessen";
        var personId = ApiClient.PersonId(name);
        var token = await Api.Token(name, "DE-HE", "observer"); // the token's Land counts for nothing
        var first = await Api.Admin("Verwaltung A");
        var second = await Api.Admin("Verwaltung B");
        var url = $"/api/resolutions/{paper.Id}";

        (await Api.Send(HttpMethod.Get, url, token)).Status.ShouldBe(404);
        Api.Expect(await Api.GrantMandate(first, personId, name, "DE-HE", "representative"), 201);
        (await Api.Send(HttpMethod.Get, url, token)).Status.ShouldBe(404, "a grant has no effect before the second person approves it");
        Api.Expect(await Api.ApproveMandate(second, personId), 200);
        (await Api.Send(HttpMethod.Get, url, token)).Status.ShouldBe(200);

        var revocation = $"/api/bodies/D16/mandates/{Uri.EscapeDataString(personId)}/revocation";
        Api.Expect(await Api.Send(HttpMethod.Post, revocation, first, new { reason = "Wechsel" }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, revocation + "/confirmation", second), 204);
        (await Api.Send(HttpMethod.Get, url, token)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task The_restriction_only_widens_by_the_proposing_Land_or_the_chair_and_each_change_is_recorded()
    {
        var paper = await RestrictedPaper("Vorabstimmung Erweitern");
        var hessen = await Api.Representative("DE-HE");
        var bayern = await Api.Representative("DE-BY");
        var nrw = await Api.Representative("DE-NW");
        var observer = await Api.Token("Beobachtung Erweitern", null, "observer");
        var url = $"/api/resolutions/{paper.Id}/restriction";
        var events = await app.EventCount();

        var byMember = await Api.Send(HttpMethod.Put, url, hessen, new { restrictedTo = new[] { "DE-BY", "DE-HE", "DE-NW" } });
        byMember.Status.ShouldBe(403, "Hessen is a member, but did not propose the paper");
        var narrowing = await Api.Send(HttpMethod.Put, url, bayern, new { restrictedTo = new[] { "DE-BY" } });
        narrowing.Status.ShouldBe(422);
        narrowing.ProblemType.ShouldBe("/problems/restriction-rule");
        var unknownLand = await Api.Send(HttpMethod.Put, url, bayern, new { restrictedTo = new[] { "DE-BY", "DE-HE", "XX" } });
        unknownLand.Status.ShouldBe(400);
        (await app.EventCount()).ShouldBe(events, "a refused change appends nothing");

        Api.Expect(await Api.Send(HttpMethod.Put, url, bayern, new { restrictedTo = new[] { "DE-BY", "DE-HE", "NW" } }), 200);
        (await Api.Get(paper.Id, nrw)).RestrictedTo.ShouldBe(["DE-BY", "DE-HE", "DE-NW"]);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{paper.Id}", observer)).Status.ShouldBe(404);

        Api.Expect(await Api.Send(HttpMethod.Put, url, bayern, new { restrictedTo = Array.Empty<string>() }), 200);
        var released = await Api.Get(paper.Id, observer);
        released.RestrictedTo.ShouldBeEmpty();
        // Once released, the whole history is readable, including the changes of the group.
        var trail = await Api.AuditTrail(paper.Id, observer);
        trail.Where(e => e.EventType == "resolution_restriction_changed").Select(e => e.ActingFor).ShouldBe(["DE-BY", "DE-BY"]);
        (await app.EventCount()).ShouldBe(events + 2);
    }

    [Fact]
    public async Task A_chair_s_draft_is_seen_by_chairs_only_and_the_proposer_must_belong_to_the_group()
    {
        var chair = await Api.Chair("DE-BY");
        var events = await app.EventCount();
        var outside = await Api.Send(HttpMethod.Post, "/api/resolutions", await Api.Representative("DE-SN"),
            new { body = "D16", title = "Nicht meine Gruppe", paragraphs = new[] { "Text." }, restrictedTo = new[] { "DE-BY" } });
        outside.Status.ShouldBe(422);
        outside.ProblemType.ShouldBe("/problems/restriction-rule");
        (await app.EventCount()).ShouldBe(events);

        var draft = await Api.Send(HttpMethod.Post, "/api/resolutions", chair,
            new { body = "D16", title = "Entwurf des Vorsitzes", paragraphs = new[] { "Vorschlag zur Tagesordnung." }, restrictedTo = new[] { "chair" } });
        Api.Expect(draft, 201);
        var id = draft.Json["id"]!.GetValue<Guid>();

        (await Api.Get(id, chair)).RestrictedTo.ShouldBe(["chair"]);
        (await Api.Get(id, await Api.Chair("DE-NI"))).Title.ShouldBe("Entwurf des Vorsitzes");
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}", await Api.Representative("DE-BY"))).Status
            .ShouldBe(404, "a representative of the chair's Land is not the chair");
    }

    [Fact]
    public async Task The_body_s_live_stream_skips_what_the_reader_may_not_see()
    {
        var observer = await Api.Token("Beobachtung Live", null, "observer");
        var hessen = await Api.Representative("DE-HE");
        var last = await LastSequence();
        var (outsider, outsiderReader) = await Connect("/api/bodies/D16/live", observer, last);
        var (member, memberReader) = await Connect("/api/bodies/D16/live", hessen, last);

        var paper = await RestrictedPaper("Vorabstimmung Live");
        var open = (await Api.Propose(await Api.Representative("DE-BE"), "Offen für alle", "Text.")).Id;

        var seenByOutsider = await Read(outsiderReader, 1, TimeSpan.FromSeconds(30));
        var seenByMember = await Read(memberReader, 5, TimeSpan.FromSeconds(30));
        outsider.Dispose();
        member.Dispose();

        seenByOutsider.Single().ResolutionId.ShouldBe(open);
        seenByMember.Select(e => e.ResolutionId).ShouldBe([paper.Id, paper.Id, paper.Id, paper.Id, open]);
    }

    [Fact]
    public async Task An_audit_bundle_of_everything_carries_restricted_events_as_redacted_leaves_and_still_verifies()
    {
        var paper = await RestrictedPaper("Vorabstimmung Prüfung");
        var open = (await Api.Propose(await Api.Representative("DE-BE"), "Offen in der Prüfung", "Text.")).Id;
        var audit = new AuditScenario(app);
        await audit.SealEverything();

        var all = await audit.ExportOverHttp();
        var body = await audit.ExportOverHttp("?body=D16");
        var keys = await audit.PinnedKeys();

        foreach (var bundle in new[] { all, body })
        {
            bundle.Events.ShouldNotContain(e => e["stream"]!.GetValue<string>() == paper.Id.ToString("D"));
            JsonSerializer.Serialize(bundle, AuditJson.Options).ShouldNotContain(paper.Title);
        }
        await using var session = app.Store.QuerySession();
        var restrictedSeqs = (await session.Events.FetchStreamAsync(paper.Id)).Select(e => e.Sequence).ToList();
        restrictedSeqs.ShouldAllBe(seq => all.Redacted!.Contains(seq));

        var report = BundleVerifier.Verify(all, keys);
        AuditScenario.ShouldBeClean(report);
        report.RedactedLeaves.ShouldBe(all.Redacted!.Count);
        report.RedactedLeaves.ShouldBeGreaterThanOrEqualTo(restrictedSeqs.Count);
        report.WhoAgreedToWhat.ShouldNotContain(r => r.Resolution == paper.Id);
        report.WhoAgreedToWhat.ShouldContain(r => r.Resolution == open);
        body.Events.ShouldContain(e => e["stream"]!.GetValue<string>() == open.ToString("D"));
        body.Redacted.ShouldBeEmpty("a body's bundle leaves restricted events out without listing them");
        AuditScenario.ShouldBeClean(BundleVerifier.Verify(body, keys));

        var whoAgreed = await Api.Send(HttpMethod.Get, "/api/audit/who-agreed", await audit.Auditor());
        Api.Expect(whoAgreed, 200);
        whoAgreed.Body.ShouldNotContain(paper.Id.ToString());
        whoAgreed.Json["findings"]!.AsArray().ShouldBeEmpty();
    }

    /// <summary>What a refusal tells the reader, with the id asked for blanked out (the trace id differs per request).</summary>
    private static string Shown(Response response, Guid id) =>
        $"{response.Status} {response.ProblemType} {response.Json["title"]} {response.Json["detail"]}".Replace(id.ToString(), "ID");

    private sealed record Received(long Id, Guid? ResolutionId);

    private async Task<(HttpResponseMessage Response, StreamReader Reader)> Connect(string url, string token, long lastEventId)
    {
        var client = app.Host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Last-Event-ID", lastEventId.ToString());
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private static async Task<List<Received>> Read(StreamReader reader, int count, TimeSpan timeout)
    {
        var received = new List<Received>();
        using var cts = new CancellationTokenSource(timeout);
        long? id = null;
        while (received.Count < count)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..]);
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                received.Add(new Received(id!.Value, JsonSerializer.Deserialize<TimelineEntry>(line[6..], ApiClient.Json)!.ResolutionId));
        }
        return received;
    }

    private async Task<long> LastSequence()
    {
        await using var session = app.Store.QuerySession();
        var last = await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Take(1).ToListAsync();
        return last.Count == 0 ? 0 : last[0].Sequence;
    }
}
