using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.Identity.Mandates;

/// <summary>
/// Granting and revoking mandates, four eyes: what one administrator asks for takes effect only when a second, different
/// person confirms it. At most one mandate per person per body is pending or in effect.
/// </summary>
public static class MandateDecisions
{
    public const string MandateConflict = "/problems/mandate-conflict";
    public const string FourEyes = "/problems/four-eyes";

    public static readonly IReadOnlySet<string> MandateRoles = new HashSet<string> { Roles.Representative, Roles.Chair };

    public static Decision Grant(MandateStream? state, Body body, Guid mandateId, string personId, string personName, string land, string role,
        Caller caller, DateTimeOffset now)
    {
        if (!caller.Has(Roles.Admin)) return Problems.Forbid("Only an administrator grants mandates.");
        if (!MandateRoles.Contains(role)) return Problems.Invalid($"A mandate's role is \"{Roles.Representative}\" or \"{Roles.Chair}\", not '{role}'.");
        if (body.MemberFor(land) is null) return Problems.Invalid($"{Lands.NameOf(land)} is not a member of {body.Id}.");
        if (state?.Current is { } current)
            return Problems.Make(MandateConflict, 409, "The person already has a mandate in this body.",
                $"{personId} holds or awaits a mandate in {body.Id} ({Lands.NameOf(current.Land)}, {current.Role}, {current.Status}). " +
                "Withdraw the pending grant or revoke the mandate first.", ("mandateId", current.MandateId));
        return Decision.Accept(new MandateGranted(mandateId, personId, personName, body.Id, land, role, caller.ActingAs(Roles.Admin), now));
    }

    public static Decision Approve(MandateStream? state, Caller caller, DateTimeOffset now)
    {
        if (!caller.Has(Roles.Admin)) return Problems.Forbid("Only an administrator approves mandates.");
        if (state?.Current is not { Status: MandateStatus.Pending } pending) return NothingPending(state, "grant");
        if (pending.GrantedBy == caller.PersonId)
            return Problems.Make(FourEyes, 403, "A second person must approve.",
                "You granted this mandate; a different administrator approves it (four-eyes principle).");
        return Decision.Accept(new MandateApproved(pending.MandateId, state.PersonId, state.Body, caller.ActingAs(Roles.Admin), now));
    }

    public static Decision Withdraw(MandateStream? state, Caller caller, DateTimeOffset now)
    {
        if (!caller.Has(Roles.Admin)) return Problems.Forbid("Only an administrator withdraws a grant.");
        if (state?.Current is not { Status: MandateStatus.Pending } pending) return NothingPending(state, "grant");
        return Decision.Accept(new MandateGrantWithdrawn(pending.MandateId, state.PersonId, state.Body, caller.ActingAs(Roles.Admin), now));
    }

    public static Decision RequestRevocation(MandateStream? state, string reason, Caller caller, DateTimeOffset now)
    {
        if (!caller.Has(Roles.Admin)) return Problems.Forbid("Only an administrator revokes mandates.");
        if (state?.Current is not { Status: MandateStatus.Active } active)
            return state?.Current is { Status: MandateStatus.RevocationRequested }
                ? Problems.Make(MandateConflict, 409, "Revocation already requested.", "A second administrator confirms it.")
                : Problems.Missing("The person holds no mandate in effect in this body.");
        return Decision.Accept(new MandateRevocationRequested(active.MandateId, state.PersonId, state.Body, reason, caller.ActingAs(Roles.Admin), now));
    }

    public static Decision ConfirmRevocation(MandateStream? state, Caller caller, DateTimeOffset now)
    {
        if (!caller.Has(Roles.Admin)) return Problems.Forbid("Only an administrator revokes mandates.");
        if (state?.Current is not { Status: MandateStatus.RevocationRequested } requested) return NothingPending(state, "revocation");
        if (requested.RevocationRequestedBy == caller.PersonId)
            return Problems.Make(FourEyes, 403, "A second person must confirm.",
                "You asked for this revocation; a different administrator confirms it (four-eyes principle).");
        return Decision.Accept(new MandateRevoked(requested.MandateId, state.PersonId, state.Body, caller.ActingAs(Roles.Admin), now));
    }

    private static Decision NothingPending(MandateStream? state, string what) => state?.Current is null
        ? Problems.Missing($"The person has no mandate in this body with a pending {what}.")
        : Problems.Make(MandateConflict, 409, $"No {what} is pending.",
            $"The person's mandate in {state.Body} is {state.Current.Status}; there is no pending {what} to act on.");
}
