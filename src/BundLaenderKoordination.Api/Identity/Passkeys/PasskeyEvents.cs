namespace BundLaenderKoordination.Api.Identity.Passkeys;

// The events of a person's passkey stream (PasskeyStreams.Id). Stored names in PasskeysConfiguration, fields in
// docs/events.md. A passkey signs acts only once a second person approved its registration; a revoked one never again.

/// <summary>
/// The person registered a WebAuthn credential on their own device. <c>PublicKey</c> is the credential's public key as
/// COSE (base64url), <c>CredentialId</c> its id (base64url). Not yet in effect.
/// </summary>
public sealed record PasskeyRegistered(
    string CredentialId,
    string PersonId,
    string PersonName,
    string PublicKey,
    int Algorithm,
    string AttestationFormat,
    Actor RegisteredBy,
    DateTimeOffset RegisteredAt);

/// <summary>A second person (an administrator, or a coordinator of a Land the person acts for) approved the registration.</summary>
public sealed record PasskeyApproved(string CredentialId, string PersonId, Actor ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>The credential signs nothing from now on (lost device, left office): by the person, an administrator or a coordinator.</summary>
public sealed record PasskeyRevoked(string CredentialId, string PersonId, string Reason, Actor RevokedBy, DateTimeOffset RevokedAt);
