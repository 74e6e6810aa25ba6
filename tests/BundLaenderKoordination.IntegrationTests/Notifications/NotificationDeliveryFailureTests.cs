using System.Diagnostics.Metrics;
using BundLaenderKoordination.Api.Notifications;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using static BundLaenderKoordination.IntegrationTests.Notifications.NotificationKit;

namespace BundLaenderKoordination.IntegrationTests.Notifications;

/// <summary>
/// A mail server that refuses: the delivery is tried again after each configured wait, every failed attempt is counted
/// by the metric operators alert on and listed in their report with the server's answer, and once a mail server takes
/// mail again on that port the notice is delivered, once.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NotificationDeliveryFailureTests(AppFixture app)
{
    [Fact]
    public async Task A_refusing_mail_server_is_retried_with_backoff_counted_and_reported_and_the_mail_goes_out_once_when_it_takes_mail_again()
    {
        var port = MailServer.FreePort();
        var refusing = new RefusingMailServer(port);
        MailServer? mail = null;
        // Waits of three seconds between attempts, as many as Wolverine allows: long enough for a real mail server to start meanwhile.
        await using var host = await Host(app, NewSchema(), port, string.Join(' ', Enumerable.Repeat("3", NotificationOptions.MaxRetries)));
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // The counters of this host alone: other hosts of the run have meters of the same name.
            if (instrument.Meter.Scope == meters && instrument.Name == "blk.notifications.delivery_failures") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();
        try
        {
            var api = new ApiClient(host);
            // Only Saarland's representative has an address: every attempt at the mail server is one of this notice.
            var saarland = await Representatives(api, ["DE-SL"]);
            var proposer = await api.Representative("DE-RP");
            var chair = await api.Chair();
            var admin = await api.Admin();
            var id = (await api.Propose(proposer, "Hochwasserschutz an der Saar", "Die Länder stimmen ihre Pegelwarnungen ab.")).Id;
            api.Expect(await api.OpenBallot(id, chair), 201);

            // Failing: several attempts, each after the configured wait, each counted and the last one reported with the answer.
            var failing = await Until(async () =>
            {
                var report = await api.Send(HttpMethod.Get, "/api/admin/notifications", admin);
                api.Expect(report, 200);
                var item = report.Json["failing"]!.AsArray().FirstOrDefault();
                return item is not null && item["attempts"]!.GetValue<int>() >= 3 ? report : null;
            }, "three failed attempts in the operators' report");
            var entry = failing.Json["failing"]!.AsArray().ShouldHaveSingleItem()!;
            entry["personId"]!.GetValue<string>().ShouldBe(ApiClient.PersonId("Vertretung DE-SL"));
            entry["body"]!.GetValue<string>().ShouldBe("D16");
            entry["category"]!.GetValue<string>().ShouldBe("ballots");
            entry["lastError"]!.GetValue<string>().ShouldContain(RefusingMailServer.Answer);
            failing.Json["byStatus"]!["failing"]!.GetValue<int>().ShouldBe(1);
            failing.Json["byStatus"]!["sent"]!.GetValue<int>().ShouldBe(0);

            var attempts = refusing.Attempts;
            attempts.Count.ShouldBeGreaterThanOrEqualTo(3);
            for (var i = 1; i < attempts.Count; i++)
                (attempts[i] - attempts[i - 1]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2.9),
                    $"attempt {i + 1} came only {(attempts[i] - attempts[i - 1]).TotalMilliseconds} ms after the one before: a retry waits");
            Interlocked.Read(ref failures).ShouldBeGreaterThanOrEqualTo(3, "the metric counts every failed attempt");
            Interlocked.Read(ref failures).ShouldBeLessThanOrEqualTo(refusing.Attempts.Count, "and nothing but failed attempts");

            // The mail server comes back on the same port: the next retry delivers, once.
            await refusing.DisposeAsync();
            mail = await MailServer.StartAsync(port);
            await mail.Until(m => To(m, "DE-SL").Any(), "the ballot's mail to Saarland once the server takes mail");
            await Delivered(api, admin);
            var after = await Until(async () =>
            {
                var report = await api.Send(HttpMethod.Get, "/api/admin/notifications", admin);
                // The report counts status by status: read until it shows the notice sent and none failing.
                return report.Json["byStatus"]!["failing"]!.GetValue<int>() == 0 && report.Json["byStatus"]!["sent"]!.GetValue<int>() == 1 ? report : null;
            }, "the report with the notice sent and none failing");
            after.Json["failing"]!.AsArray().ShouldBeEmpty();
            // Time for a second copy to arrive, had the retries sent it twice.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var all = await mail.Messages();
            var ballot = all.ShouldHaveSingleItem("one notice, one mail, however many attempts failed before");
            Subject(ballot).ShouldContain("Abstimmung eröffnet: Hochwasserschutz an der Saar");
        }
        finally
        {
            await refusing.DisposeAsync();
            if (mail is not null) await mail.DisposeAsync();
        }
    }

    private static async Task<Response> Until(Func<Task<Response?>> done, string what)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (await done() is { } response) return response;
            await Task.Delay(500);
        }
        throw new Xunit.Sdk.XunitException($"Within two minutes there was no {what}.");
    }
}
