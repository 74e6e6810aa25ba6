using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using BundLaenderKoordination.Api.Sessions;
using BundLaenderKoordination.Api.Web;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>A person to notify, with the mandate that makes them one.</summary>
public sealed record Recipient(string PersonId, HeldMandate Mandate);

/// <summary>
/// What each event tells whom: pure functions of the event, the resolution or session it concerns, the body and the
/// mandates in effect. Whoever may not see a restricted resolution is not a recipient; whoever caused the event is not
/// told of it.
/// </summary>
public static class Notices
{
    /// <summary>Representatives and chairs holding a mandate in effect in <paramref name="body"/>, for one of <paramref name="lands"/> (all when null).</summary>
    public static IReadOnlyList<Recipient> Recipients(IEnumerable<PersonMandates> people, string body, IReadOnlyCollection<string>? lands,
        IReadOnlyCollection<string>? restrictedTo, string? except)
    {
        var recipients = new List<Recipient>();
        foreach (var person in people)
        {
            if (person.Id == except) continue;
            var mandate = person.InEffect.FirstOrDefault(m => m.Body == body);
            if (mandate is null || mandate.Role is not (Roles.Representative or Roles.Chair)) continue;
            if (lands is not null && !lands.Contains(mandate.Land) && mandate.Role != Roles.Chair) continue;
            if (restrictedTo is { Count: > 0 } && !Confidentiality.IsMember(mandate, restrictedTo)) continue;
            recipients.Add(new Recipient(person.Id, mandate));
        }
        return recipients.OrderBy(r => r.PersonId, StringComparer.Ordinal).ToList();
    }

    /// <summary>The notices one event of a resolution stream gives; <paramref name="resolution"/> is its write model.</summary>
    public static IReadOnlyList<Notification> ForResolutionEvent(Guid eventId, object data, Resolution resolution, Body body,
        IReadOnlyList<PersonMandates> people)
    {
        var link = $"/beschluesse/{resolution.Id}";
        var title = resolution.Title;
        var restricted = resolution.RestrictedTo;
        return data switch
        {
            BallotOpened e => Make(eventId, "ballot-opened", NotificationCategory.Ballots,
                Recipients(people, body.Id, e.Members.Where(m => m.Voting).Select(m => m.Land).ToList(), restricted, e.OpenedBy.PersonId),
                $"Abstimmung eröffnet: {title}",
                $"""
                Im Gremium {body.Name} ist die Abstimmung Nr. {e.Number} über „{title}“ eröffnet.

                Abgestimmt wird über die Textfassung {e.TextVersion} (Prüfsumme {e.TextHash}).
                Regel: {e.RuleText}
                {(e.Deadline is { } deadline ? $"Frist: {GermanTime.Format(deadline, false)} (deutsche Zeit)" : "Die Abstimmung schließt der Vorsitz in der Sitzung.")}
                """, e.OpenedAt),
            WrittenProcedureStarted e => Make(eventId, "written-procedure-started", NotificationCategory.WrittenProcedures,
                Recipients(people, body.Id, e.Members.Select(m => m.Land).ToList(), restricted, e.StartedBy.PersonId),
                $"Umlaufverfahren eingeleitet: {title}",
                $"""
                Im Gremium {body.Name} ist ein Umlaufverfahren über „{title}“ eingeleitet.

                Textfassung {e.TextVersion} (Prüfsumme {e.TextHash}).
                Regel: {e.RuleText}
                Frist: {GermanTime.Format(e.Deadline, false)} (deutsche Zeit)
                {SilenceMeans(e.Mode)}
                """, e.StartedAt),
            WrittenObjectionRaised e => Make(eventId, "objection-raised", NotificationCategory.Objections,
                Recipients(people, body.Id, null, restricted, e.RaisedBy.PersonId),
                $"Einwand im Umlaufverfahren: {title}",
                $"""
                {Lands.NameOf(e.Land)} hat im Umlaufverfahren über „{title}“ Einwand erhoben. Das Umlaufverfahren ist damit beendet; der Beschluss geht in die nächste Sitzung.

                Begründung: {e.Reason}
                """, e.RaisedAt),
            ResolutionAdopted e => Make(eventId, "adopted", NotificationCategory.Outcomes,
                Recipients(people, body.Id, null, restricted, null),
                $"Beschluss gefasst: {title}",
                $"""
                „{title}“ ist im Gremium {body.Name} beschlossen (Textfassung {e.TextVersion}, Prüfsumme {e.TextHash}).

                Dafür: {Names(e.YesVotes)}
                Dagegen: {Names(e.NoVotes)}
                Enthaltungen: {Names(e.Abstentions)}
                """, e.AdoptedAt),
            ResolutionRejected e => Make(eventId, "rejected", NotificationCategory.Outcomes,
                Recipients(people, body.Id, null, restricted, null),
                $"Beschluss nicht gefasst: {title}",
                $"""
                „{title}“ ist im Gremium {body.Name} nicht beschlossen (Textfassung {e.TextVersion}).

                Grund: {e.Reason}
                """, e.RejectedAt),
            AmendmentProposed e when resolution.ProposingLand is { } owner && owner != e.ProposedBy.ActingFor => Make(eventId, "amendment-proposed",
                NotificationCategory.Amendments,
                Recipients(people, body.Id, [owner], restricted, e.ProposedBy.PersonId).Where(r => r.Mandate.Land == owner).ToList(),
                $"Änderungsantrag Ä{e.Number} zu Ihrem Antrag: {title}",
                $"""
                {(e.ProposedBy.ActingFor is { } land ? Lands.NameOf(land) : e.ProposedBy.PersonName)} beantragt mit Ä{e.Number} eine Änderung an „{title}“, dem Antrag Ihres Landes.

                Begründung: {e.Rationale}
                """, e.ProposedAt),
            CommentReplied e when resolution.Comments.TryGetValue(e.CommentId, out var comment) && comment.Land is { } commenter
                                  && commenter != e.RepliedBy.ActingFor => Make(eventId, "comment-replied", NotificationCategory.Amendments,
                Recipients(people, body.Id, [commenter], restricted, e.RepliedBy.PersonId).Where(r => r.Mandate.Land == commenter).ToList(),
                $"Antwort auf den Kommentar Ihres Landes: {title}",
                $"""
                {(e.RepliedBy.ActingFor is { } land ? Lands.NameOf(land) : e.RepliedBy.PersonName)} hat auf einen Kommentar Ihres Landes zu „{title}“ geantwortet:

                {e.Text}
                """, e.RepliedAt),
            _ => [],
        } is var notices ? Complete(notices, body, resolution.Id, null, link, restricted.Count > 0) : [];
    }

    /// <summary>
    /// 24 hours before a written procedure's deadline: the representatives of the voting members that have not answered yet.
    /// A deadline one must answer always notifies.
    /// </summary>
    public static IReadOnlyList<Notification> Reminder(Resolution resolution, Body body, IReadOnlyList<PersonMandates> people, DateTimeOffset now)
    {
        if (resolution.WrittenProcedure is not { } procedure) return [];
        var open = procedure.Members.Where(m => m.Voting).Select(m => m.Land).Where(land => !procedure.Consents.Contains(land)).ToList();
        var recipients = Recipients(people, body.Id, open, resolution.RestrictedTo, null)
            .Where(r => r.Mandate.Role == Roles.Representative).ToList();
        var notices = Make(procedure.Id, "deadline-reminder", NotificationCategory.Deadlines, recipients,
            $"Frist in 24 Stunden: {resolution.Title}",
            $"""
            Die Frist im Umlaufverfahren über „{resolution.Title}“ endet am {GermanTime.Format(procedure.Deadline, false)} (deutsche Zeit).
            Ihr Land hat noch nicht geantwortet.
            {SilenceMeans(procedure.Mode)}
            """, now);
        foreach (var notice in notices) notice.Mandatory = true;
        return Complete(notices, body, resolution.Id, null, $"/beschluesse/{resolution.Id}", resolution.RestrictedTo.Count > 0);
    }

    /// <summary>A session scheduled, or its agenda changed: every member of the body, with the session as an iCalendar invitation.</summary>
    public static IReadOnlyList<Notification> ForSessionEvent(Guid eventId, object data, SessionView session, Body body, IReadOnlyList<PersonMandates> people)
    {
        var when = GermanTime.Format(session.StartsAt, false);
        var where = session.Format == SessionFormat.Virtual ? "virtuell" : session.Place ?? "Ort folgt";
        var notices = data switch
        {
            SessionScheduled e => Make(eventId, "session-scheduled", NotificationCategory.Sessions,
                Recipients(people, body.Id, null, null, e.ScheduledBy.PersonId),
                $"Sitzung angesetzt am {when}",
                $"""
                Das Gremium {body.Name} tagt am {when} (deutsche Zeit), {where}.
                {(e.Kind == SessionKind.Special ? "Es ist eine Sondersitzung." : "")}
                Die Einladung liegt als Kalendereintrag bei.
                """, e.ScheduledAt),
            AgendaItemAdded e => Make(eventId, "agenda-changed", NotificationCategory.Sessions,
                Recipients(people, body.Id, null, null, e.AddedBy.PersonId),
                $"Tagesordnung geändert: Sitzung am {when}",
                $"""
                Die Tagesordnung der Sitzung des Gremiums {body.Name} am {when} (deutsche Zeit) hat einen neuen Punkt:
                TOP {e.Number}: {e.Title}{(e.Note is { Length: > 0 } note ? $" ({note})" : "")}
                """, e.AddedAt),
            _ => [],
        };
        var calendar = notices.Count > 0 ? SessionCalendar.Invitation(session, body) : null;
        foreach (var notice in notices) notice.Calendar = calendar;
        return Complete(notices, body, null, session.Id, $"/sitzungen/{session.Id}", false);
    }

    private static string SilenceMeans(WrittenProcedureMode mode) => mode == WrittenProcedureMode.Silence
        ? "Schweigeverfahren: wer bis zur Frist keinen Einwand erhebt, stimmt zu."
        : "Zustimmung nur ausdrücklich: wer bis zur Frist nicht zustimmt, zählt nicht als zustimmend.";

    private static string Names(IReadOnlyList<string> lands) => lands.Count == 0 ? "–" : string.Join(", ", lands.Select(Lands.NameOf));

    private static List<Notification> Make(Guid subject, string kind, NotificationCategory category, IReadOnlyList<Recipient> recipients,
        string title, string text, DateTimeOffset at) =>
        recipients.Select(r => new Notification
        {
            Id = Notification.IdFor(r.PersonId, subject, kind),
            PersonId = r.PersonId,
            Category = category,
            Title = title,
            Text = text.Trim(),
            OccurredAt = at,
            Status = DeliveryStatus.Pending,
        }).ToList();

    private static List<Notification> Complete(List<Notification> notices, Body body, Guid? resolution, Guid? session, string link, bool restricted)
    {
        foreach (var notice in notices)
        {
            notice.Body = body.Id;
            notice.BodyName = body.Name;
            notice.ResolutionId = resolution;
            notice.SessionId = session;
            notice.Link = link;
            notice.Restricted = restricted;
        }
        return notices;
    }
}
