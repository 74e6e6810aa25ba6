using BundLaenderKoordination.Api.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// A body: its members and the chair in office, its sessions, and the requests for a special session. The chair in
/// office schedules sessions here (regular or special, virtual or in person with a place); representatives of voting
/// members ask for a special session and support others' requests.
/// </summary>
public sealed class BodyModel(ServiceApi api, Viewer viewer, UiLanguage l) : PageModel
{
    [FromRoute] public string Code { get; set; } = "";

    public BodyInfo Body { get; private set; } = null!;
    public Capacity Acting { get; private set; } = new(null, null);
    public IReadOnlyList<SessionView> Sessions { get; private set; } = [];
    public IReadOnlyList<SpecialSessionRequestView> Requests { get; private set; } = [];

    /// <summary>The body's live stream is heard from here on (<see cref="LivePages"/>).</summary>
    public long LiveFrom { get; private set; }

    [TempData] public string? Notice { get; set; }
    public string? Error { get; private set; }
    /// <summary>The start as the chair typed it, kept in the form after a refusal.</summary>
    public string? DraftStart { get; private set; }

    public bool MaySchedule => Acting.ChairInOffice;
    public bool MayRequest => Acting.Votes;
    public bool MaySupport(SpecialSessionRequestView r) => Acting.Votes && !r.Convened && !r.Supporters.Contains(Acting.Land!);

    /// <summary>Convened requests that no session names yet: the chair schedules a special session for one of them.</summary>
    public IReadOnlyList<SpecialSessionRequestView> Convened =>
        Requests.Where(r => r.Convened && Sessions.All(s => s.SpecialRequestId != r.Id)).ToList();

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (Request.Headers.ContainsKey(ResolutionModel.LiveRefreshHeader)) TempData.Keep();
        return await Show(ct);
    }

    public async Task<IActionResult> OnPostSchedule(string? kind, string? format, string? place, string? startsAt, Guid? specialRequestId, CancellationToken ct)
    {
        if (GermanTime.TryRead(startsAt, out var start) is var problem && problem != GermanTime.Problem.None)
        {
            Error = GermanTime.Explain(problem, l, "den Beginn", "the start");
            DraftStart = startsAt;
            Response.StatusCode = 400;
            return await Show(ct);
        }
        var result = await api.Send(HttpMethod.Post, $"/api/bodies/{Uri.EscapeDataString(Code)}/sessions", new
        {
            kind, format, place = format == "inPerson" ? place : null, startsAt = start.ToString("O"), specialRequestId,
        }, ct);
        if (!result.Ok) return await Refused(result.Problem!, ct);
        Notice = l.T("Sitzung anberaumt.", "Session scheduled.");
        return Redirect($"/sitzungen/{result.Value!["id"]!.GetValue<Guid>()}");
    }

    public async Task<IActionResult> OnPostRequest(string? reason, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/bodies/{Uri.EscapeDataString(Code)}/special-session-requests", new { reason }, ct);
        if (!result.Ok) return await Refused(result.Problem!, ct);
        return Done(l.T("Antrag auf eine Sondersitzung gestellt.", "Special session requested."));
    }

    public async Task<IActionResult> OnPostSupport(Guid requestId, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/special-session-requests/{requestId}/support", null, ct);
        if (!result.Ok) return await Refused(result.Problem!, ct);
        var convened = result.Value?["convened"]?.GetValue<bool>() == true;
        return Done(convened
            ? l.T("Unterstützung gespeichert: die Mehrheit ist erreicht, die Sondersitzung ist einberufen.", "Support recorded: the majority is reached, the special session is convened.")
            : l.T("Unterstützung gespeichert.", "Support recorded."));
    }

    private IActionResult Done(string notice)
    {
        Notice = notice;
        return Redirect($"/gremien/{Uri.EscapeDataString(Code)}");
    }

    private async Task<IActionResult> Refused(ApiProblem problem, CancellationToken ct)
    {
        Error = Refusals.Text(problem, l);
        Response.StatusCode = problem.Status;
        return await Show(ct);
    }

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        LiveFrom = await LivePages.Since(HttpContext, ct);
        var body = await viewer.Body(Code, ct);
        if (body is null) return NotFound();
        Body = body;
        Acting = await viewer.In(Code, ct);
        var sessions = await api.Get<List<SessionView>>($"/api/bodies/{Uri.EscapeDataString(Code)}/sessions", ct);
        Sessions = sessions.Value ?? [];
        var requests = await api.Get<List<SpecialSessionRequestView>>($"/api/bodies/{Uri.EscapeDataString(Code)}/special-session-requests", ct);
        Requests = requests.Value ?? [];
        if (!sessions.Ok) Error ??= Refusals.Text(sessions.Problem!, l);
        return Page();
    }
}
