using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Passkeys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// A person's passkeys (decision 53): their own with where each stands, registering one on this device (the browser's
/// WebAuthn prompt, <c>wwwroot/js/passkeys.js</c>) and revoking one. Four eyes: an administrator or a coordinator looks up
/// a person and approves a pending registration or revokes a passkey. Everything goes through the API, which decides
/// again; the page offers the lookup only to those the API lets read other people's passkeys.
/// </summary>
public sealed class PasskeysModel(ServiceApi api, Viewer viewer, UiLanguage l) : PageModel
{
    /// <summary>The person looked up (<c>?person=dev:anna-berger</c>) by an administrator, auditor or coordinator.</summary>
    [BindProperty(SupportsGet = true, Name = "person")] public string? PersonAsked { get; set; }

    public string PersonId { get; private set; } = "";
    public IReadOnlyList<PasskeyView> Own { get; private set; } = [];
    public IReadOnlyList<PasskeyView>? Others { get; private set; }
    public bool IsAdmin { get; private set; }
    /// <summary>Administrators, auditors and coordinators read other people's passkeys (the API's rule for the list).</summary>
    public bool MayLookUp { get; private set; }
    /// <summary>Administrators and coordinators approve and revoke; the API decides for which person.</summary>
    public bool MayManage { get; private set; }

    [TempData] public string? Notice { get; set; }
    /// <summary>Where the answer of the form sent stands: "own" (the own passkeys) or "person" (the person looked up).</summary>
    [TempData] public string? NoticeAt { get; set; }
    public string? Error { get; private set; }
    public string? ErrorAt { get; private set; }
    /// <summary>Registering a passkey needs a fresh sign-in (step-up): the page offers it next to the refusal.</summary>
    public bool SignInAgain { get; private set; }

    public string? Person => string.IsNullOrWhiteSpace(PersonAsked) ? null : PersonAsked.Trim();

    public async Task<IActionResult> OnGet(CancellationToken ct) => await Show(ct);

    /// <summary>The WebAuthn creation options for <c>navigator.credentials.create</c> and the sealed state to send back (JSON, for the script).</summary>
    public async Task<IActionResult> OnPostOptions(CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, "/api/passkeys/registration-options", new { }, ct);
        if (!result.Ok) return new JsonResult(new { error = Refusals.Text(result.Problem!, l) }) { StatusCode = result.Problem!.Status };
        return new JsonResult(new { options = result.Value!["options"]?.GetValue<string>(), state = result.Value!["state"]?.GetValue<string>() });
    }

    /// <summary>Registers the passkey the browser created; it signs once a second person approved it.</summary>
    public async Task<IActionResult> OnPostRegister(string? state, string? credentialId, string? clientDataJson, string? attestationObject, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(state) || string.IsNullOrEmpty(credentialId))
            return await Refused(l.T("Zum Einrichten eines Passkeys braucht diese Seite JavaScript und ein Gerät oder einen Browser, der Passkeys kann. Nichts wurde gespeichert.",
                "Setting up a passkey needs JavaScript and a device or browser that supports passkeys. Nothing was recorded."), "own", 400, ct);
        var result = await api.Send(HttpMethod.Post, "/api/passkeys",
            new { state, attestation = new { id = credentialId, clientDataJson, attestationObject } }, ct);
        if (!result.Ok)
        {
            SignInAgain = StepUpNotice.Applies(result.Problem!);
            return await Refused(Refusals.Text(result.Problem!, l), "own", result.Problem!.Status, ct);
        }
        return Done(l.T("Passkey eingerichtet. Er signiert, sobald eine zweite Person (die Verwaltung oder die Koordination Ihres Landes) ihn freigegeben hat.",
            "Passkey set up. It signs once a second person (an administrator or your Land's coordinator) has approved it."), "own");
    }

    /// <summary>Revokes a passkey at once: the person's own, or (administrator, coordinator) someone else's.</summary>
    public async Task<IActionResult> OnPostRevoke(string credentialId, string? owner, string? reason, bool confirm, CancellationToken ct)
    {
        var at = string.IsNullOrEmpty(owner) ? "own" : "person";
        if (!confirm)
            return await Refused(l.T("Bitte bestätigen Sie den Widerruf mit dem Häkchen über der Schaltfläche; nichts wurde gespeichert.",
                "Please confirm the revocation with the checkbox above the button; nothing was recorded."), at, 400, ct);
        var personId = string.IsNullOrEmpty(owner) ? (await viewer.Me(ct)).PersonId : owner;
        var result = await api.Send<List<PasskeyView>>(HttpMethod.Post, $"/api/people/{Uri.EscapeDataString(personId)}/passkeys/{Uri.EscapeDataString(credentialId)}/revocation",
            new { reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim() }, ct);
        if (!result.Ok) return await Refused(Refusals.Text(result.Problem!, l), at, result.Problem!.Status, ct);
        return Done(l.T("Passkey widerrufen: er signiert ab sofort nichts mehr.", "Passkey revoked: from now on it signs nothing."), at);
    }

    /// <summary>Four eyes: a second person approves a pending registration.</summary>
    public async Task<IActionResult> OnPostApprove(string credentialId, string owner, string? ownerName, bool confirm, CancellationToken ct)
    {
        if (!confirm)
            return await Refused(l.T("Bitte bestätigen Sie die Freigabe mit dem Häkchen über der Schaltfläche; nichts wurde gespeichert.",
                "Please confirm the approval with the checkbox above the button; nothing was recorded."), "person", 400, ct);
        var result = await api.Send<List<PasskeyView>>(HttpMethod.Post, $"/api/people/{Uri.EscapeDataString(owner)}/passkeys/{Uri.EscapeDataString(credentialId)}/approval", null, ct);
        if (!result.Ok) return await Refused(Refusals.Text(result.Problem!, l), "person", result.Problem!.Status, ct);
        return Done(l.T($"Passkey von {ownerName ?? owner} freigegeben: er signiert ab jetzt.", $"Passkey of {ownerName ?? owner} approved: it signs from now on."), "person");
    }

    private IActionResult Done(string notice, string at)
    {
        Notice = notice;
        NoticeAt = at;
        return Redirect(Person is { } person ? $"/passkeys?person={Uri.EscapeDataString(person)}#feedback" : "/passkeys#feedback");
    }

    private async Task<IActionResult> Refused(string error, string at, int status, CancellationToken ct)
    {
        Response.StatusCode = status;
        var shown = await Show(ct);
        Error = error;
        ErrorAt = at;
        return shown;
    }

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        var me = await viewer.Me(ct);
        if (me.PersonId.Length == 0) return Challenge(WebUi.CookieScheme);
        PersonId = me.PersonId;
        IsAdmin = me.Roles.Contains(Roles.Admin);
        var coordinator = me.Mandates.Any(m => m.Role == Roles.Coordinator);
        MayManage = IsAdmin || coordinator;
        MayLookUp = MayManage || me.Roles.Contains(Roles.Auditor);
        var own = await api.Get<List<PasskeyView>>("/api/passkeys", ct);
        if (own.Ok) Own = own.Value!;
        else Error ??= Refusals.Text(own.Problem!, l);
        if (MayLookUp && Person is { } person)
        {
            var others = await api.Get<List<PasskeyView>>($"/api/people/{Uri.EscapeDataString(person)}/passkeys", ct);
            if (others.Ok) Others = others.Value!;
            else
            {
                Error ??= Refusals.Text(others.Problem!, l);
                ErrorAt ??= "person";
            }
        }
        return Page();
    }
}
