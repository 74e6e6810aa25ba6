namespace BundLaenderKoordination.Api.Identity.Mandates;

// The events of a mandate stream: one stream per person per body (MandateStreams.Id). Stored names in
// MandatesConfiguration, fields listed in docs/events.md. A mandate takes effect and ends only when a second person
// confirms what the first asked for.

/// <summary>Asked for by an administrator: <c>PersonId</c> shall act for <c>Land</c> in <c>Body</c> as <c>Role</c>. Not yet in effect.</summary>
public sealed record MandateGranted(
    Guid MandateId,
    string PersonId,
    string PersonName,
    string Body,
    string Land,
    string Role,
    Actor GrantedBy,
    DateTimeOffset GrantedAt);

/// <summary>A second administrator approved the grant; from now on the person acts under the mandate.</summary>
public sealed record MandateApproved(
    Guid MandateId,
    string PersonId,
    string Body,
    Actor ApprovedBy,
    DateTimeOffset ApprovedAt);

/// <summary>A pending grant taken back before anyone approved it.</summary>
public sealed record MandateGrantWithdrawn(
    Guid MandateId,
    string PersonId,
    string Body,
    Actor WithdrawnBy,
    DateTimeOffset WithdrawnAt);

/// <summary>An administrator asked to end an active mandate; it stays in effect until a second person confirms.</summary>
public sealed record MandateRevocationRequested(
    Guid MandateId,
    string PersonId,
    string Body,
    string Reason,
    Actor RequestedBy,
    DateTimeOffset RequestedAt);

/// <summary>A second administrator confirmed the revocation; from now on the person no longer acts under the mandate.</summary>
public sealed record MandateRevoked(
    Guid MandateId,
    string PersonId,
    string Body,
    Actor RevokedBy,
    DateTimeOffset RevokedAt);
