using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Sessions;
using BundLaenderKoordination.Api.Web;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// A body's calendar (RFC 5545): its sessions and the deadlines of its running written procedures, in Europe/Berlin
/// time. Each event's UID is derived from the session's or procedure's id, and its SEQUENCE from the stream version,
/// so that a calendar that subscribes updates an entry instead of adding a second one.
/// </summary>
public static class CalendarFeed
{
    public const string MediaType = "text/calendar; charset=utf-8";
    public const string UidDomain = "bund-laender-koordination";
    private const string Zone = "Europe/Berlin";

    public static string SessionUid(Guid session) => $"session-{session:D}@{UidDomain}";

    public static string DeadlineUid(Guid procedure) => $"written-procedure-{procedure:D}@{UidDomain}";

    public static string Write(string bodyName, IEnumerable<SessionView> sessions, IEnumerable<ResolutionView> resolutions, DateTimeOffset now)
    {
        var calendar = new Calendar { ProductId = "-//Bund-Länder-Koordination//Sitzungskalender//DE" };
        calendar.AddProperty("X-WR-CALNAME", bodyName);
        calendar.AddProperty("X-WR-TIMEZONE", Zone);
        calendar.AddTimeZone(new VTimeZone(Zone));
        foreach (var session in sessions.OrderBy(s => s.StartsAt))
        {
            var kind = session.Kind == SessionKind.Special ? "Sondersitzung" : "Sitzung";
            var agenda = string.Join("\n", session.Agenda.OrderBy(i => i.Number).Select(i => $"TOP {i.Number}: {i.Title}"));
            calendar.Events.Add(new CalendarEvent
            {
                Uid = SessionUid(session.Id),
                Sequence = (int)session.Version,
                DtStamp = new CalDateTime(now.UtcDateTime, "UTC"),
                Summary = $"{bodyName}: {kind}",
                DtStart = Local(session.StartsAt),
                DtEnd = Local(session.StartsAt.AddHours(2)),
                Location = session.Format == SessionFormat.InPerson ? session.Place : "virtuell",
                Description = agenda.Length == 0 ? null : agenda,
                Status = "CONFIRMED",
            });
        }
        foreach (var resolution in resolutions)
            foreach (var procedure in resolution.WrittenProcedures.Where(p => p.Status == WrittenProcedureStatus.Running))
                calendar.Events.Add(new CalendarEvent
                {
                    Uid = DeadlineUid(procedure.Id),
                    Sequence = (int)resolution.Version,
                    DtStamp = new CalDateTime(now.UtcDateTime, "UTC"),
                    Summary = $"Frist Umlaufverfahren: {resolution.Title}",
                    DtStart = Local(procedure.Deadline),
                    DtEnd = Local(procedure.Deadline),
                    Description = $"Umlaufverfahren ({procedure.RuleText}) zu Fassung {procedure.TextVersion}; Zustimmungen bisher: {procedure.Consents.Count}.",
                });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    private static CalDateTime Local(DateTimeOffset at) =>
        new(DateTime.SpecifyKind(GermanTime.Local(at).DateTime, DateTimeKind.Unspecified), Zone);
}
