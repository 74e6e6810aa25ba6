using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.DataProtection;
using MimeKit;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>
/// <c>Notifications:*</c> settings (docs/notifications.md). Without <see cref="SmtpHost"/> no mail is sent: notifications
/// reach the inbox on the pages only.
/// </summary>
public sealed class NotificationOptions
{
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    /// <summary>MailKit's choice: <c>Auto</c> (STARTTLS when offered), <c>StartTls</c>, <c>SslOnConnect</c> or <c>None</c>.</summary>
    public SecureSocketOptions SmtpSecurity { get; set; } = SecureSocketOptions.Auto;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    public string From { get; set; } = "Bund-Länder-Koordination <noreply@bund-laender-koordination.invalid>";
    /// <summary>The service's public address: links in mails point there.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5180";
    /// <summary>
    /// The waits between delivery attempts when the mail server fails, in seconds, separated by spaces; after the last the
    /// message goes to Wolverine's dead letters.
    /// </summary>
    public string RetrySeconds { get; set; } = "5 30 120 600 1800 3600";

    /// <summary>The most waits <see cref="RetrySeconds"/> may name: Wolverine allows 25 attempts of one message.</summary>
    public const int MaxRetries = 24;

    public TimeSpan[] RetryDelays => RetrySeconds.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(s => TimeSpan.FromSeconds(double.Parse(s, System.Globalization.CultureInfo.InvariantCulture))).ToArray();
    /// <summary>When the daily digest goes out, German local time.</summary>
    public TimeOnly DigestAt { get; set; } = new(7, 0);

    public bool SendsMail => !string.IsNullOrWhiteSpace(SmtpHost);
}

/// <summary>One-click unsubscribe links (RFC 8058): a token of person and category protected by ASP.NET Core Data Protection.</summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("BundLaenderKoordination.Notifications.Unsubscribe");

    public string For(string personId, NotificationCategory category) => _protector.Protect($"{category}\n{personId}");

    public (string PersonId, NotificationCategory Category)? Read(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var parts = _protector.Unprotect(token).Split('\n', 2);
            return parts.Length == 2 && Enum.TryParse<NotificationCategory>(parts[0], out var category) ? (parts[1], category) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>
/// German mails: the body's name in the subject, a plain-text part and an HTML part with the same words, an unsubscribe
/// link per category (List-Unsubscribe with List-Unsubscribe-Post), and nothing that tracks: no images, no pixel, no
/// rewritten links. A mail about a restricted resolution says only that there is news, with a link that needs sign-in.
/// </summary>
public sealed class MailComposer(NotificationOptions options, UnsubscribeTokens tokens)
{
    public const string RestrictedText = "Es gibt Neuigkeiten zu einem vertraulichen Beschluss. Den Inhalt sehen Sie nach der Anmeldung.";

    public MimeMessage Single(Notification notice, string to)
    {
        var subject = notice.Restricted ? "Neuigkeit zu einem vertraulichen Beschluss" : notice.Title;
        var text = notice.Restricted ? RestrictedText : notice.Text;
        var message = Message(to, $"[{notice.BodyName}] {subject}", notice.PersonId, notice.Mandatory ? null : notice.Category,
            [(text, Url(notice.Link))], notice.Calendar);
        // The same notice mailed twice (a crash between the mail server's answer and our commit) carries the same id.
        message.MessageId = $"{notice.Id:N}@bund-laender-koordination";
        return message;
    }

    public MimeMessage Digest(IReadOnlyList<Notification> notices, string to, DateOnly day)
    {
        var bodies = string.Join(", ", notices.Select(n => n.BodyName).Distinct().Order(StringComparer.Ordinal));
        var items = notices.OrderBy(n => n.OccurredAt)
            .Select(n => ((n.Restricted ? RestrictedText : $"{n.BodyName}: {n.Title}\n\n{n.Text}"), Url(n.Link))).ToList();
        var message = Message(to, $"[{bodies}] Tageszusammenfassung vom {day:dd.MM.yyyy}: {notices.Count} Neuigkeiten",
            notices[0].PersonId, null, items, null);
        message.MessageId = $"{Notification.IdFor(notices[0].PersonId, Guid.Empty, $"digest/{day:yyyy-MM-dd}"):N}@bund-laender-koordination";
        return message;
    }

    private MimeMessage Message(string to, string subject, string personId, NotificationCategory? category,
        IReadOnlyList<(string Text, string Link)> items, string? calendar)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Headers.Add("Auto-Submitted", "auto-generated");
        string? unsubscribe = null;
        if (category is { } c)
        {
            unsubscribe = Url("/api/notifications/unsubscribe?token=" + Uri.EscapeDataString(tokens.For(personId, c)));
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var plain = string.Join("\n\n----\n\n", items.Select(i => $"{i.Text}\n\nAnsehen (Anmeldung nötig): {i.Link}"));
        var settings = Url("/benachrichtigungen");
        plain += $"\n\n--\nDiese Nachricht kommt von der Bund-Länder-Koordination. Einstellungen: {settings}"
                 + (unsubscribe is null ? "" : $"\nDiese Art Nachricht abbestellen: {unsubscribe}");
        var html = "<!DOCTYPE html><html lang=\"de\"><body>"
                   + string.Join("<hr>", items.Select(i => $"<p>{Html(i.Text)}</p><p><a href=\"{WebUtility.HtmlEncode(i.Link)}\">Ansehen (Anmeldung nötig)</a></p>"))
                   + $"<hr><p><small>Diese Nachricht kommt von der Bund-Länder-Koordination. <a href=\"{WebUtility.HtmlEncode(settings)}\">Einstellungen</a>"
                   + (unsubscribe is null ? "" : $" · <a href=\"{WebUtility.HtmlEncode(unsubscribe)}\">Diese Art Nachricht abbestellen</a>")
                   + "</small></p></body></html>";
        var builder = new BodyBuilder { TextBody = plain, HtmlBody = html };
        if (calendar is not null)
            builder.Attachments.Add("sitzung.ics", System.Text.Encoding.UTF8.GetBytes(calendar), new ContentType("text", "calendar") { Charset = "utf-8" });
        message.Body = builder.ToMessageBody();
        return message;
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>");

    private string Url(string path) => options.BaseUrl.TrimEnd('/') + path;
}

/// <summary>Sends a mail over SMTP with MailKit; a refusal or an unreachable server throws, and Wolverine retries.</summary>
public sealed class Mailer(NotificationOptions options)
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(options.SmtpHost!, options.SmtpPort, options.SmtpSecurity, ct);
        if (!string.IsNullOrEmpty(options.SmtpUser))
            await client.AuthenticateAsync(options.SmtpUser, options.SmtpPassword ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}
