using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Exports;
using BundLaenderKoordination.Api.Sessions;
using BundLaenderKoordination.Api.Web;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>
/// A session as an iCalendar (RFC 5545) event attached to the mail, in Europe/Berlin time: the same UID as in the body's
/// calendar feed (<see cref="CalendarFeed.SessionUid"/>) and the session's stream version as SEQUENCE, so an update
/// replaces the entry instead of adding a second one.
/// </summary>
public static class SessionCalendar
{
    private const string Zone = "Europe/Berlin";

    public static string Invitation(SessionView session, Body body)
    {
        var calendar = new Calendar { Method = "PUBLISH", ProductId = "-//Bund-Länder-Koordination//Benachrichtigung//DE" };
        calendar.AddTimeZone(new VTimeZone(Zone));
        calendar.Events.Add(new CalendarEvent
        {
            Uid = CalendarFeed.SessionUid(session.Id),
            Summary = $"Sitzung {body.Name}{(session.Kind == SessionKind.Special ? " (Sondersitzung)" : "")}",
            Description = string.Join("\n", session.Agenda.Select(i => $"TOP {i.Number}: {i.Title}")),
            Location = session.Format == SessionFormat.Virtual ? "virtuell" : session.Place,
            DtStart = Local(session.StartsAt),
            DtEnd = Local(session.StartsAt.AddHours(2)),
            DtStamp = new CalDateTime(session.ScheduledAt.UtcDateTime, CalDateTime.UtcTzId),
            Sequence = (int)Math.Min(int.MaxValue, session.Version),
        });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    private static CalDateTime Local(DateTimeOffset at) =>
        new(DateTime.SpecifyKind(GermanTime.Local(at).DateTime, DateTimeKind.Unspecified), Zone);
}
