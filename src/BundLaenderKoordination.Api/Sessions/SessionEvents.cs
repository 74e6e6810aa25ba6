using BundLaenderKoordination.Api.Identity;

namespace BundLaenderKoordination.Api.Sessions;

// The events of session streams and of special-session request streams (stored names in SessionsConfiguration,
// fields in docs/events.md). Every event names who acted, for whom, and when.

public enum SessionKind
{
    Regular,
    Special,
}

public enum SessionFormat
{
    Virtual,
    InPerson,
}

public enum SessionStatus
{
    Scheduled,
    Open,
    Closed,
}

public sealed record SessionScheduled(
    Guid SessionId,
    string Body,
    SessionKind Kind,
    SessionFormat Format,
    string? Place,
    DateTimeOffset StartsAt,
    Guid? SpecialRequestId,
    Actor ScheduledBy,
    DateTimeOffset ScheduledAt);

/// <summary>An item of the agenda, pointing to a resolution where it has one; <c>Note</c> says why it is there.</summary>
public sealed record AgendaItemAdded(
    Guid SessionId,
    Guid ItemId,
    int Number,
    Guid? ResolutionId,
    string Title,
    string? Note,
    Actor AddedBy,
    DateTimeOffset AddedAt);

public sealed record SessionOpened(Guid SessionId, Actor OpenedBy, DateTimeOffset OpenedAt);

/// <summary>The members present, as the chair records them (a later record replaces an earlier one).</summary>
public sealed record AttendanceRecorded(Guid SessionId, IReadOnlyList<string> Present, Actor RecordedBy, DateTimeOffset RecordedAt);

public sealed record SessionClosed(Guid SessionId, Actor ClosedBy, DateTimeOffset ClosedAt);

/// <summary>A voting member asks for a special session (Sondersitzung); the requesting Land counts as its first supporter.</summary>
public sealed record SpecialSessionRequested(
    Guid RequestId,
    string Body,
    string Reason,
    string Land,
    Actor RequestedBy,
    DateTimeOffset RequestedAt);

public sealed record SpecialSessionSupported(Guid RequestId, string Land, Actor SupportedBy, DateTimeOffset SupportedAt);

/// <summary>A majority of the body's voting members supports the request: the chair is to schedule the special session.</summary>
public sealed record SpecialSessionConvened(
    Guid RequestId,
    string Body,
    IReadOnlyList<string> Supporters,
    int Required,
    Actor ConvenedBy,
    DateTimeOffset ConvenedAt);
