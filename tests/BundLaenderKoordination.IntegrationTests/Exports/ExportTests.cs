using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BundLaenderKoordination.Api.Exports;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.IntegrationTests.Auditing;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.IntegrationTests.Operations;
using BundLaenderKoordination.Tests.Shared;
using CsvHelper;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Exports;

/// <summary>
/// Each export is opened with an independent reader (the OASIS schema, poppler's pdftotext, a CSV parser, an iCalendar
/// parser) and compared with the resolution as the JSON API reads it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ExportTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private const string Title = "Beschluss zur „Digitalen Souveränität“ der Länder [Entwurf] & Co.";
    private static readonly string[] Paragraphs =
    [
        "Die Länder begrüßen die \"Initiative\" des Bundes (vgl. [TOP 3]) zur Förderung offener Standards.",
        "Größere Vorhaben – etwa nach § 5 Abs. 2 – bedürfen der Zustimmung aller Länder; Kosten über 1.000.000 € werden geteilt.",
    ];

    private sealed record Download(int Status, byte[] Bytes, string? ContentType, string? FileName)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);
    }

    private async Task<Download> Get(string url, string token)
    {
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new Download((int)response.StatusCode, bytes, response.Content.Headers.ContentType?.ToString(),
            response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    private sealed record Adopted(Guid Id, Guid Amendment, ResolutionView View);

    /// <summary>Proposed, amended, edited, voted in a ballot (13 yes, 1 no, 2 abstentions), adopted, with a Protokollerklärung; sealed.</summary>
    private async Task<Adopted> AdoptedResolution()
    {
        var bayern = await Api.Representative("DE-BY");
        var chair = await Api.Chair();
        var id = (await Api.Propose(bayern, Title, Paragraphs)).Id;
        var amendment = await Api.ProposeAmendment(id, await Api.Representative("DE-HE"), 1, "Klarstellung (siehe „Anlage“).",
            new { kind = "replace", paragraphId = "p1", text = Paragraphs[0] + " Die Länder unterstützen sie ausdrücklich." });
        Api.Expect(await Api.DecideAmendment(id, amendment, chair, "accept"), 200);
        Api.Expect(await Api.OpenBallot(id, chair), 201);
        var laender = ApiClient.AllLaender;
        await Api.Vote(id, 2, "yes", laender.Take(13));
        await Api.Vote(id, 2, "no", laender.Skip(13).Take(1));
        await Api.Vote(id, 2, "abstain", laender.Skip(14));
        Api.Expect(await Api.CloseBallot(id, chair), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/declarations", await Api.Representative(laender[13]),
            new { text = "Das Land erklärt zu Protokoll: „Wir tragen den Beschluss [aus Haushaltsgründen] nicht mit.“" }), 201);
        await new AuditScenario(app).SealEverything();
        var view = await Api.Get(id, bayern);
        view.Status.ShouldBe(ResolutionStatus.Adopted);
        return new Adopted(id, amendment, view);
    }

    [Fact]
    public async Task The_Akoma_Ntoso_export_is_valid_against_the_OASIS_schema_and_holds_the_resolution_as_adopted()
    {
        var adopted = await AdoptedResolution();
        var observer = await Api.Token("Archiv Export", null, Roles.Observer);

        var file = await Get($"/api/resolutions/{adopted.Id}/akn", observer);

        file.Status.ShouldBe(200, file.Text);
        file.ContentType.ShouldStartWith(AkomaNtoso.MediaType);
        file.FileName.ShouldBe(Title + " (Fassung 2).akn.xml");
        AkomaNtosoSchema.Validate(file.Text).ShouldBeEmpty();
        var xml = XDocument.Parse(file.Text);
        XNamespace akn = AkomaNtoso.Akn;
        xml.Descendants(akn + "docTitle").First().Value.ShouldBe(Title);
        xml.Descendants(akn + "paragraph").Select(p => ((string?)p.Attribute("eId"), p.Value))
            .ShouldBe(adopted.View.Paragraphs.Select(p => ((string?)("para_" + p.Id), p.Text)));
        xml.Descendants(akn + "FRBRuri").First().Attribute("value")!.Value.ShouldBe(AkomaNtoso.WorkIri(adopted.View));
        xml.Descendants(akn + "FRBRlanguage").First().Attribute("language")!.Value.ShouldBe("deu");

        var ballot = adopted.View.Ballots.Single().Result!;
        var voting = xml.Descendants(akn + "voting").Single();
        voting.Element(akn + "quorum")!.Attribute("value")!.Value.ShouldBe("13");
        voting.Elements(akn + "count").Select(c => int.Parse(c.Attribute("value")!.Value)).ShouldBe([ballot.Yes.Count, ballot.No.Count, ballot.Abstain.Count]);
        var steps = xml.Descendants(akn + "workflow").First().Elements(akn + "step").ToList();
        steps.Count(s => s.Attribute("outcome")!.Value.StartsWith("#vote")).ShouldBe(16);
        steps.Last().Attribute("outcome")!.Value.ShouldBe("#adopted");
        xml.Descendants(akn + "TLCOrganization").Select(o => o.Attribute("showAs")!.Value).ShouldContain("Freistaat Thüringen");

        xml.Descendants(AkomaNtoso.Blk + "textHash").Single().Value.ShouldBe(adopted.View.TextHash);
        var treeSize = long.Parse(xml.Descendants(AkomaNtoso.Blk + "checkpointTreeSize").Single().Value);
        var sequence = long.Parse(xml.Descendants(AkomaNtoso.Blk + "eventSequence").Single().Value);
        treeSize.ShouldBeGreaterThanOrEqualTo(sequence);
        var proof = await Api.Send(HttpMethod.Get, xml.Descendants(AkomaNtoso.Blk + "inclusionProof").Single().Value, observer);
        Api.Expect(proof, 200);
        proof.Json["checkpoint"]!.GetValue<string>().ShouldBe(xml.Descendants(AkomaNtoso.Blk + "checkpoint").Single().Value);

        xml.Descendants(akn + "attachment").Single().Value.ShouldContain("[aus Haushaltsgründen]");

        // Any earlier version: the text as it was proposed.
        var first = await Get($"/api/resolutions/{adopted.Id}/akn?version=1", observer);
        AkomaNtosoSchema.Validate(first.Text).ShouldBeEmpty();
        XDocument.Parse(first.Text).Descendants(akn + "paragraph").Select(p => p.Value).ShouldBe(Paragraphs);
        XDocument.Parse(first.Text).Descendants(akn + "voting").ShouldBeEmpty();
    }

    [Fact]
    public async Task An_amendment_exports_as_a_valid_Akoma_Ntoso_amendment_referring_to_its_base_text()
    {
        var adopted = await AdoptedResolution();
        var observer = await Api.Token("Archiv Export", null, Roles.Observer);

        var file = await Get($"/api/resolutions/{adopted.Id}/amendments/{adopted.Amendment}/akn", observer);

        file.Status.ShouldBe(200, file.Text);
        AkomaNtosoSchema.Validate(file.Text).ShouldBeEmpty();
        var xml = XDocument.Parse(file.Text);
        xml.Root!.Elements().Single().Name.ShouldBe(AkomaNtoso.Akn + "amendment");
        xml.Descendants(AkomaNtoso.Akn + "ref").Single().Attribute("href")!.Value.ShouldBe($"{AkomaNtoso.WorkIri(adopted.View)}/deu@v1/~para_p1");
        xml.Descendants(AkomaNtoso.Akn + "quotedText").Select(q => q.Value).ShouldBe([Paragraphs[0], adopted.View.Paragraphs[0].Text]);
        (await Get($"/api/resolutions/{adopted.Id}/amendments/{Guid.NewGuid()}/akn", observer)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task The_resolution_PDF_reads_as_the_resolution_with_each_Lands_vote_and_embedded_fonts()
    {
        var adopted = await AdoptedResolution();
        var observer = await Api.Token("Archiv Export", null, Roles.Observer);

        var file = await Get($"/api/resolutions/{adopted.Id}/pdf", observer);

        file.Status.ShouldBe(200, file.Text);
        file.ContentType.ShouldBe(PdfDocuments.MediaType);
        file.FileName.ShouldBe(Title + " (Fassung 2).pdf");
        var path = Path.Combine(Path.GetTempPath(), $"blk-export-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, file.Bytes);
        try
        {
            var text = Words(await Run("pdftotext", "-enc", "UTF-8", path, "-"));
            text.ShouldContain(Words(Title));
            foreach (var paragraph in adopted.View.Paragraphs) text.ShouldContain(Words(paragraph.Text));
            foreach (var vote in adopted.View.Ballots.Single().Votes)
                text.ShouldContain($"{Lands.NameOf(vote.Land)} {AkomaNtoso.VoteText(vote.Choice)}");
            text.ShouldContain("Ja: 13, Nein: 1, Enthaltung: 2");
            text.ShouldContain(Words(adopted.View.Declarations.Single().Text));
            text.ShouldContain(adopted.View.TextHash);
            text.ShouldContain("Beschlossen");

            // Every font is embedded (pdffonts: the "emb" column), so the file reads the same on any machine.
            var fonts = (await Run("pdffonts", path)).Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToList();
            fonts.ShouldNotBeEmpty();
            fonts.ShouldAllBe(line => Regex.IsMatch(line, @"\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$"));
            await Screenshot(path, "export-beschluss-pdf");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_Beschlussprotokoll_lists_place_attendance_and_the_outcome_of_each_agenda_item()
    {
        var adopted = await AdoptedResolution();
        var chair = await Api.Chair();
        var scheduled = await Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "regular", format = "inPerson", place = "München, Bayerische Staatskanzlei", startsAt = "2027-05-12T10:00:00+02:00" });
        Api.Expect(scheduled, 201);
        var session = scheduled.Json["id"]!.GetValue<Guid>();
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/agenda", chair, new { resolutionId = adopted.Id }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/agenda", chair, new { title = "Bericht des Vorsitzes" }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/opening", chair), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/attendance", chair, new { present = new[] { "DE-BY", "DE-TH", "DE-BW" } }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/closing", chair), 200);

        var file = await Get($"/api/sessions/{session}/minutes/pdf", await Api.Token("Archiv Export", null, Roles.Observer));

        file.Status.ShouldBe(200, file.Text);
        file.FileName.ShouldBe("Beschlussprotokoll D16 2027-05-12.pdf");
        var path = Path.Combine(Path.GetTempPath(), $"blk-minutes-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, file.Bytes);
        try
        {
            var text = Words(await Run("pdftotext", "-enc", "UTF-8", path, "-"));
            text.ShouldContain("Beschlussprotokoll der Sitzung vom 12. Mai 2027");
            text.ShouldContain("D16 – Konferenz der Digitalministerinnen und Digitalminister der Länder");
            text.ShouldContain("12. Mai 2027, 10:00 Uhr");
            text.ShouldContain("München, Bayerische Staatskanzlei");
            text.ShouldContain("Baden-Württemberg, Freistaat Bayern, Freistaat Thüringen");
            text.ShouldContain(Words($"TOP 1: {Title}"));
            text.ShouldContain("Ergebnis Beschlossen (Ja: 13, Nein: 1, Enthaltung: 2)");
            text.ShouldContain("TOP 2: Bericht des Vorsitzes");
            text.ShouldContain(Words(adopted.View.Declarations.Single().Text));
            await Screenshot(path, "export-beschlussprotokoll-pdf");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Votes_audit_trail_and_timeline_export_as_CSV_in_both_dialects_and_parse_back_to_the_same_rows()
    {
        var adopted = await AdoptedResolution();
        var observer = await Api.Token("Archiv Export", null, Roles.Observer);

        var rfc = await Get($"/api/resolutions/{adopted.Id}/ballots/1/votes/csv", observer);
        var german = await Get($"/api/resolutions/{adopted.Id}/ballots/1/votes/csv?dialect=de", observer);

        rfc.Status.ShouldBe(200, rfc.Text);
        rfc.ContentType.ShouldStartWith("text/csv");
        rfc.Bytes.Take(3).ShouldNotBe(new byte[] { 0xEF, 0xBB, 0xBF });
        german.Bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var expected = adopted.View.Ballots.Single().Votes.Select(v => (v.Land, v.Choice.ToString().ToLowerInvariant(), v.CastBy.Name)).ToList();
        Rows(rfc.Bytes, ',').Select(r => (r["land"], r["choice"], r["person_name"])).ShouldBe(expected);
        Rows(german.Bytes, ';').Select(r => (r["land"], r["choice"], r["person_name"])).ShouldBe(expected);
        Rows(german.Bytes, ';').Select(r => r["land_name"]).ShouldContain("Baden-Württemberg");

        var trail = await Api.AuditTrail(adopted.Id, observer);
        var trailRows = Rows((await Get($"/api/resolutions/{adopted.Id}/audit-trail/csv", observer)).Bytes, ',');
        trailRows.Select(r => (long.Parse(r["version"]), r["event_type"], r["summary"], r["text_hash"]))
            .ShouldBe(trail.Select(e => (e.Version, e.EventType, e.Summary, e.TextHash)));

        var timeline = Rows((await Get($"/api/resolutions/{adopted.Id}/timeline/csv?dialect=de", observer)).Bytes, ';');
        timeline.Count.ShouldBe(trail.Count);
        timeline.Last(r => r["kind"] == "resolution_adopted")["text"].ShouldNotBeEmpty();

        var unknown = await Get($"/api/resolutions/{adopted.Id}/ballots/1/votes/csv?dialect=tsv", observer);
        unknown.Status.ShouldBe(400);
        (await Get($"/api/resolutions/{adopted.Id}/ballots/7/votes/csv", observer)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task The_calendar_of_a_body_holds_its_sessions_and_running_deadlines_in_Berlin_time_with_stable_uids()
    {
        var chair = await Api.Chair();
        var scheduled = await Api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "regular", format = "inPerson", place = "Erfurt, Thüringer Staatskanzlei", startsAt = "2027-03-03T09:30:00+01:00" });
        Api.Expect(scheduled, 201);
        var session = scheduled.Json["id"]!.GetValue<Guid>();
        var pending = (await Api.Propose(await Api.Representative("DE-SN"), "Umlauf „Cloud“", "Die Länder nutzen eine gemeinsame Cloud.")).Id;
        var deadline = new DateTimeOffset(2027, 7, 1, 12, 0, 0, TimeSpan.Zero);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{pending}/written-procedure", chair, new { deadline = deadline.ToString("O") }), 201);
        await app.ProjectionsCaughtUp();
        var reader = await Api.Token("Kalender", null, Roles.Observer);

        var first = await Get("/api/bodies/D16/calendar/ics", reader);

        first.Status.ShouldBe(200, first.Text);
        first.ContentType.ShouldStartWith("text/calendar");
        var calendar = Ical.Net.Calendar.Load(first.Text)!;
        calendar.TimeZones.Select(z => z.TzId).ShouldContain("Europe/Berlin");
        var meeting = calendar.Events.Single(e => e.Uid == CalendarFeed.SessionUid(session));
        meeting.DtStart!.TzId.ShouldBe("Europe/Berlin");
        meeting.DtStart.Value.ShouldBe(new DateTime(2027, 3, 3, 9, 30, 0));
        meeting.Location.ShouldBe("Erfurt, Thüringer Staatskanzlei");
        var procedure = (await Api.Get(pending, reader)).WrittenProcedures.Single();
        var due = calendar.Events.Single(e => e.Uid == CalendarFeed.DeadlineUid(procedure.Id));
        due.Summary.ShouldBe("Frist Umlaufverfahren: Umlauf „Cloud“");
        due.DtStart!.Value.ShouldBe(new DateTime(2027, 7, 1, 14, 0, 0));

        // A change to the session keeps its UID and raises its SEQUENCE: a subscribed calendar updates the entry.
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{session}/agenda", chair, new { title = "Haushalt" }), 200);
        var second = Ical.Net.Calendar.Load((await Get("/api/bodies/D16/calendar/ics", reader)).Text)!;
        var updated = second.Events.Single(e => e.Uid == CalendarFeed.SessionUid(session));
        updated.Sequence.ShouldBeGreaterThan(meeting.Sequence);
        updated.Description!.ShouldContain("TOP 1: Haushalt");
        (await Get("/api/bodies/NOPE/calendar/ics", reader)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task A_restricted_resolution_exports_to_no_one_outside_its_group_in_any_format()
    {
        var bayern = await Api.Representative("DE-BY");
        var proposed = await Api.Send(HttpMethod.Post, "/api/resolutions", bayern,
            new { body = "D16", title = "Vorab „vertraulich“", paragraphs = new[] { "Nur Bayern und Hessen." }, restrictedTo = new[] { "BY", "HE" } });
        Api.Expect(proposed, 201);
        var id = proposed.Json["id"]!.GetValue<Guid>();
        var amendment = await Api.ProposeAmendment(id, await Api.Representative("DE-HE"), 1, "Ergänzung",
            new { kind = "replace", paragraphId = "p1", text = "Nur Bayern und Hessen, vorerst." });
        string[] exports =
        [
            $"/api/resolutions/{id}/akn", $"/api/resolutions/{id}/akn?version=1", $"/api/resolutions/{id}/amendments/{amendment}/akn",
            $"/api/resolutions/{id}/pdf", $"/api/resolutions/{id}/ballots/1/votes/csv", $"/api/resolutions/{id}/audit-trail/csv",
            $"/api/resolutions/{id}/timeline/csv",
        ];
        var unknownId = Guid.NewGuid();
        var outsiders = new[] { await Api.Representative("DE-NW"), await Api.Token("Archiv Export", null, Roles.Observer), await Api.Token("Prüfung Export", null, Roles.Auditor) };

        foreach (var url in exports)
        {
            var unknown = await Get(url.Replace(id.ToString(), unknownId.ToString()), bayern);
            foreach (var outsider in outsiders)
            {
                var refused = await Get(url, outsider);
                refused.Status.ShouldBe(404, url);
                Problem(refused.Text.Replace(id.ToString(), unknownId.ToString())).ShouldBe(Problem(unknown.Text), url);
            }
        }
        (await Get($"/api/resolutions/{id}/akn", await Api.Representative("DE-HE"))).Status.ShouldBe(200);
        (await Get($"/api/resolutions/{id}/pdf", bayern)).Status.ShouldBe(200);
    }

    private static (string?, string?, string?) Problem(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        return (node["type"]?.GetValue<string>(), node["title"]?.GetValue<string>(), node["detail"]?.GetValue<string>());
    }

    /// <summary>Whitespace collapsed: pdftotext breaks lines where the layout wrapped them.</summary>
    private static string Words(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    private static List<Dictionary<string, string>> Rows(byte[] bytes, char separator)
    {
        using var reader = CsvReader.Create(bytes, CsvReaderOptions.Default with { Separator = separator });
        var rows = new List<Dictionary<string, string>>();
        reader.ReadHeader();
        var headers = reader.Headers!.ToArray();
        while (reader.Read())
            rows.Add(headers.Select((h, i) => (h, i)).ToDictionary(c => c.h, c => reader.GetString(c.i)));
        return rows;
    }

    private static async Task<string> Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, $"{program}: {error}");
        return output;
    }

    /// <summary>With UPDATE_SCREENSHOTS=1, page 1 as a picture in docs/screenshots (pdftoppm), as the browser tests keep theirs.</summary>
    private static async Task Screenshot(string pdf, string name)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") != "1") return;
        var target = Path.Combine(OpsScripts.RepositoryRoot, "docs", "screenshots", name);
        await Run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, target);
    }
}
