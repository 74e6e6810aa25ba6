using BundLaenderKoordination.Api.Identity;

namespace BundLaenderKoordination.Api.Resolutions.Positions;

public enum Position
{
    Agreement,
    Rejection,
    Abstention,

    /// <summary>Prüfvorbehalt: the Land reserves its position until its review is done.</summary>
    ReservationPendingReview,
}

/// <summary>A Land's position on the draft before the ballot; not a vote, it counts for nothing. A later one replaces it.</summary>
public sealed record PositionRecorded(
    Guid ResolutionId,
    string Land,
    Position Position,
    string? Remark,
    int TextVersion,
    Actor RecordedBy,
    DateTimeOffset RecordedAt);

/// <summary>
/// A Protokollerklärung attached to an adopted resolution by a Land; other Länder may join it. It changes no count.
/// <c>Signature</c>: its author's passkey assertion over the act (docs/audit.md, signed acts), where it was signed.
/// </summary>
public sealed record DeclarationAttached(
    Guid ResolutionId,
    Guid DeclarationId,
    string Land,
    string Text,
    Actor AttachedBy,
    DateTimeOffset AttachedAt,
    Signing.ActSignature? Signature = null);

/// <summary>Another Land joins a Protokollerklärung; <c>Signature</c> as for <see cref="DeclarationAttached"/>.</summary>
public sealed record DeclarationJoined(
    Guid ResolutionId,
    Guid DeclarationId,
    string Land,
    Actor JoinedBy,
    DateTimeOffset JoinedAt,
    Signing.ActSignature? Signature = null);

/// <summary>The proposing Land withdraws its resolution before adoption; nothing more can happen to it.</summary>
public sealed record ResolutionWithdrawn(
    Guid ResolutionId,
    string Reason,
    Actor WithdrawnBy,
    DateTimeOffset WithdrawnAt);
