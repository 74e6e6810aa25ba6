using System.Security.Cryptography;
using System.Text;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>What a notification is about; each category has an unsubscribe link of its own (RFC 8058).</summary>
public enum NotificationCategory
{
    Ballots,
    WrittenProcedures,
    /// <summary>A deadline the person's Land must still answer: always sent, whatever the settings say.</summary>
    Deadlines,
    Objections,
    Outcomes,
    Sessions,
    Amendments,
}

/// <summary>Where a notification stands on its way to the person.</summary>
public enum DeliveryStatus
{
    /// <summary>Derived, not yet handled by the delivery.</summary>
    Pending,
    /// <summary>Mailed on its own.</summary>
    Sent,
    /// <summary>Waits for the person's daily digest.</summary>
    AwaitingDigest,
    /// <summary>Mailed in a daily digest.</summary>
    InDigest,
    /// <summary>In the inbox only: the person chose no mail for the body or the category, or gave no address.</summary>
    InboxOnly,
    /// <summary>Not delivered: the person's mandate ended, or the matter became hidden from them.</summary>
    Withheld,
    /// <summary>The mail server refused or could not be reached; Wolverine retries with backoff.</summary>
    Failing,
}

/// <summary>How a person wants to hear from one body.</summary>
public enum Frequency
{
    Immediately,
    Digest,
    Nothing,
}

/// <summary>
/// One notification for one person about one event, stored under an id that follows from the person, the event and the
/// kind of notice (<see cref="IdFor"/>): derived twice, it is the same document, so nobody hears of an event twice.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    public string PersonId { get; set; } = "";
    public string Body { get; set; } = "";
    public string BodyName { get; set; } = "";
    public NotificationCategory Category { get; set; }
    public Guid? ResolutionId { get; set; }
    public Guid? SessionId { get; set; }
    /// <summary>The subject without the body's name.</summary>
    public string Title { get; set; } = "";
    /// <summary>The German text; a mail about a restricted resolution leaves it out (<see cref="Restricted"/>).</summary>
    public string Text { get; set; } = "";
    /// <summary>The page the notice points to, relative to the service's address.</summary>
    public string Link { get; set; } = "";
    public bool Restricted { get; set; }
    public bool Mandatory { get; set; }
    /// <summary>An iCalendar (RFC 5545) invitation for sessions.</summary>
    public string? Calendar { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public bool Read { get; set; }

    /// <summary>A name-based id (RFC 9562 version 8 layout over SHA-256) of person, event and kind of notice.</summary>
    public static Guid IdFor(string personId, Guid eventOrSubject, string kind)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"bund-laender-koordination/notification/{personId}/{eventOrSubject:N}/{kind}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

/// <summary>A person's notification settings, stored under their id (the token's subject).</summary>
public sealed class NotificationSettings
{
    public string Id { get; set; } = "";
    /// <summary>Where mail goes; without one, notifications reach the inbox on the pages only.</summary>
    public string? Email { get; set; }
    /// <summary>Per body code; a body not listed is <see cref="Frequency.Immediately"/>.</summary>
    public Dictionary<string, Frequency> Bodies { get; set; } = new();
    /// <summary>Categories the person unsubscribed from by mail (one click) or on the settings page.</summary>
    public HashSet<NotificationCategory> Unsubscribed { get; set; } = [];

    public Frequency For(string body) => Bodies.TryGetValue(body, out var frequency) ? frequency : Frequency.Immediately;
}

/// <summary>Deliver one stored notification (a durable local queue: kept in PostgreSQL until handled).</summary>
public sealed record DeliverNotification(Guid NotificationId);

/// <summary>Scheduled for 24 hours before a written procedure's deadline: remind the Länder that have not answered.</summary>
public sealed record WrittenProcedureReminderDue(Guid ResolutionId, Guid ProcedureId);

/// <summary>Send the daily digests: one mail per person with everything that waited for it.</summary>
public sealed record SendDigests(DateOnly Day);

/// <summary>The digest of one person for one day (exactly once: see <see cref="DigestSent"/>).</summary>
public sealed record SendPersonDigest(string PersonId, DateOnly Day);

/// <summary>A digest mailed, stored under person and day: a second attempt for the same day finds it and sends nothing.</summary>
public sealed record DigestSent(string Id, string PersonId, DateOnly Day, IReadOnlyList<Guid> Notifications, DateTimeOffset SentAt)
{
    public static string IdFor(string personId, DateOnly day) => $"{personId}/{day:yyyy-MM-dd}";
}
