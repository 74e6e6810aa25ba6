using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;

namespace BundLaenderKoordination.Api.Identity.Passkeys;

/// <summary>
/// Passkeys, four eyes like mandates: a person registers a credential on their own device; it signs acts only once a
/// second person approved it: an administrator, or the coordinator of a Land the person holds a mandate for. Revoking
/// takes effect at once (the person, an administrator or such a coordinator): a lost device must stop signing now.
/// </summary>
public static class PasskeyDecisions
{
    /// <summary>The caller as they approve or revoke someone's passkey, or null when they may not.</summary>
    public static Actor? Manager(Caller caller, PersonMandates? personMandates)
    {
        if (caller.Has(Roles.Admin)) return caller.ActingAs(Roles.Admin);
        var lands = (personMandates?.InEffect ?? []).Select(m => m.Land).ToHashSet();
        return (caller.Mandates ?? []).FirstOrDefault(m => m.Role == Roles.Coordinator && lands.Contains(m.Land)) is { } coordinator
            ? caller.In(coordinator.Body).ActingAs(Roles.Coordinator)
            : null;
    }

    public static Decision Register(PersonPasskeys? state, string credentialId, string publicKey, int algorithm, string format, Caller caller, DateTimeOffset now)
    {
        if (state?.Find(credentialId) is not null)
            return Problems.Make(Problems.PasskeyState, 409, "This passkey is registered already.", "Each credential is registered once.");
        return Decision.Accept(new PasskeyRegistered(credentialId, caller.PersonId, caller.Name, publicKey, algorithm, format,
            new Actor(caller.PersonId, caller.Name, null, "person"), now));
    }

    public static Decision Approve(PersonPasskeys? state, string personId, string credentialId, Caller caller, PersonMandates? personMandates, DateTimeOffset now)
    {
        if (state?.Find(credentialId) is not { } key) return Problems.Missing($"{personId} has no passkey {credentialId}.");
        if (personId == caller.PersonId)
            return Problems.Make(MandateDecisions.FourEyes, 403, "Nobody approves their own passkey.",
                "A second person (an administrator, or the coordinator of a Land you act for) approves it (four-eyes principle).");
        if (Manager(caller, personMandates) is not { } approver)
            return Problems.Forbid($"Only an administrator or the coordinator of a Land {personId} acts for approves their passkeys.");
        if (key.Status != PasskeyStatus.Pending)
            return Problems.Make(Problems.PasskeyState, 409, "No registration is pending.", $"The passkey is {key.Status.ToString().ToLowerInvariant()}.");
        return Decision.Accept(new PasskeyApproved(credentialId, personId, approver, now));
    }

    public static Decision Revoke(PersonPasskeys? state, string personId, string credentialId, string reason, Caller caller, PersonMandates? personMandates, DateTimeOffset now)
    {
        if (state?.Find(credentialId) is not { } key) return Problems.Missing($"{personId} has no passkey {credentialId}.");
        var actor = personId == caller.PersonId ? new Actor(caller.PersonId, caller.Name, null, "person") : Manager(caller, personMandates);
        if (actor is null) return Problems.Forbid($"Only {personId}, an administrator or the coordinator of a Land they act for revokes their passkeys.");
        if (key.Status == PasskeyStatus.Revoked)
            return Problems.Make(Problems.PasskeyState, 409, "The passkey is revoked already.", "It signs nothing any more.");
        return Decision.Accept(new PasskeyRevoked(credentialId, personId, reason, actor, now));
    }
}
