using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// The mandates of a body, four eyes: an administrator (any Land) or a Land's coordinator (representative and chair
/// mandates of their Land) grants a mandate, and a second person, neither the grantor nor the recipient, approves or
/// turns it down; a revocation is requested by one and confirmed by another. Administrators and auditors read every
/// mandate (optionally one Land's), a coordinator those of their Land. What is offered follows the service's own rule
/// (<see cref="MandateDecisions.Manager"/>); the service decides again on every write.
/// </summary>
public sealed class MandatesModel(ServiceApi api, Viewer viewer, UiLanguage l) : PageModel
{
    [FromRoute] public string Code { get; set; } = "";
    /// <summary>One Land's mandates (<c>?land=DE-HE</c>); a coordinator always sees their own Land's.</summary>
    [BindProperty(SupportsGet = true, Name = "land")] public string? LandAsked { get; set; }

    public BodyInfo Body { get; private set; } = null!;
    public Capacity Acting { get; private set; } = new(null, null);
    public IReadOnlyList<MandateView> Mandates { get; private set; } = [];
    public string PersonId { get; private set; } = "";
    /// <summary>The Land shown (null: all).</summary>
    public string? Land { get; private set; }
    public bool IsAdmin { get; private set; }
    public bool MayFilter { get; private set; }

    [TempData] public string? Notice { get; set; }
    public string? Error { get; private set; }

    /// <summary>The Land this person coordinates in the body, if any.</summary>
    public string? CoordinatedLand => Acting.Caller?.MandateIn(Code) is { Role: Roles.Coordinator } m ? m.Land : null;

    /// <summary>Whether the service would take this person as manager of a mandate of this Land and role.</summary>
    public bool Manages(string land, string role) => Acting.Caller is { } caller && MandateDecisions.Manager(caller, Code, land, role) is not null;

    /// <summary>Four eyes: the second person is neither the grantor nor the recipient.</summary>
    public bool MayApprove(MandateView m) => m.Status == MandateStatus.Pending && Manages(m.Land, m.Role) && m.GrantedBy != PersonId && m.PersonId != PersonId;
    public bool MayWithdraw(MandateView m) => m.Status == MandateStatus.Pending && Manages(m.Land, m.Role);
    public bool MayRequestRevocation(MandateView m) => m.Status == MandateStatus.Active && Manages(m.Land, m.Role);
    public bool MayConfirmRevocation(MandateView m) =>
        m.Status == MandateStatus.RevocationRequested && Manages(m.Land, m.Role) && m.RevocationRequestedBy != PersonId && m.PersonId != PersonId;
    public bool MayGrant => IsAdmin || CoordinatedLand is not null;

    /// <summary>The Länder a grant may name: any member for an administrator, their own Land for a coordinator.</summary>
    public IReadOnlyList<string> GrantLands => IsAdmin ? [.. Body.Members.Select(m => m.Land)] : CoordinatedLand is { } own ? [own] : [];
    public IReadOnlyList<string> GrantRoles => IsAdmin ? [Roles.Representative, Roles.Chair, Roles.Coordinator] : [Roles.Representative, Roles.Chair];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (Request.Headers.ContainsKey(ResolutionModel.LiveRefreshHeader)) TempData.Keep();
        return await Show(ct);
    }

    public async Task<IActionResult> OnPostGrant(string? personId, string? personName, string? grantLand, string? role, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/bodies/{Uri.EscapeDataString(Code)}/mandates",
            new { personId = personId?.Trim(), personName = personName?.Trim(), land = grantLand, role }, ct);
        if (!result.Ok) return await Refused(result.Problem!, ct);
        return Done(l.T($"Mandat für {personName?.Trim()} erteilt; es gilt, sobald eine zweite Person es bestätigt.",
            $"Mandate granted to {personName?.Trim()}; it takes effect once a second person approves it."));
    }

    public async Task<IActionResult> OnPostApprove(string personId, string? personName, bool confirm, CancellationToken ct)
    {
        if (!confirm) return await NotConfirmed(ct);
        var result = await api.Send(HttpMethod.Post, $"/api/bodies/{Uri.EscapeDataString(Code)}/mandates/{Uri.EscapeDataString(personId)}/approval", null, ct);
        if (!result.Ok) return await Refused(result.Problem!, ct);
        return Done(l.T($"Mandat von {personName} bestätigt; es gilt ab jetzt.", $"Mandate of {personName} approved; it is in effect now."));
    }

    public async Task<IActionResult> OnPostWithdraw(string personId, string? personName, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/bodies/{Uri.EscapeDataString(Code)}/mandates/{Uri.EscapeDataString(personId)}/withdrawal", null, ct);
        if (!result.Ok) return await Refused(result.Problem!, ct);
        return Done(l.T($"Erteilung an {personName} nicht bestätigt und zurückgenommen.", $"Grant to {personName} turned down and withdrawn."));
    }

    public async Task<IActionResult> OnPostRevoke(string personId, string? personName, string? reason, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/bodies/{Uri.EscapeDataString(Code)}/mandates/{Uri.EscapeDataString(personId)}/revocation",
            new { reason = reason?.Trim() }, ct);
        if (!result.Ok) return await Refused(result.Problem!, ct);
        return Done(l.T($"Widerruf des Mandats von {personName} beantragt; es endet, sobald eine zweite Person bestätigt.",
            $"Revocation of {personName}'s mandate requested; it ends once a second person confirms."));
    }

    public async Task<IActionResult> OnPostConfirmRevocation(string personId, string? personName, bool confirm, CancellationToken ct)
    {
        if (!confirm) return await NotConfirmed(ct);
        var result = await api.Send(HttpMethod.Post, $"/api/bodies/{Uri.EscapeDataString(Code)}/mandates/{Uri.EscapeDataString(personId)}/revocation/confirmation", null, ct);
        if (!result.Ok) return await Refused(result.Problem!, ct);
        return Done(l.T($"Widerruf bestätigt: das Mandat von {personName} ist beendet.", $"Revocation confirmed: {personName}'s mandate has ended."));
    }

    private IActionResult Done(string notice)
    {
        Notice = notice;
        var query = LandAsked is { Length: > 0 } land ? $"?land={Uri.EscapeDataString(land)}" : "";
        return Redirect($"/gremien/{Uri.EscapeDataString(Code)}/mandate{query}#feedback");
    }

    private async Task<IActionResult> Refused(ApiProblem problem, CancellationToken ct)
    {
        Response.StatusCode = problem.Status;
        var shown = await Show(ct);
        Error = Refusals.Text(problem, l);
        return shown;
    }

    private async Task<IActionResult> NotConfirmed(CancellationToken ct)
    {
        Response.StatusCode = 400;
        var shown = await Show(ct);
        Error = l.T("Bitte bestätigen Sie die Handlung mit dem Häkchen über der Schaltfläche; nichts wurde gespeichert.",
            "Please confirm the act with the checkbox above the button; nothing was recorded.");
        return shown;
    }

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        var body = await viewer.Body(Code, ct);
        if (body is null) return NotFound();
        Body = body;
        Acting = await viewer.In(Code, ct);
        var me = await viewer.Me(ct);
        PersonId = me.PersonId;
        IsAdmin = me.Roles.Contains(Roles.Admin);
        MayFilter = IsAdmin || me.Roles.Contains(Roles.Auditor);
        Land = MayFilter ? Lands.Normalize(LandAsked) : CoordinatedLand;
        if (!MayFilter && CoordinatedLand is null) return StatusCode(403);
        var query = Land is null ? "" : $"?land={Uri.EscapeDataString(Land)}";
        var list = await api.Get<List<MandateView>>($"/api/bodies/{Uri.EscapeDataString(Code)}/mandates{query}", ct);
        if (list.Ok) Mandates = list.Value!;
        else Error ??= Refusals.Text(list.Problem!, l);
        return Page();
    }
}
