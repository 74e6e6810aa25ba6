using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.Identity.Mandates;

/// <summary>
/// Granting and revoking mandates, four eyes: what one person asks for takes effect only when a second, different person
/// confirms it. Administrators manage every mandate; a Land's coordinator (a coordinator mandate in the body) manages
/// the representative and chair mandates of that Land in that body; coordinators are appointed by administrators. At
/// most one mandate per person per body is pending or in effect.
/// </summary>
public static class MandateDecisions
{
    public const string MandateConflict = "/problems/mandate-conflict";
    public const string FourEyes = "/problems/four-eyes";
    public const string SeparationOfDuties = "/problems/separation-of-duties";

    public static readonly IReadOnlySet<string> MandateRoles = new HashSet<string> { Roles.Representative, Roles.Chair, Roles.Coordinator };

    /// <summary>
    /// The caller as they act on a mandate of <paramref name="land"/> in <paramref name="role"/>: an administrator, or the
    /// coordinator of that Land in the body (for representative and chair mandates); null when they may not.
    /// </summary>
    public static Actor? Manager(Caller caller, string bodyId, string land, string role)
    {
        if (caller.Has(Roles.Admin)) return caller.ActingAs(Roles.Admin);
        if (role != Roles.Coordinator && caller.MandateIn(bodyId) is { Role: Roles.Coordinator } mandate && mandate.Land == land)
            return caller.In(bodyId).ActingAs(Roles.Coordinator);
        return null;
    }

    private static bool MayManageAny(Caller caller, string bodyId) =>
        caller.Has(Roles.Admin) || caller.MandateIn(bodyId) is { Role: Roles.Coordinator };

    private static Microsoft.AspNetCore.Mvc.ProblemDetails NotYours(Caller caller, string bodyId, string land, string role, string what) =>
        Problems.Forbid(caller.MandateIn(bodyId) is { Role: Roles.Coordinator } own
            ? role == Roles.Coordinator
                ? $"Coordinators are appointed by administrators; as coordinator for {Lands.NameOf(own.Land)} you {what} representative and chair mandates."
                : $"As coordinator for {Lands.NameOf(own.Land)} you {what} mandates of {Lands.NameOf(own.Land)} only, not of {Lands.NameOf(land)}."
            : $"Only an administrator or the coordinator of {Lands.NameOf(land)} in {bodyId} may {what} this mandate.");

    /// <summary>
    /// An administrator or auditor holds no mandate: every mandate role negotiates, votes, runs procedures or manages
    /// mandates, and none of that goes with administering mandates or auditing what was done under them.
    /// <paramref name="recipientRoles"/> are the service-wide roles the person's tokens carry (<see cref="PersonRoles"/>).
    /// </summary>
    private static Microsoft.AspNetCore.Mvc.ProblemDetails? Separated(string personId, IEnumerable<string> recipientRoles, string role) =>
        PersonRoles.Excluding(recipientRoles) is { } excluded
            ? Problems.Make(SeparationOfDuties, 422, "Administrators and auditors hold no mandate.",
                $"{personId} has the role {excluded}; a {role} mandate would let them act in the body they {(excluded == Roles.Admin ? "administer" : "audit")} " +
                "(separation of duties). Grant the mandate to a person without that role.")
            : null;

    public static Decision Grant(MandateStream? state, Body body, Guid mandateId, string personId, string personName, string land, string role,
        Caller caller, IReadOnlyCollection<string> recipientRoles, DateTimeOffset now)
    {
        if (!MayManageAny(caller, body.Id)) return Problems.Forbid("Only an administrator or a Land's coordinator grants mandates.");
        if (!MandateRoles.Contains(role))
            return Problems.Invalid($"A mandate's role is \"{Roles.Representative}\", \"{Roles.Chair}\" or \"{Roles.Coordinator}\", not '{role}'.");
        if (Manager(caller, body.Id, land, role) is not { } grantor) return NotYours(caller, body.Id, land, role, "grant");
        if (personId == caller.PersonId)
            return Problems.Make(FourEyes, 403, "Nobody grants themselves a mandate.",
                "A mandate is granted by one person and approved by a second, and neither is the person who receives it (four-eyes principle).");
        if (body.MemberFor(land) is null) return Problems.Invalid($"{Lands.NameOf(land)} is not a member of {body.Id}.");
        if (Separated(personId, recipientRoles, role) is { } separated) return separated;
        if (state?.Current is { } current)
            return Problems.Make(MandateConflict, 409, "The person already has a mandate in this body.",
                $"{personId} holds or awaits a mandate in {body.Id} ({Lands.NameOf(current.Land)}, {current.Role}, {current.Status}). " +
                "Withdraw the pending grant or revoke the mandate first.", ("mandateId", current.MandateId));
        return Decision.Accept(new MandateGranted(mandateId, personId, personName, body.Id, land, role, grantor, now));
    }

    public static Decision Approve(MandateStream? state, string bodyId, Caller caller, IReadOnlyCollection<string> recipientRoles, DateTimeOffset now)
    {
        if (!MayManageAny(caller, bodyId)) return Problems.Forbid("Only an administrator or a Land's coordinator approves mandates.");
        if (state?.Current is not { Status: MandateStatus.Pending } pending) return NothingPending(state, "grant");
        if (Manager(caller, bodyId, pending.Land, pending.Role) is not { } approver) return NotYours(caller, bodyId, pending.Land, pending.Role, "approve");
        if (pending.GrantedBy == caller.PersonId)
            return Problems.Make(FourEyes, 403, "A second person must approve.",
                "You granted this mandate; a different person (an administrator, or another coordinator of the Land) approves it (four-eyes principle).");
        if (state.PersonId == caller.PersonId)
            return Problems.Make(FourEyes, 403, "Nobody approves their own mandate.",
                "This mandate is yours; a different person (an administrator, or another coordinator of the Land) approves it (four-eyes principle).");
        if (Separated(state.PersonId, recipientRoles, pending.Role) is { } separated) return separated;
        return Decision.Accept(new MandateApproved(pending.MandateId, state.PersonId, state.Body, approver, now));
    }

    public static Decision Withdraw(MandateStream? state, string bodyId, Caller caller, DateTimeOffset now)
    {
        if (!MayManageAny(caller, bodyId)) return Problems.Forbid("Only an administrator or a Land's coordinator withdraws a grant.");
        if (state?.Current is not { Status: MandateStatus.Pending } pending) return NothingPending(state, "grant");
        if (Manager(caller, bodyId, pending.Land, pending.Role) is not { } actor) return NotYours(caller, bodyId, pending.Land, pending.Role, "withdraw");
        return Decision.Accept(new MandateGrantWithdrawn(pending.MandateId, state.PersonId, state.Body, actor, now));
    }

    public static Decision RequestRevocation(MandateStream? state, string bodyId, string reason, Caller caller, DateTimeOffset now)
    {
        if (!MayManageAny(caller, bodyId)) return Problems.Forbid("Only an administrator or a Land's coordinator revokes mandates.");
        if (state?.Current is not { Status: MandateStatus.Active } active)
            return state?.Current is { Status: MandateStatus.RevocationRequested }
                ? Problems.Make(MandateConflict, 409, "Revocation already requested.", "A second administrator confirms it.")
                : Problems.Missing("The person holds no mandate in effect in this body.");
        if (Manager(caller, bodyId, active.Land, active.Role) is not { } actor) return NotYours(caller, bodyId, active.Land, active.Role, "revoke");
        return Decision.Accept(new MandateRevocationRequested(active.MandateId, state.PersonId, state.Body, reason, actor, now));
    }

    public static Decision ConfirmRevocation(MandateStream? state, string bodyId, Caller caller, DateTimeOffset now)
    {
        if (!MayManageAny(caller, bodyId)) return Problems.Forbid("Only an administrator or a Land's coordinator revokes mandates.");
        if (state?.Current is not { Status: MandateStatus.RevocationRequested } requested) return NothingPending(state, "revocation");
        if (Manager(caller, bodyId, requested.Land, requested.Role) is not { } actor) return NotYours(caller, bodyId, requested.Land, requested.Role, "revoke");
        if (requested.RevocationRequestedBy == caller.PersonId)
            return Problems.Make(FourEyes, 403, "A second person must confirm.",
                "You asked for this revocation; a different person (an administrator, or another coordinator of the Land) confirms it (four-eyes principle).");
        if (state.PersonId == caller.PersonId)
            return Problems.Make(FourEyes, 403, "Nobody confirms the revocation of their own mandate.",
                "This mandate is yours; a different person (an administrator, or another coordinator of the Land) confirms its revocation (four-eyes principle).");
        return Decision.Accept(new MandateRevoked(requested.MandateId, state.PersonId, state.Body, actor, now));
    }

    private static Decision NothingPending(MandateStream? state, string what) => state?.Current is null
        ? Problems.Missing($"The person has no mandate in this body with a pending {what}.")
        : Problems.Make(MandateConflict, 409, $"No {what} is pending.",
            $"The person's mandate in {state.Body} is {state.Current.Status}; there is no pending {what} to act on.");
}
