using Microsoft.AspNetCore.Routing;

namespace BundLaenderKoordination.Api.Identity;

/// <summary>Who may call an endpoint at all. Rules that depend on the resolution or body (own Land only) follow in the decisions.</summary>
public enum Access
{
    /// <summary>Anyone, signed in or not.</summary>
    Public,
    /// <summary>A web page: signed in to the pages; its API calls are checked like any other.</summary>
    Pages,
    /// <summary>Any verified person.</summary>
    SignedIn,
    /// <summary>Readers: a mandate in some body, observers and auditors.</summary>
    Read,
    /// <summary>Writing texts, amendments, comments: a representative or chair mandate.</summary>
    Negotiate,
    /// <summary>Casting a Land's vote: a representative mandate.</summary>
    Vote,
    /// <summary>Running the procedure of a body: a chair mandate.</summary>
    Chair,
    /// <summary>Reading bodies: readers and administrators, who configure them.</summary>
    ReadBodies,
    /// <summary>Reading mandates: administrators and auditors; a Land's coordinator those of their Land in their body (checked by the route).</summary>
    ReadMandates,
    /// <summary>Bodies and mandates: administrators.</summary>
    Administer,
    /// <summary>Granting and revoking mandates: administrators, and Land coordinators (for their Land, checked by the decisions).</summary>
    ManageMandates,
    /// <summary>Exporting the audit: auditors.</summary>
    AuditExport,
    /// <summary>A vote's receipt: representatives (of the voting Land, checked by the endpoint), auditors, administrators.</summary>
    VoteReceipt,
    /// <summary>Asking for a signed checkpoint now: auditors, chairs, administrators.</summary>
    Checkpoint,
}

/// <summary>
/// The one table of who may call which endpoint, by method and route template. An endpoint the table does not name is
/// refused to everyone (403) and fails the authorization matrix test, which says what to add here.
/// </summary>
public static class AccessRules
{
    public static readonly IReadOnlyDictionary<string, Access> Endpoints = new Dictionary<string, Access>
    {
        ["* /health/live"] = Access.Public,
        ["* /health/ready"] = Access.Public,
        ["GET /health/node"] = Access.Public,
        ["GET /openapi/{documentName}.json"] = Access.Public,
        ["GET /docs/api/{documentName?}"] = Access.Public,
        ["GET /docs/api/favicon.svg"] = Access.Public,
        ["GET /docs/api/scalar.aspnetcore.js"] = Access.Public,
        ["GET /docs/api/scalar.js"] = Access.Public,
        ["POST /api/dev/tokens"] = Access.Public,
        ["* /anmelden"] = Access.Public,
        ["* /anmelden/oidc"] = Access.Public,
        ["* /anmelden/oidc/abgemeldet"] = Access.Public,
        ["GET /sprache/{code}"] = Access.Public,
        ["* /"] = Access.Pages,
        ["* /abmelden"] = Access.Pages,
        ["* /beschluesse/{id:guid}"] = Access.Pages,
        ["GET /beschluesse/{id:guid}/live"] = Access.Pages,

        ["* /beschluesse/{id:guid}/verlauf"] = Access.Pages,
        ["* /pruefung"] = Access.Pages,
        ["* /gremien/{code}"] = Access.Pages,
        ["* /gremien/{code}/mandate"] = Access.Pages,
        ["GET /gremien/{code}/live"] = Access.Pages,
        ["* /sitzungen/{id:guid}"] = Access.Pages,
        ["* /exporte/{what}/{id}/{format}"] = Access.Pages,
        ["GET /api/audit/checkpoint"] = Access.Public,
        ["GET /api/audit/checkpoints/{size}"] = Access.Public,
        ["GET /api/audit/public-keys"] = Access.Public,
        ["GET /api/audit/witnesses"] = Access.Public,
        ["GET /api/audit/witnesses/checkpoints"] = Access.Public,

        ["GET /api/me"] = Access.SignedIn,

        ["GET /api/resolutions"] = Access.Read,
        ["GET /api/resolutions/{id}"] = Access.Read,
        ["GET /api/resolutions/search"] = Access.Read,
        ["GET /api/resolutions/{id}/timeline"] = Access.Read,
        ["GET /api/resolutions/{id}/live"] = Access.Read,
        ["GET /api/resolutions/{id}/changes"] = Access.Read,
        ["GET /api/resolutions/{id}/audit-trail"] = Access.Read,
        ["GET /api/resolutions/{id}/diff"] = Access.Read,
        ["GET /api/resolutions/{id}/synopsis"] = Access.Read,
        ["GET /api/resolutions/{id}/amendments/{amendmentId}/diff"] = Access.Read,
        ["GET /api/resolutions/{id}/amendments/diffs"] = Access.Read,
        ["GET /api/bodies/{bodyId}/timeline"] = Access.Read,
        ["GET /api/bodies/{bodyId}/live"] = Access.Read,
        ["GET /api/bodies/{bodyId}/changes"] = Access.Read,
        ["GET /api/resolutions/{id}/akn"] = Access.Read,
        ["GET /api/resolutions/{id}/amendments/{amendmentId}/akn"] = Access.Read,
        ["GET /api/resolutions/{id}/pdf"] = Access.Read,
        ["GET /api/resolutions/{id}/ballots/{number}/votes/csv"] = Access.Read,
        ["GET /api/resolutions/{id}/audit-trail/csv"] = Access.Read,
        ["GET /api/resolutions/{id}/timeline/csv"] = Access.Read,

        ["POST /api/resolutions"] = Access.Negotiate,
        ["PUT /api/resolutions/{id}/text"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/comments"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/comments/{commentId}/replies"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/comments/{commentId}/resolution"] = Access.Negotiate,
        ["DELETE /api/resolutions/{id}/comments/{commentId}/resolution"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/amendments"] = Access.Negotiate,
        ["PUT /api/resolutions/{id}/amendments/{amendmentId}"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/amendments/{amendmentId}/support"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/amendments/{amendmentId}/decision"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/brackets"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/brackets/{bracketId}/alternatives"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/brackets/{bracketId}/resolution"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/votes"] = Access.Vote,
        ["POST /api/resolutions/{id}/adoption"] = Access.Chair,

        ["GET /api/audit/events/{seq}/inclusion-proof"] = Access.Read,
        ["GET /api/audit/consistency-proof"] = Access.Read,
        ["GET /api/resolutions/{id}/votes/{version}/receipt"] = Access.VoteReceipt,
        ["POST /api/audit/checkpoints"] = Access.Checkpoint,
        ["GET /api/audit/bundle"] = Access.AuditExport,
        ["GET /api/audit/who-agreed"] = Access.AuditExport,

        ["GET /api/bodies"] = Access.ReadBodies,
        ["GET /api/bodies/{code}"] = Access.ReadBodies,
        ["GET /api/bodies/{code}/sessions"] = Access.ReadBodies,
        ["GET /api/sessions/{id}"] = Access.ReadBodies,
        ["GET /api/sessions/{id}/minutes/pdf"] = Access.ReadBodies,
        ["GET /api/bodies/{code}/calendar/ics"] = Access.ReadBodies,
        ["POST /api/bodies/{code}/calendar/subscriptions"] = Access.Read,
        ["GET /api/calendar/subscriptions"] = Access.SignedIn,
        ["DELETE /api/calendar/subscriptions/{id}"] = Access.SignedIn,
        ["GET /api/calendar/feeds/{token}"] = Access.Public,
        ["GET /api/special-session-requests/{id}"] = Access.ReadBodies,
        ["GET /api/bodies/{code}/special-session-requests"] = Access.ReadBodies,
        ["POST /api/bodies"] = Access.Administer,
        ["PUT /api/bodies/{code}"] = Access.Administer,
        ["POST /api/bodies/{code}/sessions"] = Access.Chair,
        ["POST /api/sessions/{id}/agenda"] = Access.Chair,
        ["POST /api/sessions/{id}/attendance"] = Access.Chair,
        ["POST /api/sessions/{id}/opening"] = Access.Chair,
        ["POST /api/sessions/{id}/closing"] = Access.Chair,
        ["POST /api/resolutions/{id}/ballots"] = Access.Chair,
        ["POST /api/resolutions/{id}/ballots/current/closing"] = Access.Chair,
        ["POST /api/resolutions/{id}/ballots/current/cancellation"] = Access.Chair,
        ["PUT /api/resolutions/{id}/ballots/current/deadline"] = Access.Chair,
        ["POST /api/resolutions/{id}/written-procedure"] = Access.Chair,
        ["POST /api/resolutions/{id}/written-procedure/consent"] = Access.Vote,
        ["POST /api/resolutions/{id}/written-procedure/objection"] = Access.Vote,
        ["POST /api/bodies/{code}/special-session-requests"] = Access.Vote,
        ["POST /api/special-session-requests/{id}/support"] = Access.Vote,
        ["POST /api/resolutions/{id}/positions"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/declarations"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/declarations/{declarationId}/joining"] = Access.Negotiate,
        ["POST /api/resolutions/{id}/withdrawal"] = Access.Negotiate,
        ["PUT /api/resolutions/{id}/restriction"] = Access.Negotiate,

        ["GET /api/notifications"] = Access.SignedIn,
        ["POST /api/notifications/{id}/read"] = Access.SignedIn,
        ["GET /api/notifications/settings"] = Access.SignedIn,
        ["PUT /api/notifications/settings"] = Access.SignedIn,
        ["GET /api/notifications/unsubscribe"] = Access.Public,
        ["POST /api/notifications/unsubscribe"] = Access.Public,
        ["GET /api/admin/notifications"] = Access.Administer,
        ["POST /api/admin/notifications/digest"] = Access.Administer,
        ["* /benachrichtigungen"] = Access.Pages,
        ["* /passkeys"] = Access.Pages,
        ["* /verwaltung/benachrichtigungen"] = Access.Pages,

        ["GET /api/bodies/{bodyId}/mandates"] = Access.ReadMandates,
        ["POST /api/bodies/{bodyId}/mandates"] = Access.ManageMandates,
        ["POST /api/bodies/{bodyId}/mandates/{personId}/approval"] = Access.ManageMandates,
        ["POST /api/bodies/{bodyId}/mandates/{personId}/withdrawal"] = Access.ManageMandates,
        ["POST /api/bodies/{bodyId}/mandates/{personId}/revocation"] = Access.ManageMandates,
        ["POST /api/bodies/{bodyId}/mandates/{personId}/revocation/confirmation"] = Access.ManageMandates,
        ["POST /api/passkeys/registration-options"] = Access.SignedIn,
        ["POST /api/passkeys"] = Access.SignedIn,
        ["GET /api/passkeys"] = Access.SignedIn,
        ["GET /api/people/{personId}/passkeys"] = Access.ReadMandates,
        ["POST /api/people/{personId}/passkeys/{credentialId}/approval"] = Access.ManageMandates,
        ["POST /api/people/{personId}/passkeys/{credentialId}/revocation"] = Access.SignedIn,
    };

    /// <summary>
    /// Weighty acts: beyond its access rule, each needs a recent (and, where configured, strong) sign-in; see
    /// <see cref="Identity.StepUp"/>. The value names the act in the refusal.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> StepUp = new Dictionary<string, string>
    {
        ["POST /api/resolutions/{id}/votes"] = "Casting a vote",
        ["POST /api/resolutions/{id}/written-procedure/consent"] = "Consenting in a written procedure",
        ["POST /api/resolutions/{id}/written-procedure/objection"] = "Objecting in a written procedure",
        ["POST /api/resolutions/{id}/ballots/current/closing"] = "Closing a ballot",
        // Adoption closes the open ballot, or counts the votes in a ballot opened and closed at once.
        ["POST /api/resolutions/{id}/adoption"] = "Declaring a resolution adopted",
        ["GET /api/audit/bundle"] = "Exporting audit data",
        // A passkey signs votes in the person's name: whoever registers one must have just signed in (a second person
        // still approves it).
        ["POST /api/passkeys"] = "Registering a passkey",
    };

    /// <summary>The act an endpoint performs if it needs step-up, else null.</summary>
    public static string? StepUpActOf(RouteEndpoint endpoint, string method)
    {
        foreach (var key in KeysOf(endpoint))
            if (key.StartsWith(method + " ", StringComparison.Ordinal) && StepUp.TryGetValue(key, out var act))
                return act;
        return null;
    }

    /// <summary>"METHOD /route/{template}" for each method an endpoint answers ("*" when it answers any).</summary>
    public static IEnumerable<string> KeysOf(RouteEndpoint endpoint)
    {
        var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
        var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
        return methods is { Count: > 0 } ? methods.Select(m => $"{m} {route}") : [$"* {route}"];
    }

    public static Access? For(RouteEndpoint endpoint, string method)
    {
        foreach (var key in KeysOf(endpoint))
            if ((key.StartsWith(method + " ", StringComparison.Ordinal) || key.StartsWith("* ", StringComparison.Ordinal))
                && Endpoints.TryGetValue(key, out var access))
                return access;
        return null;
    }

    public static bool Allows(Access access, Caller caller) => access switch
    {
        Access.Public or Access.Pages or Access.SignedIn => true,
        Access.Read => (caller.Mandates?.Count ?? 0) > 0 || caller.Has(Roles.Observer) || caller.Has(Roles.Auditor),
        Access.Negotiate => caller.Mandates?.Any(m => m.Role is Roles.Representative or Roles.Chair) == true,
        Access.Vote => caller.Mandates?.Any(m => m.Role == Roles.Representative) == true,
        Access.Chair => caller.Mandates?.Any(m => m.Role == Roles.Chair) == true,
        Access.ReadBodies => Allows(Access.Read, caller) || caller.Has(Roles.Admin),
        Access.ReadMandates => caller.Has(Roles.Admin) || caller.Has(Roles.Auditor) || caller.Mandates?.Any(m => m.Role == Roles.Coordinator) == true,
        Access.Administer => caller.Has(Roles.Admin),
        Access.ManageMandates => caller.Has(Roles.Admin) || caller.Mandates?.Any(m => m.Role == Roles.Coordinator) == true,
        Access.AuditExport => caller.Has(Roles.Auditor),
        Access.VoteReceipt => caller.Has(Roles.Auditor) || caller.Has(Roles.Admin) || caller.Mandates?.Any(m => m.Role == Roles.Representative) == true,
        Access.Checkpoint => caller.Has(Roles.Auditor) || caller.Has(Roles.Admin) || caller.Mandates?.Any(m => m.Role == Roles.Chair) == true,
        _ => false,
    };
}
