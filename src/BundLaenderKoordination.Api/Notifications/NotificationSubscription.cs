using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using BundLaenderKoordination.Api.Sessions;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>
/// Derives the notifications from the events, a page at a time, on the node the projection daemon's shards run on. The
/// notifications it stores, the delivery messages it sends and the reminders it schedules are committed in one
/// transaction with the subscription's progress (Wolverine's outbox on Marten): a restart or a move to another node
/// repeats no page that was committed and loses none that was not.
/// </summary>
public sealed class NotificationSubscription : BatchSubscription
{
    public const string Name = "Notifications";

    /// <summary>How long before a written procedure's deadline the Länder that have not answered are reminded.</summary>
    public static readonly TimeSpan ReminderLead = TimeSpan.FromHours(24);

    public NotificationSubscription() : base(Name)
    {
        IncludeType<BallotOpened>();
        IncludeType<WrittenProcedureStarted>();
        IncludeType<WrittenObjectionRaised>();
        IncludeType<ResolutionAdopted>();
        IncludeType<ResolutionRejected>();
        IncludeType<SessionScheduled>();
        IncludeType<AgendaItemAdded>();
        IncludeType<AmendmentProposed>();
        IncludeType<CommentReplied>();
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        IMessageBus bus, CancellationToken cancellationToken)
    {
        if (page.Events.Count == 0) return;
        // Mandates as they stand now (inline, so never behind): a mandate revoked before the page is read notifies no more.
        var people = await operations.Query<PersonMandates>().ToListAsync(cancellationToken);
        foreach (var e in page.Events)
        {
            var notices = await Derive(e, operations, people, cancellationToken);
            if (notices.Count == 0) continue;
            var existing = (await operations.LoadManyAsync<Notification>(cancellationToken, notices.Select(n => n.Id).ToArray()))
                .Select(n => n.Id).ToHashSet();
            foreach (var notice in notices.Where(n => !existing.Contains(n.Id)))
            {
                operations.Store(notice);
                await bus.PublishAsync(new DeliverNotification(notice.Id));
            }
            // A procedure shorter than a day has no reminder (its start is the notice); one derived late is reminded at once.
            if (e.Data is WrittenProcedureStarted started && started.Deadline - ReminderLead > started.StartedAt)
                await bus.ScheduleAsync(new WrittenProcedureReminderDue(started.ResolutionId, started.ProcedureId), started.Deadline - ReminderLead);
        }
    }

    private static async Task<IReadOnlyList<Notification>> Derive(IEvent e, IDocumentOperations operations, IReadOnlyList<PersonMandates> people,
        CancellationToken ct)
    {
        switch (e.Data)
        {
            case SessionScheduled or AgendaItemAdded:
            {
                var session = await operations.LoadAsync<SessionView>(e.StreamId, ct);
                if (session is null || session.Status == SessionStatus.Closed) return [];
                var body = await operations.LoadAsync<Body>(Body.StreamIdFor(session.Body), ct);
                return body is null ? [] : Notices.ForSessionEvent(e.Id, e.Data, session, body, people);
            }
            default:
            {
                var resolution = await operations.LoadAsync<Resolution>(e.StreamId, ct);
                if (resolution is null) return [];
                var body = await operations.LoadAsync<Body>(Body.StreamIdFor(resolution.Body), ct);
                if (body is null) return [];
                var notices = Notices.ForResolutionEvent(e.Id, e.Data, resolution, body, people);
                if (e.Data is not AmendmentProposed amendment || AmendmentNotices.Touched(amendment).Count == 0) return notices;
                // The comments of the stream, to tell the Länder whose commented paragraph the amendment changes.
                var comments = (await operations.Events.FetchStreamAsync(e.StreamId, token: ct)).Select(x => x.Data).OfType<CommentAdded>();
                return [.. notices, .. AmendmentNotices.OnCommentedParagraphs(e.Id, amendment, resolution, body, people, comments, notices)];
            }
        }
    }
}

/// <summary>24 hours before a written procedure's deadline: reminds the Länder that have not answered, if it still runs.</summary>
public static class WrittenProcedureReminderHandler
{
    public static async Task<OutgoingMessages> Handle(WrittenProcedureReminderDue message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        var resolution = await session.LoadAsync<Resolution>(message.ResolutionId, ct);
        if (resolution?.WrittenProcedure?.Id != message.ProcedureId) return messages;
        var body = await session.LoadAsync<Body>(Body.StreamIdFor(resolution.Body), ct);
        if (body is null) return messages;
        var people = await session.Query<PersonMandates>().ToListAsync(ct);
        var notices = Notices.Reminder(resolution, body, people, clock.GetUtcNow());
        var existing = (await session.LoadManyAsync<Notification>(ct, notices.Select(n => n.Id).ToArray())).Select(n => n.Id).ToHashSet();
        foreach (var notice in notices.Where(n => !existing.Contains(n.Id)))
        {
            session.Store(notice);
            messages.Add(new DeliverNotification(notice.Id));
        }
        return messages;
    }
}
