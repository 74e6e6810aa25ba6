using BundLaenderKoordination.Api.Resolutions.GettingResolution;

namespace BundLaenderKoordination.Api.Sessions;

public sealed record AgendaItemView(Guid Id, int Number, Guid? ResolutionId, string Title, string? Note, PersonView AddedBy, DateTimeOffset AddedAt);

/// <summary>A session as readers see it and as the session commands decide on it; folded from its stream.</summary>
public sealed record SessionView(
    Guid Id,
    string Body,
    SessionKind Kind,
    SessionFormat Format,
    string? Place,
    DateTimeOffset StartsAt,
    SessionStatus Status,
    IReadOnlyList<AgendaItemView> Agenda,
    IReadOnlyList<string> Present,
    Guid? SpecialRequestId,
    PersonView ScheduledBy,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    long Version)
{
    public static SessionView? Next(SessionView? view, object @event) => (view, @event) switch
    {
        (null, SessionScheduled e) => new SessionView(e.SessionId, e.Body, e.Kind, e.Format, e.Place, e.StartsAt, SessionStatus.Scheduled,
            [], [], e.SpecialRequestId, PersonView.Of(e.ScheduledBy), e.ScheduledAt, null, null, 1),
        (not null, AgendaItemAdded e) => view with
        {
            Agenda = [.. view.Agenda, new AgendaItemView(e.ItemId, e.Number, e.ResolutionId, e.Title, e.Note, PersonView.Of(e.AddedBy), e.AddedAt)],
            Version = view.Version + 1,
        },
        (not null, SessionOpened e) => view with { Status = SessionStatus.Open, OpenedAt = e.OpenedAt, Version = view.Version + 1 },
        (not null, AttendanceRecorded e) => view with { Present = e.Present, Version = view.Version + 1 },
        (not null, SessionClosed e) => view with { Status = SessionStatus.Closed, ClosedAt = e.ClosedAt, Version = view.Version + 1 },
        (not null, _) => view with { Version = view.Version + 1 },
        _ => view,
    };

    public static SessionView? Fold(IEnumerable<object> events) => events.Aggregate((SessionView?)null, Next);

    public SessionSummary ToSummary() => new(Id, Kind, Format, Status, StartsAt, Place, Agenda, Present, OpenedAt, ClosedAt, Version);
}

/// <summary>A request for a special session with its supporters; convened once a majority of the voting members supports it.</summary>
public sealed record SpecialSessionRequestView(
    Guid Id,
    string Body,
    string Reason,
    string RequestedByLand,
    PersonView RequestedBy,
    DateTimeOffset RequestedAt,
    IReadOnlyList<string> Supporters,
    int? Required,
    bool Convened,
    DateTimeOffset? ConvenedAt,
    long Version)
{
    public static SpecialSessionRequestView? Next(SpecialSessionRequestView? view, object @event) => (view, @event) switch
    {
        (null, SpecialSessionRequested e) => new SpecialSessionRequestView(e.RequestId, e.Body, e.Reason, e.Land, PersonView.Of(e.RequestedBy),
            e.RequestedAt, [e.Land], null, false, null, 1),
        (not null, SpecialSessionSupported e) => view with
        {
            Supporters = [.. view.Supporters.Append(e.Land).Distinct().Order(StringComparer.Ordinal)],
            Version = view.Version + 1,
        },
        (not null, SpecialSessionConvened e) => view with { Convened = true, Required = e.Required, ConvenedAt = e.ConvenedAt, Version = view.Version + 1 },
        (not null, _) => view with { Version = view.Version + 1 },
        _ => view,
    };
}
