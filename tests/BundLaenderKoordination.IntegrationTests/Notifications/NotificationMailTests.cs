using Alba;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.IntegrationTests.WrittenProcedures;
using MimeKit;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Notifications;

/// <summary>
/// Notifications as the Länder receive them, from a real SMTP server (smtp4dev) that the tests start, sent by a service
/// host of their own (its own schema, its own mail server), so that every mail counted here came from the test.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NotificationMailTests(AppFixture app) : IAsyncLifetime
{
    private MailServer _mail = null!;
    private readonly string _schema = "blk_mail_" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync() => _mail = await MailServer.StartAsync();

    public async Task DisposeAsync() => await _mail.DisposeAsync();

    private Task<IAlbaHost> Host(string? smtpPort = null) => app.StartHost("Development", settings: new Dictionary<string, string>
    {
        ["Marten:Schema"] = _schema,
        ["Notifications:SmtpHost"] = "127.0.0.1",
        ["Notifications:SmtpPort"] = smtpPort ?? _mail.SmtpPort.ToString(),
        ["Notifications:SmtpSecurity"] = "None",
        ["Notifications:BaseUrl"] = "https://blk.example.de",
        ["Notifications:RetrySeconds"] = "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
    });

    private static string Address(string land) => $"{land.ToLowerInvariant()}@laender.example";

    /// <summary>A representative of each Land (and of the Bund), each with a mail address; returns their tokens by Land.</summary>
    private static async Task<Dictionary<string, string>> Representatives(ApiClient api, IEnumerable<string> lands, string frequency = "immediately", string body = "BL-KI")
    {
        var tokens = new Dictionary<string, string>();
        foreach (var land in lands)
        {
            var token = await api.Representative(land);
            api.Expect(await api.Send(HttpMethod.Put, "/api/notifications/settings", token,
                new { email = Address(land), bodies = new Dictionary<string, string> { [body] = frequency } }), 200);
            tokens[land] = token;
        }
        return tokens;
    }

    private static string Plain(MimeMessage message) => message.TextBody ?? "";

    private static IEnumerable<MimeMessage> To(IEnumerable<MimeMessage> messages, string land) =>
        messages.Where(m => m.To.Mailboxes.Any(a => a.Address == Address(land)));

    /// <summary>Until the delivery has handled every notification derived so far (the operators' report shows none pending).</summary>
    private static async Task Delivered(ApiClient api, string admin)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            var report = await api.Send(HttpMethod.Get, "/api/admin/notifications", admin);
            api.Expect(report, 200);
            if (report.Json["byStatus"]!["pending"]!.GetValue<int>() == 0) return;
            await Task.Delay(500);
        }
        throw new Xunit.Sdk.XunitException("The delivery did not handle the notifications within two minutes.");
    }

    [Fact]
    public async Task A_silence_procedure_notifies_every_Land_once_reminds_those_who_did_not_answer_and_a_restart_neither_loses_nor_repeats_a_mail()
    {
        string[] members = [.. ApiClient.AllLaender, "BUND"];
        Guid id;
        DateTimeOffset deadline;
        await using (var first = await Host())
        {
            var api = new ApiClient(first);
            var tokens = await Representatives(api, members);
            id = (await api.ProposeTo("BL-KI", tokens["DE-BY"], "KI-Reallabore", "Bund und Länder richten gemeinsame KI-Reallabore ein.")).Id;
            var chair = await api.Chair("BUND");
            // The reminder is due 24 hours before the deadline, here a few seconds after the start.
            deadline = DateTimeOffset.UtcNow.AddHours(24).AddSeconds(6);
            api.Expect(await WrittenProcedureTests.Start(api, id, chair, deadline), 201);
            api.Expect(await api.Send(HttpMethod.Post, $"/api/resolutions/{id}/written-procedure/consent", tokens["DE-HE"]), 200);
            // The service stops right after: whatever it had not delivered yet waits in PostgreSQL.
        }

        await using var second = await Host();
        var started = await _mail.Until(m => m.Count(x => (x.Subject ?? "").Contains("Umlaufverfahren eingeleitet")) >= members.Length,
            "the start of the written procedure for every Land");
        var reminded = await _mail.Until(m => m.Count(x => (x.Subject ?? "").Contains("Frist in 24 Stunden")) >= members.Length - 1,
            "the reminders of those who have not answered");
        // Time for a repeated mail to arrive, had anything been sent twice.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var all = await _mail.Messages();

        foreach (var land in members)
        {
            var mine = To(all, land).ToList();
            mine.Count(m => (m.Subject ?? "").Contains("Umlaufverfahren eingeleitet")).ShouldBe(1, $"{land} hears of the start once");
            mine.Count(m => (m.Subject ?? "").Contains("Frist in 24 Stunden")).ShouldBe(land == "DE-HE" ? 0 : 1,
                land == "DE-HE" ? "Hessen consented and is not reminded" : $"{land} has not answered and is reminded once");
        }
        all.Count.ShouldBe(members.Length + members.Length - 1, "nothing else was sent, and nothing twice");

        var start = To(all, "DE-NI").Single(m => (m.Subject ?? "").Contains("Umlaufverfahren eingeleitet"));
        (start.Subject ?? "").ShouldBe("[Bund-Länder-Gespräch KI] Umlaufverfahren eingeleitet: KI-Reallabore");
        Plain(start).ShouldContain($"Frist: {BundLaenderKoordination.Api.Web.GermanTime.Format(deadline, false)} (deutsche Zeit)");
        Plain(start).ShouldContain("Schweigeverfahren: wer bis zur Frist keinen Einwand erhebt, stimmt zu.");
        Plain(start).ShouldContain($"https://blk.example.de/beschluesse/{id}");
        (start.HtmlBody ?? "").ShouldNotContain("<img", Case.Insensitive, "no tracking pixel, no images");
        start.Headers["List-Unsubscribe-Post"].ShouldBe("List-Unsubscribe=One-Click");
        (start.Headers["List-Unsubscribe"] ?? "").ShouldStartWith("<https://blk.example.de/api/notifications/unsubscribe?token=");

        var reminder = To(all, "DE-NI").Single(m => (m.Subject ?? "").Contains("Frist in 24 Stunden"));
        Plain(reminder).ShouldContain("Ihr Land hat noch nicht geantwortet.");
        reminder.Headers.Contains("List-Unsubscribe").ShouldBeFalse("a deadline one must answer cannot be unsubscribed");
    }

    [Fact]
    public async Task One_click_unsubscribe_stops_that_category_and_the_daily_digest_gathers_a_days_notices_into_one_mail()
    {
        await using var host = await Host();
        var api = new ApiClient(host);
        var digest = await Representatives(api, ["DE-SN"], "digest", "D16");
        var immediate = await Representatives(api, ["DE-TH"], "immediately", "D16");
        var chair = await api.Chair();

        var first = (await api.Propose(immediate["DE-TH"], "Verwaltungsdigitalisierung", "Die Länder bündeln ihre Portale.")).Id;
        api.Expect(await api.OpenBallot(first, chair), 201);
        var ballotMail = (await _mail.Until(m => To(m, "DE-TH").Any(x => (x.Subject ?? "").Contains("Abstimmung eröffnet")), "the ballot for Thüringen"))
            .Single(m => To([m], "DE-TH").Any());
        var link = ballotMail.Headers["List-Unsubscribe"]!.Trim('<', '>');
        var unsubscribe = await api.Send(HttpMethod.Post, link.Replace("https://blk.example.de", ""), null, rawBody: "List-Unsubscribe=One-Click");
        unsubscribe.Status.ShouldBe(200, unsubscribe.Body);

        var second = (await api.Propose(immediate["DE-TH"], "Open Data", "Die Länder veröffentlichen ihre Daten offen.")).Id;
        api.Expect(await api.OpenBallot(second, chair), 201);
        api.Expect(await api.CloseBallot(first, chair), 200);
        await _mail.Until(m => To(m, "DE-TH").Any(x => (x.Subject ?? "").Contains("Beschluss")), "the outcome for Thüringen");

        var admin = await api.Admin();
        await Delivered(api, admin);
        api.Expect(await api.Send(HttpMethod.Post, "/api/admin/notifications/digest", admin), 202);
        var all = await _mail.Until(m => To(m, "DE-SN").Any(), "Sachsen's digest");
        await Task.Delay(TimeSpan.FromSeconds(2));
        all = await _mail.Messages();

        To(all, "DE-TH").Count(m => (m.Subject ?? "").Contains("Abstimmung eröffnet")).ShouldBe(1, "after one click no more ballot mails");
        var saxony = To(all, "DE-SN").ShouldHaveSingleItem("the day's notices come in one digest");
        (saxony.Subject ?? "").ShouldContain("Tageszusammenfassung");
        Plain(saxony).ShouldContain("Verwaltungsdigitalisierung");
        Plain(saxony).ShouldContain("Open Data");
        api.Expect(await api.Send(HttpMethod.Post, "/api/admin/notifications/digest", admin), 202);
        await Task.Delay(TimeSpan.FromSeconds(2));
        To(await _mail.Messages(), "DE-SN").Count().ShouldBe(1, "a second run of the same day sends no second digest");
    }
}
