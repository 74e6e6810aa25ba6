using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Sessions.GettingSessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// A session of a body: when and where, its agenda (items point to resolutions, with their outcome so far), who was
/// present. The chair in office adds agenda items, opens and closes the session and records attendance.
/// </summary>
public sealed class SessionModel(ServiceApi api, Viewer viewer, UiLanguage l) : PageModel
{
    [FromRoute] public Guid Id { get; set; }

    public SessionRead Read { get; private set; } = null!;
    public BodyInfo Body { get; private set; } = null!;
    public Capacity Acting { get; private set; } = new(null, null);

    /// <summary>The body's resolutions under negotiation not yet on the agenda: what the chair can add.</summary>
    public IReadOnlyList<ResolutionSummary> Candidates { get; private set; } = [];

    /// <summary>The body's live stream is heard from here on (<see cref="LivePages"/>).</summary>
    public long LiveFrom { get; private set; }

    [TempData] public string? Notice { get; set; }
    public string? Error { get; private set; }

    public bool MayRun => Acting.ChairInOffice;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (Request.Headers.ContainsKey(ResolutionModel.LiveRefreshHeader)) TempData.Keep();
        return await Show(ct);
    }

    public async Task<IActionResult> OnPostAgenda(Guid? resolutionId, string? title, string? note, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/sessions/{Id}/agenda", new
        {
            resolutionId,
            title = resolutionId is null ? title : null,
            note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        }, ct);
        return result.Ok ? Done(l.T("Tagesordnungspunkt aufgenommen.", "Agenda item added.")) : await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostOpen(CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/sessions/{Id}/opening", null, ct);
        return result.Ok ? Done(l.T("Sitzung eröffnet.", "Session opened.")) : await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostClose(CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/sessions/{Id}/closing", null, ct);
        return result.Ok ? Done(l.T("Sitzung geschlossen.", "Session closed.")) : await Refused(result.Problem!, ct);
    }

    public async Task<IActionResult> OnPostAttendance(string[]? present, CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Post, $"/api/sessions/{Id}/attendance", new { present = present ?? [] }, ct);
        return result.Ok ? Done(l.T("Anwesenheit festgehalten.", "Attendance recorded.")) : await Refused(result.Problem!, ct);
    }

    private IActionResult Done(string notice)
    {
        Notice = notice;
        return Redirect($"/sitzungen/{Id}");
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
        var read = await api.Get<SessionRead>($"/api/sessions/{Id}", ct);
        if (!read.Ok)
        {
            if (read.Problem!.Status == 404) return NotFound();
            if (read.Problem.Status == 401) return Challenge(WebUi.CookieScheme);
            return StatusCode(read.Problem.Status);
        }
        Read = read.Value!;
        var body = await viewer.Body(Read.Session.Body, ct);
        if (body is null) return NotFound();
        Body = body;
        Acting = await viewer.In(body.Code, ct);
        if (MayRun)
        {
            var list = await api.Get<List<ResolutionSummary>>("/api/resolutions", ct);
            var onAgenda = Read.Agenda.Where(i => i.ResolutionId is not null).Select(i => i.ResolutionId!.Value).ToHashSet();
            Candidates = (list.Value ?? []).Where(r => r.Body == body.Code && r.Status == Resolutions.ResolutionStatus.UnderNegotiation && !onAgenda.Contains(r.Id)).ToList();
        }
        return Page();
    }
}
