using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Sessions;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>A session as an iCalendar (RFC 5545) event attached to the mail: one UID per session, so an update replaces the entry.</summary>
public static class SessionCalendar
{
    public static string Invitation(SessionView session, Body body)
    {
        var calendar = new Calendar { Method = "PUBLISH" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"session-{session.Id}@bund-laender-koordination",
            Summary = $"Sitzung {body.Name}{(session.Kind == SessionKind.Special ? " (Sondersitzung)" : "")}",
            Description = string.Join("\n", session.Agenda.Select(i => $"TOP {i.Number}: {i.Title}")),
            Location = session.Format == SessionFormat.Virtual ? "virtuell" : session.Place,
            DtStart = new CalDateTime(session.StartsAt.UtcDateTime, CalDateTime.UtcTzId),
            DtStamp = new CalDateTime(session.ScheduledAt.UtcDateTime, CalDateTime.UtcTzId),
            Sequence = (int)Math.Min(int.MaxValue, session.Version),
        });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
