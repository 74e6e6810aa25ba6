using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Marten;
using Microsoft.AspNetCore.Mvc;
using MimeKit;
using Wolverine;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Notifications;

public sealed record InboxItem(Guid Id, string Body, string BodyName, NotificationCategory Category, string Title, string Text, string Link,
    DateTimeOffset OccurredAt, bool Read, DeliveryStatus Status, bool Mandatory);

public sealed record Inbox(int Unread, IReadOnlyList<InboxItem> Items);

/// <summary>The person's own inbox on the pages: what they may see now, newest first.</summary>
public static class InboxEndpoint
{
    public const int Limit = 200;

    [WolverineGet("/api/notifications", OperationId = "getInbox"), Tags("Notifications")]
    public static async Task<Inbox> Get(ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var caller = await Confidentiality.RefreshAsync(session, Caller.From(user), ct);
        var hidden = await Confidentiality.HiddenAsync(session, caller, null, ct);
        var bodies = (caller.Mandates ?? []).Select(m => m.Body).ToHashSet();
        var notices = await session.Query<Notification>().Where(n => n.PersonId == caller.PersonId)
            .OrderByDescending(n => n.OccurredAt).Take(Limit).ToListAsync(ct);
        // Read as of now: a mandate revoked or a resolution restricted since takes the notice out of the inbox at once.
        var visible = notices.Where(n => n.Status != DeliveryStatus.Withheld && bodies.Contains(n.Body)
                                         && !(n.ResolutionId is { } id && hidden.Contains(id))).ToList();
        return new Inbox(visible.Count(n => !n.Read), visible.Select(n => new InboxItem(n.Id, n.Body, n.BodyName, n.Category, n.Title, n.Text,
            n.Link, n.OccurredAt, n.Read, n.Status, n.Mandatory)).ToList());
    }
}

public static class MarkReadEndpoint
{
    /// <summary>Marks one of the caller's own notifications read; someone else's is unknown (404).</summary>
    [WolverinePost("/api/notifications/{id}/read", OperationId = "markNotificationRead"), Tags("Notifications")]
    [ProducesResponseType(204)]
    public static async Task<IResult> Post(Guid id, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var notice = await session.LoadAsync<Notification>(id, ct);
        if (notice is null || notice.PersonId != Caller.From(user).PersonId)
            return Problems.Missing($"There is no notification {id}.").ToResult();
        notice.Read = true;
        session.Store(notice);
        return Results.NoContent();
    }
}

/// <summary>The settings as sent and shown: <c>bodies</c> maps a body code to immediately, digest or nothing.</summary>
public sealed record SettingsInput(string? Email, IReadOnlyDictionary<string, Frequency>? Bodies, IReadOnlyList<NotificationCategory>? Unsubscribed);

public sealed record SettingsView(string? Email, IReadOnlyDictionary<string, Frequency> Bodies, IReadOnlyList<NotificationCategory> Unsubscribed,
    IReadOnlyList<string> MandateBodies);

public static class GetSettingsEndpoint
{
    [WolverineGet("/api/notifications/settings", OperationId = "getNotificationSettings"), Tags("Notifications")]
    public static async Task<SettingsView> Get(ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var caller = await Confidentiality.RefreshAsync(session, Caller.From(user), ct);
        var settings = await session.LoadAsync<NotificationSettings>(caller.PersonId, ct) ?? new NotificationSettings { Id = caller.PersonId };
        return View(settings, caller);
    }

    public static SettingsView View(NotificationSettings settings, Caller caller)
    {
        var bodies = (caller.Mandates ?? []).Select(m => m.Body).Distinct().Order(StringComparer.Ordinal).ToList();
        return new SettingsView(settings.Email, bodies.ToDictionary(b => b, settings.For), [.. settings.Unsubscribed.Order()], bodies);
    }
}

public static class PutSettingsEndpoint
{

    public static ProblemDetails Validate(SettingsInput input)
    {
        if (input.Email is { Length: > 0 } email && TextRules.CheckInvisible(email, "The e-mail address") is { } invisible)
            return Problems.Invalid(invisible);
        if (input.Email is { Length: > 0 } address
            && (address.Length > 254 || !MailboxAddress.TryParse(address, out var parsed) || parsed.Address != address.Trim() || !address.Contains('@')))
            return Problems.Invalid($"'{address}' is not an e-mail address such as name@land.de.");
        if (input.Bodies?.Keys.FirstOrDefault(k => string.IsNullOrWhiteSpace(k) || k.Length > 20) is { } bad)
            return Problems.Invalid($"'{bad}' is not a body code.");
        if (input.Unsubscribed?.Contains(NotificationCategory.Deadlines) == true)
            return Problems.Invalid("A deadline your Land must still answer is always sent: leave 'deadlines' out of 'unsubscribed'.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>Replaces the caller's settings; the address is where mail goes, without it only the inbox is kept.</summary>
    [WolverinePut("/api/notifications/settings", OperationId = "putNotificationSettings"), Tags("Notifications")]
    [ProducesResponseType<SettingsView>(200)]
    public static async Task<IResult> Put(SettingsInput input, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var caller = await Confidentiality.RefreshAsync(session, Caller.From(user), ct);
        var known = (await session.Query<Body>().Select(b => b.Id).ToListAsync(ct)).ToHashSet();
        if (input.Bodies?.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            return Problems.Invalid($"There is no body '{unknown}'.").ToResult();
        var settings = new NotificationSettings
        {
            Id = caller.PersonId,
            Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
            Bodies = input.Bodies?.ToDictionary(b => b.Key, b => b.Value) ?? [],
            Unsubscribed = [.. input.Unsubscribed ?? []],
        };
        session.Store(settings);
        return Results.Ok(GetSettingsEndpoint.View(settings, caller));
    }
}

/// <summary>
/// One-click unsubscribe (RFC 8058): the mail client POSTs to the link of the List-Unsubscribe header, without a
/// sign-in; the token names the person and the category. A GET (a person following the link) shows a button that POSTs,
/// so that link scanners unsubscribe no one.
/// </summary>
public static class UnsubscribeEndpoint
{
    [WolverinePost("/api/notifications/unsubscribe", OperationId = "unsubscribe"), Tags("Notifications"), Microsoft.AspNetCore.Authorization.AllowAnonymous]
    [ProducesResponseType<string>(200, "text/html")]
    public static async Task<IResult> Post([FromQuery] string? token, UnsubscribeTokens tokens, IDocumentSession session, CancellationToken ct)
    {
        if (tokens.Read(token) is not var (personId, category))
            return Problems.Invalid("The unsubscribe link is not valid: use the link of a mail as it came, or change the settings on /benachrichtigungen.").ToResult();
        var settings = await session.LoadAsync<NotificationSettings>(personId, ct) ?? new NotificationSettings { Id = personId };
        settings.Unsubscribed.Add(category);
        session.Store(settings);
        return Results.Content($"<!DOCTYPE html><html lang=\"de\"><title>Abbestellt</title><p>Sie erhalten keine Mails dieser Art mehr ({Words.Category(category)}). Fristen, auf die Ihr Land antworten muss, melden wir weiterhin.</p></html>",
            "text/html; charset=utf-8");
    }

    [WolverineGet("/api/notifications/unsubscribe", OperationId = "confirmUnsubscribe"), Tags("Notifications"), Microsoft.AspNetCore.Authorization.AllowAnonymous]
    [ProducesResponseType<string>(200, "text/html")]
    public static IResult Get([FromQuery] string? token, UnsubscribeTokens tokens)
    {
        if (tokens.Read(token) is not var (_, category))
            return Problems.Invalid("The unsubscribe link is not valid: use the link of a mail as it came, or change the settings on /benachrichtigungen.").ToResult();
        var action = "/api/notifications/unsubscribe?token=" + Uri.EscapeDataString(token!);
        return Results.Content($"<!DOCTYPE html><html lang=\"de\"><title>Abbestellen</title><form method=\"post\" action=\"{System.Net.WebUtility.HtmlEncode(action)}\"><p>Mails dieser Art abbestellen: {Words.Category(category)}?</p><button type=\"submit\">Abbestellen</button></form></html>",
            "text/html; charset=utf-8");
    }
}

/// <summary><c>byStatus</c>: the count per delivery status (camelCase names, as the API writes the statuses).</summary>
public sealed record DeliveryReport(IReadOnlyDictionary<string, int> ByStatus, IReadOnlyList<FailingDelivery> Failing, int DeadLetters);

public sealed record FailingDelivery(Guid Id, string PersonId, string Body, NotificationCategory Category, int Attempts, string? LastError,
    DateTimeOffset? LastAttemptAt, DateTimeOffset OccurredAt);

/// <summary>For administrators: how many notifications stand where, and the deliveries that fail, with the mail server's answer.</summary>
public static class DeliveryReportEndpoint
{
    [WolverineGet("/api/admin/notifications", OperationId = "getDeliveryReport"), Tags("Notifications")]
    public static async Task<DeliveryReport> Get(IDocumentSession session, CancellationToken ct)
    {
        var counts = new Dictionary<string, int>();
        foreach (var status in Enum.GetValues<DeliveryStatus>())
            counts[System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.ToString())] = await session.Query<Notification>().CountAsync(n => n.Status == status, ct);
        var failing = await session.Query<Notification>().Where(n => n.Status == DeliveryStatus.Failing)
            .OrderByDescending(n => n.LastAttemptAt).Take(100).ToListAsync(ct);
        var deadLetters = await DeadLetters(session, ct);
        return new DeliveryReport(counts, failing.Select(n => new FailingDelivery(n.Id, n.PersonId, n.Body, n.Category, n.Attempts, n.LastError,
            n.LastAttemptAt, n.OccurredAt)).ToList(), deadLetters);
    }

    /// <summary>Deliveries Wolverine gave up on after its last retry (its dead letters in the Marten schema).</summary>
    private static async Task<int> DeadLetters(IDocumentSession session, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var rows = await session.QueryAsync<int>(
            $"select count(*)::int from {schema}.wolverine_dead_letters where message_type like '%DeliverNotification' or message_type like '%SendPersonDigest'", ct);
        return rows.FirstOrDefault();
    }
}

public static class DigestNowEndpoint
{
    /// <summary>Sends today's digests now (as at the configured hour): for an operator after an outage of the mail server.</summary>
    [WolverinePost("/api/admin/notifications/digest", OperationId = "sendDigestsNow"), Tags("Notifications")]
    [ProducesResponseType<DigestsQueued>(202)]
    public static async Task<IResult> Post(IMessageBus bus, TimeProvider clock)
    {
        var day = DateOnly.FromDateTime(Web.GermanTime.Local(clock.GetUtcNow()).Date);
        await bus.PublishAsync(new SendPersonDigestsNow(day));
        return Results.Accepted(value: new DigestsQueued(day));
    }
}

/// <summary>The answer to "send today's digests now": the day (German local date) whose digests are queued.</summary>
public sealed record DigestsQueued(DateOnly Day);

/// <summary>Today's digests, asked for by an operator: like <see cref="SendDigests"/>, without scheduling the next day's.</summary>
public sealed record SendPersonDigestsNow(DateOnly Day);

public static class SendPersonDigestsNowHandler
{
    public static async Task<OutgoingMessages> Handle(SendPersonDigestsNow message, IQuerySession session, CancellationToken ct)
    {
        var waiting = await session.Query<Notification>().Where(n => n.Status == DeliveryStatus.AwaitingDigest).Select(n => n.PersonId)
            .Distinct().ToListAsync(ct);
        var messages = new OutgoingMessages();
        messages.AddRange(waiting.Select(person => new SendPersonDigest(person, message.Day)));
        return messages;
    }
}

/// <summary>German words for the categories, in mails and on the pages.</summary>
public static class Words
{
    public static string Category(NotificationCategory category) => category switch
    {
        NotificationCategory.Ballots => "Abstimmungen",
        NotificationCategory.WrittenProcedures => "Umlaufverfahren",
        NotificationCategory.Deadlines => "Fristen",
        NotificationCategory.Objections => "Einwände",
        NotificationCategory.Outcomes => "Ergebnisse",
        NotificationCategory.Sessions => "Sitzungen",
        NotificationCategory.Amendments => "Änderungsanträge und Antworten",
        _ => category.ToString(),
    };

    /// <summary>A delivery status as the report names it (camelCase, as the API writes it), in German.</summary>
    public static string Status(string status) => Enum.TryParse<DeliveryStatus>(status, ignoreCase: true, out var parsed)
        ? parsed switch
        {
            DeliveryStatus.Pending => "Noch nicht zugestellt",
            DeliveryStatus.Sent => "Als Mail gesendet",
            DeliveryStatus.AwaitingDigest => "Wartet auf die Tageszusammenfassung",
            DeliveryStatus.InDigest => "In einer Tageszusammenfassung gesendet",
            DeliveryStatus.InboxOnly => "Nur im Posteingang",
            DeliveryStatus.Withheld => "Zurückgehalten (Mandat beendet oder nicht mehr sichtbar)",
            DeliveryStatus.Failing => "Zustellung schlägt fehl, wird wiederholt",
            _ => status,
        }
        : status;

    public static string Frequency(Frequency frequency) => frequency switch
    {
        Notifications.Frequency.Immediately => "sofort",
        Notifications.Frequency.Digest => "täglich zusammengefasst",
        _ => "keine Mail",
    };
}
