using Alba;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using MimeKit;

namespace BundLaenderKoordination.IntegrationTests.Notifications;

/// <summary>What the notification tests share: a service host of their own sending to a given mail server, people with addresses.</summary>
public static class NotificationKit
{
    public static Task<IAlbaHost> Host(AppFixture app, string schema, int smtpPort, string retrySeconds = "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1") =>
        app.StartHost("Development", settings: new Dictionary<string, string>
        {
            ["Marten:Schema"] = schema,
            ["Notifications:SmtpHost"] = "127.0.0.1",
            ["Notifications:SmtpPort"] = smtpPort.ToString(),
            ["Notifications:SmtpSecurity"] = "None",
            ["Notifications:BaseUrl"] = "https://blk.example.de",
            ["Notifications:RetrySeconds"] = retrySeconds,
        });

    public static string NewSchema() => "blk_mail_" + Guid.NewGuid().ToString("N")[..8];

    public static string Address(string land) => $"{land.ToLowerInvariant()}@laender.example";

    /// <summary>A representative of each Land with a mail address and a frequency for one body; their tokens by Land.</summary>
    public static async Task<Dictionary<string, string>> Representatives(ApiClient api, IEnumerable<string> lands, string frequency = "immediately",
        string body = "D16")
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

    public static string Subject(MimeMessage message) => message.Subject ?? "";

    public static IEnumerable<MimeMessage> To(IEnumerable<MimeMessage> messages, string address) =>
        messages.Where(m => m.To.Mailboxes.Any(a => a.Address == (address.Contains('@') ? address : Address(address))));

    /// <summary>Until the delivery has handled every notification derived so far (the operators' report shows none pending).</summary>
    public static async Task Delivered(ApiClient api, string admin)
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
}
