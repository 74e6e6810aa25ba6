using Alba;
using BundLaenderKoordination.Api.Notifications;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.IntegrationTests.WrittenProcedures;
using Ical.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Shouldly;
using static BundLaenderKoordination.IntegrationTests.Notifications.NotificationKit;

namespace BundLaenderKoordination.IntegrationTests.Notifications;

/// <summary>
/// Who is told what, as the mail server receives it: nothing of a restricted resolution's text and nothing at all to
/// whoever may not see it, nothing after a mandate's revocation, sessions with a calendar entry, amendments and replies
/// to whose paragraph or comment they touch, and deadlines even to whoever chose no mail.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NotificationRecipientsTests(AppFixture app) : IAsyncLifetime
{
    private MailServer _mail = null!;
    private readonly string _schema = NewSchema();

    public async Task InitializeAsync() => _mail = await MailServer.StartAsync();

    public async Task DisposeAsync() => await _mail.DisposeAsync();

    private Task<IAlbaHost> Start() => Host(app, _schema, _mail.SmtpPort);

    private static async Task<List<Notification>> StoredFor(IAlbaHost host, string personId)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. await session.Query<Notification>().Where(n => n.PersonId == personId).ToListAsync()];
    }

    [Fact]
    public async Task A_restricted_resolutions_mail_holds_no_text_only_a_link_that_needs_sign_in_and_whoever_may_not_see_it_hears_nothing()
    {
        await using var host = await Start();
        var api = new ApiClient(host);
        var tokens = await Representatives(api, ["DE-BY", "DE-HE", "DE-NW"]);
        var admin = await api.Admin();
        const string title = "Vorabstimmung Bayern Hessen zur Grenzpolizei";
        const string text = "Die Länder Bayern und Hessen legen ihre Einsatzpläne vertraulich zusammen.";
        var proposed = await api.Send(HttpMethod.Post, "/api/resolutions", tokens["DE-BY"],
            new { body = "D16", title, paragraphs = new[] { text }, restrictedTo = new[] { "DE-BY", "DE-HE" } });
        api.Expect(proposed, 201);
        var id = proposed.Json["id"]!.GetValue<Guid>();
        // Hessen comments and Bayern answers (Hessen is told); Hessen amends Bayern's paper (Bayern is told).
        var commented = await api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", tokens["DE-HE"], new { text = "Auch die Wasserschutzpolizei?", paragraphId = "p1" });
        api.Expect(commented, 201);
        var comment = commented.Json["commentId"]!.GetValue<Guid>();
        api.Expect(await api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/replies", tokens["DE-BY"],
            new { text = "Ja, die Wasserschutzpolizei gehört dazu." }), 201);
        await api.ProposeAmendment(id, tokens["DE-HE"], 1, "Wasserschutzpolizei ergänzen",
            new { kind = "replace", paragraphId = "p1", text = "Die Länder Bayern und Hessen legen ihre Einsatzpläne samt Wasserschutzpolizei vertraulich zusammen." });

        await _mail.Until(m => To(m, "DE-BY").Any() && To(m, "DE-HE").Any(), "the notices to Bayern and Hessen");
        await Delivered(api, admin);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var all = await _mail.Messages();

        foreach (var land in new[] { "DE-BY", "DE-HE" })
        {
            var mail = To(all, land).ShouldHaveSingleItem($"{land} is in the group and is told once");
            Subject(mail).ShouldEndWith("] Neuigkeit zu einem vertraulichen Beschluss");
            foreach (var part in new[] { Subject(mail), mail.TextBody ?? "", mail.HtmlBody ?? "" })
            {
                part.ShouldNotContain("Grenzpolizei", Case.Insensitive, "no title");
                part.ShouldNotContain("Einsatzpläne", Case.Insensitive, "no text");
                part.ShouldNotContain("Wasserschutzpolizei", Case.Insensitive, "no comment, reply or rationale");
                part.ShouldNotContain("Änderungsantrag", Case.Insensitive, "not even what happened");
            }
            (mail.TextBody ?? "").ShouldContain(MailComposer.RestrictedText);
            (mail.TextBody ?? "").ShouldContain($"https://blk.example.de/beschluesse/{id}");
            mail.Attachments.ShouldBeEmpty();
        }
        To(all, "DE-NW").ShouldBeEmpty("Nordrhein-Westfalen is not in the group and is told nothing");
        (await StoredFor(host, ApiClient.PersonId("Vertretung DE-NW"))).ShouldNotContain(n => n.ResolutionId == id,
            "no notice is even stored for someone who may not see the resolution");
        var inbox = await api.Send(HttpMethod.Get, "/api/notifications", tokens["DE-NW"]);
        api.Expect(inbox, 200);
        inbox.Body.ShouldNotContain(id.ToString());
        // In the inbox of a member, behind the sign-in, the notice is whole.
        var bavarian = await api.Send(HttpMethod.Get, "/api/notifications", tokens["DE-BY"]);
        bavarian.Body.ShouldContain("Wasserschutzpolizei ergänzen");

        // The link in the mail shows nothing without a sign-in: it leads to the sign-in page.
        var page = await api.Send(HttpMethod.Get, $"/beschluesse/{id}", null);
        page.Status.ShouldBe(302);
        (page.Headers.Location ?? "").ShouldContain("/anmelden");
    }

    [Fact]
    public async Task A_revoked_mandate_stops_notifications_from_that_moment()
    {
        await using var host = await Start();
        var api = new ApiClient(host);
        const string name = "Widerruf Niedersachsen";
        var personId = ApiClient.PersonId(name);
        var revoked = await api.Token(name, "DE-NI", "representative");
        api.Expect(await api.Send(HttpMethod.Put, "/api/notifications/settings", revoked, new { email = "widerruf@laender.example" }), 200);
        var holstein = await Representatives(api, ["DE-SH"]);
        var chair = await api.Chair();
        var admin = await api.Admin();

        // Before the revocation the person is told like everyone else.
        var before = (await api.Propose(holstein["DE-SH"], "Küstenschutz", "Die Länder stärken ihre Deiche.")).Id;
        api.Expect(await api.OpenBallot(before, chair), 201);
        await _mail.Until(m => To(m, "widerruf@laender.example").Any() && To(m, "DE-SH").Any(), "the first ballot's notices");

        var first = await api.Admin("Verwaltung A");
        var second = await api.Admin("Verwaltung B");
        var url = $"/api/bodies/D16/mandates/{Uri.EscapeDataString(personId)}/revocation";
        api.Expect(await api.Send(HttpMethod.Post, url, first, new { reason = "Wechsel des Ressorts" }), 200);
        api.Expect(await api.Send(HttpMethod.Post, url + "/confirmation", second), 204);

        var after = (await api.Propose(holstein["DE-SH"], "Hafenkooperation", "Die Länder stimmen ihre Häfen ab.")).Id;
        api.Expect(await api.OpenBallot(after, chair), 201);
        await _mail.Until(m => To(m, "DE-SH").Count(x => Subject(x).Contains("Hafenkooperation")) == 1, "the second ballot's notice to Schleswig-Holstein");
        await Delivered(api, admin);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var mine = To(await _mail.Messages(), "widerruf@laender.example").ToList();
        mine.ShouldHaveSingleItem("only the notice from before the revocation");
        Subject(mine[0]).ShouldContain("Küstenschutz");
        (await StoredFor(host, personId)).ShouldNotContain(n => n.ResolutionId == after, "nothing is derived for a revoked mandate");
        var inbox = await api.Send(HttpMethod.Get, "/api/notifications", revoked);
        api.Expect(inbox, 200);
        inbox.Body.ShouldNotContain(after.ToString());
        inbox.Body.ShouldNotContain(before.ToString(), customMessage: "the inbox reads mandates as of now: the body's notices are gone with the mandate");
    }

    [Fact]
    public async Task A_session_scheduled_and_its_agenda_changed_come_with_a_calendar_entry_in_German_time_under_one_UID()
    {
        await using var host = await Start();
        var api = new ApiClient(host);
        await Representatives(api, ["DE-BW"]);
        var chair = await api.Chair();
        var scheduled = await api.Send(HttpMethod.Post, "/api/bodies/D16/sessions", chair,
            new { kind = "regular", format = "inPerson", place = "Stuttgart", startsAt = "2027-03-04T10:00:00+01:00" });
        api.Expect(scheduled, 201);
        var session = scheduled.Json["id"]!.GetValue<Guid>();
        await _mail.Until(m => To(m, "DE-BW").Any(x => Subject(x).Contains("Sitzung angesetzt")), "the session's notice");
        api.Expect(await api.Send(HttpMethod.Post, $"/api/sessions/{session}/agenda", chair, new { title = "Starkregenvorsorge" }), 200);
        var all = await _mail.Until(m => To(m, "DE-BW").Any(x => Subject(x).Contains("Tagesordnung geändert")), "the agenda's notice");

        var invitation = To(all, "DE-BW").Single(m => Subject(m).Contains("Sitzung angesetzt"));
        Subject(invitation).ShouldContain("Sitzung angesetzt am 04.03.2027");
        var first = Event(invitation);
        first.Uid.ShouldBe($"session-{session}@bund-laender-koordination");
        first.DtStart!.TzId.ShouldBe("Europe/Berlin");
        first.DtStart.Value.ShouldBe(new DateTime(2027, 3, 4, 10, 0, 0));
        first.DtStart.AsUtc.ShouldBe(new DateTime(2027, 3, 4, 9, 0, 0, DateTimeKind.Utc));
        first.Location.ShouldBe("Stuttgart");

        var changed = Event(To(all, "DE-BW").Single(m => Subject(m).Contains("Tagesordnung geändert")));
        changed.Uid.ShouldBe(first.Uid, "the same entry, replaced in the calendar");
        changed.Sequence.ShouldBeGreaterThan(first.Sequence, "a later version of the entry");
        (changed.Description ?? "").ShouldContain("Starkregenvorsorge");
        changed.DtStart!.Value.ShouldBe(new DateTime(2027, 3, 4, 10, 0, 0));
    }

    private static Ical.Net.CalendarComponents.CalendarEvent Event(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().ShouldHaveSingleItem();
        part.FileName.ShouldBe("sitzung.ics");
        part.ContentType.MimeType.ShouldBe("text/calendar");
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        var calendar = Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!;
        return calendar.Events.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_amendment_tells_the_proposing_Land_and_the_Land_that_commented_on_the_paragraph_and_a_reply_tells_the_commenting_Land()
    {
        await using var host = await Start();
        var api = new ApiClient(host);
        var tokens = await Representatives(api, ["DE-NW", "DE-HH", "DE-HB", "DE-BE"]);
        var admin = await api.Admin();
        var id = (await api.Propose(tokens["DE-NW"], "Fachkräfte", "Die Länder werben gemeinsam um Fachkräfte.", "Der Bund unterstützt sie.")).Id;
        var onP1 = await api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", tokens["DE-HH"], new { text = "Auch im Ausland?", paragraphId = "p1" });
        api.Expect(onP1, 201);
        api.Expect(await api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", tokens["DE-HB"], new { text = "Mit welchen Mitteln?", paragraphId = "p2" }), 201);
        await api.ProposeAmendment(id, tokens["DE-BE"], 1, "Auch im Ausland werben",
            new { kind = "replace", paragraphId = "p1", text = "Die Länder werben gemeinsam im In- und Ausland um Fachkräfte." });
        var comment = onP1.Json["commentId"]!.GetValue<Guid>();
        api.Expect(await api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/replies", tokens["DE-NW"], new { text = "Ja, mit dem Bund." }), 201);

        await _mail.Until(m => To(m, "DE-NW").Any() && To(m, "DE-HH").Count() >= 2, "the amendment's and the reply's notices");
        await Delivered(api, admin);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var all = await _mail.Messages();

        Subject(To(all, "DE-NW").ShouldHaveSingleItem("the proposing Land hears of the amendment, not of its own reply"))
            .ShouldEndWith("Änderungsantrag Ä1 zu Ihrem Antrag: Fachkräfte");
        var hamburg = To(all, "DE-HH").Select(Subject).Order().ToList();
        hamburg.Count.ShouldBe(2, string.Join("; ", hamburg));
        hamburg.ShouldContain(s => s.EndsWith("Änderungsantrag Ä1 zu einem Absatz, den Ihr Land kommentiert hat: Fachkräfte"));
        hamburg.ShouldContain(s => s.EndsWith("Antwort auf den Kommentar Ihres Landes: Fachkräfte"));
        var amendmentMail = To(all, "DE-HH").Single(m => Subject(m).Contains("Änderungsantrag"));
        (amendmentMail.TextBody ?? "").ShouldContain("Berlin beantragt mit Ä1");
        (amendmentMail.TextBody ?? "").ShouldContain("Begründung: Auch im Ausland werben");
        To(all, "DE-HB").ShouldBeEmpty("Bremen commented on a paragraph the amendment leaves alone");
        To(all, "DE-BE").ShouldBeEmpty("whoever proposed the amendment is not told of it");
    }

    [Fact]
    public async Task No_mail_for_a_body_still_mails_the_deadline_ones_Land_must_answer()
    {
        await using var host = await Start();
        var api = new ApiClient(host);
        var quiet = await Representatives(api, ["DE-ST"], "nothing", "BL-KI");
        await Representatives(api, ["DE-MV"], "immediately", "BL-KI");
        var proposer = await api.Representative("DE-BY");
        var chair = await api.Chair("BUND");
        var admin = await api.Admin();
        var id = (await api.ProposeTo("BL-KI", proposer, "KI im Katastrophenschutz", "Bund und Länder erproben KI in der Lagebeurteilung.")).Id;
        // The reminder is due 24 hours before the deadline, here a few seconds after the start.
        api.Expect(await WrittenProcedureTests.Start(api, id, chair, DateTimeOffset.UtcNow.AddHours(24).AddSeconds(6)), 201);

        await _mail.Until(m => To(m, "DE-ST").Any(x => Subject(x).Contains("Frist in 24 Stunden"))
                               && To(m, "DE-MV").Any(x => Subject(x).Contains("Frist in 24 Stunden")), "the reminders");
        await Delivered(api, admin);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var all = await _mail.Messages();

        var saxonyAnhalt = To(all, "DE-ST").ShouldHaveSingleItem("no mail but the deadline");
        Subject(saxonyAnhalt).ShouldContain("Frist in 24 Stunden: KI im Katastrophenschutz");
        To(all, "DE-MV").Select(Subject).ShouldContain(s => s.Contains("Umlaufverfahren eingeleitet"), "the control: immediately means the start too");
        var inbox = await api.Send(HttpMethod.Get, "/api/notifications", quiet["DE-ST"]);
        api.Expect(inbox, 200);
        var items = inbox.Json["items"]!.AsArray().Select(i => (Title: i!["title"]!.GetValue<string>(), Status: i["status"]!.GetValue<string>())).ToList();
        items.ShouldContain(i => i.Title.StartsWith("Umlaufverfahren eingeleitet") && i.Status == "inboxOnly", "the start is in the inbox, not in the mail");
        items.ShouldContain(i => i.Title.StartsWith("Frist in 24 Stunden") && i.Status == "sent");
    }
}
