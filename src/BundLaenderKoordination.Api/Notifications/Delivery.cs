using System.Diagnostics.Metrics;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Web;
using Marten;
using Wolverine;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>
/// The counters an operator watches deliveries by, on the service's meter: attempts that failed (each retry counts),
/// and mails sent. docs/notifications.md says what to alert on.
/// </summary>
public sealed class NotificationMetrics
{
    private readonly Counter<long> _failed;
    private readonly Counter<long> _sent;

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.ServiceName);
        _failed = meter.CreateCounter<long>("blk.notifications.delivery_failures", "{attempt}",
            "Delivery attempts the mail server refused or could not take; Wolverine retries them with backoff");
        _sent = meter.CreateCounter<long>("blk.notifications.mails_sent", "{mail}", "Mails handed to the mail server");
    }

    public void Failed() => _failed.Add(1);
    public void Sent(string kind) => _sent.Add(1, new KeyValuePair<string, object?>("kind", kind));
}

/// <summary>
/// Delivers one notification: checks, at the moment of sending, that the person still holds a mandate in the body and may
/// still see the matter (a mandate revoked a moment ago stops it), then follows the person's settings. A notification
/// handled before is not handled again, so a redelivered message sends nothing twice.
/// </summary>
public static class DeliverNotificationHandler
{
    public static async Task Handle(DeliverNotification message, IDocumentSession session, IDocumentStore store, NotificationOptions options,
        MailComposer composer, Mailer mailer, NotificationMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var notice = await session.LoadAsync<Notification>(message.NotificationId, ct);
        if (notice is null || notice.Status is not (DeliveryStatus.Pending or DeliveryStatus.Failing)) return;
        var now = clock.GetUtcNow();

        if (!await StillEntitled(session, notice, ct))
        {
            notice.Status = DeliveryStatus.Withheld;
            session.Store(notice);
            return;
        }

        var settings = await session.LoadAsync<NotificationSettings>(notice.PersonId, ct);
        var frequency = settings?.For(notice.Body) ?? Frequency.Immediately;
        var unsubscribed = settings?.Unsubscribed.Contains(notice.Category) == true;
        if (!options.SendsMail || settings?.Email is null || (!notice.Mandatory && (frequency == Frequency.Nothing || unsubscribed)))
        {
            notice.Status = DeliveryStatus.InboxOnly;
            session.Store(notice);
            return;
        }
        if (!notice.Mandatory && frequency == Frequency.Digest)
        {
            notice.Status = DeliveryStatus.AwaitingDigest;
            session.Store(notice);
            return;
        }

        try
        {
            await mailer.SendAsync(composer.Single(notice, settings.Email), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.Failed();
            // Recorded outside the handler's transaction, which the exception rolls back: the operator sees every attempt.
            await using var record = store.LightweightSession();
            notice.Status = DeliveryStatus.Failing;
            notice.Attempts++;
            notice.LastError = ex.Message;
            notice.LastAttemptAt = now;
            record.Store(notice);
            await record.SaveChangesAsync(ct);
            throw;
        }
        metrics.Sent("single");
        notice.Status = DeliveryStatus.Sent;
        notice.Attempts++;
        notice.LastAttemptAt = now;
        notice.DeliveredAt = clock.GetUtcNow();
        session.Store(notice);
    }

    /// <summary>A mandate in effect in the body now, and the matter not hidden from the person now.</summary>
    public static async Task<bool> StillEntitled(IQuerySession session, Notification notice, CancellationToken ct)
    {
        var mandates = await session.LoadAsync<PersonMandates>(notice.PersonId, ct);
        var mandate = mandates?.InEffect.FirstOrDefault(m => m.Body == notice.Body);
        if (mandate is null) return false;
        if (notice.ResolutionId is not { } id) return true;
        var resolution = await session.LoadAsync<Resolution>(id, ct);
        return resolution is not null && (resolution.RestrictedTo.Count == 0 || Confidentiality.IsMember(mandate, resolution.RestrictedTo));
    }
}

/// <summary>
/// The daily digest: at <see cref="NotificationOptions.DigestAt"/> German time, one mail per person gathering what waited
/// for it. Each person's digest of a day is sent once: its record (<see cref="DigestSent"/>) is claimed before the mail
/// goes out, and a second claim for the same person and day fails.
/// </summary>
public static class DigestHandler
{
    public static async Task<OutgoingMessages> Handle(SendDigests message, IDocumentSession session, NotificationOptions options, TimeProvider clock, CancellationToken ct)
    {
        var waiting = await session.Query<Notification>().Where(n => n.Status == DeliveryStatus.AwaitingDigest).Select(n => n.PersonId)
            .Distinct().ToListAsync(ct);
        var messages = new OutgoingMessages();
        messages.AddRange(waiting.Select(person => new SendPersonDigest(person, message.Day)));
        // The next day's run, scheduled in the same transaction: one chain of digests, however many nodes.
        var next = NextRun(clock.GetUtcNow(), options.DigestAt);
        if (DateOnly.FromDateTime(GermanTime.Local(next).Date) > message.Day)
            messages.Schedule(new SendDigests(DateOnly.FromDateTime(GermanTime.Local(next).Date)), next);
        return messages;
    }

    public static async Task Handle(SendPersonDigest message, IDocumentSession session, IDocumentStore store, MailComposer composer, Mailer mailer,
        NotificationOptions options, NotificationMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var notices = await session.Query<Notification>()
            .Where(n => n.PersonId == message.PersonId && n.Status == DeliveryStatus.AwaitingDigest).ToListAsync(ct);
        if (notices.Count == 0) return;
        var entitled = new List<Notification>();
        foreach (var notice in notices)
        {
            if (await DeliverNotificationHandler.StillEntitled(session, notice, ct)) entitled.Add(notice);
            else notice.Status = DeliveryStatus.Withheld;
        }
        var settings = await session.LoadAsync<NotificationSettings>(message.PersonId, ct);
        var mails = entitled.Count > 0 && options.SendsMail && settings?.Email is not null;
        var now = clock.GetUtcNow();
        if (mails)
        {
            // The claim is committed before the mail goes out: a second run for the same person and day (another node, a
            // redelivery) finds it and sends nothing. A crash between claim and mail leaves the notices for the next day.
            var claim = new DigestSent(DigestSent.IdFor(message.PersonId, message.Day), message.PersonId, message.Day, entitled.Select(n => n.Id).ToList(), now);
            await using (var claiming = store.LightweightSession())
            {
                claiming.Insert(claim);
                try
                {
                    await claiming.SaveChangesAsync(ct);
                }
                catch (JasperFx.DocumentAlreadyExistsException)
                {
                    return;
                }
            }
            try
            {
                await mailer.SendAsync(composer.Digest(entitled, settings!.Email!, message.Day), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.Failed();
                await using var release = store.LightweightSession();
                release.Delete<DigestSent>(claim.Id);
                await release.SaveChangesAsync(ct);
                throw;
            }
            metrics.Sent("digest");
        }
        foreach (var notice in entitled)
        {
            notice.Status = mails ? DeliveryStatus.InDigest : DeliveryStatus.InboxOnly;
            notice.DeliveredAt = now;
        }
        session.Store(notices.ToArray());
    }

    /// <summary>The next digest time after <paramref name="now"/>, at <paramref name="at"/> German local time.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeOnly at)
    {
        var local = GermanTime.Local(now);
        var candidate = local.Date + at.ToTimeSpan();
        if (candidate <= local.DateTime) candidate = candidate.AddDays(1);
        return new DateTimeOffset(candidate, GermanTime.Zone.GetUtcOffset(candidate)).ToUniversalTime();
    }
}
