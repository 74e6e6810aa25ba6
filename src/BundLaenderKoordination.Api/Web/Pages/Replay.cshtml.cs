using BundLaenderKoordination.Api.Resolutions.GettingDiffs;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.History;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// The replay of a resolution for observers: a slider over its versions shows the text, the Länder's votes and the
/// comments exactly as they were after each step, the timeline names every step, and a Synopse sets two text
/// versions side by side.
/// </summary>
public sealed class ReplayModel(ServiceApi api) : PageModel
{
    public const int TimelineLimit = 500;

    [FromRoute] public Guid Id { get; set; }

    /// <summary>The stream version shown (1 = as proposed); absent: the latest.</summary>
    [BindProperty(SupportsGet = true, Name = "v")] public long? Step { get; set; }

    [BindProperty(SupportsGet = true, Name = "von")] public int? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "bis")] public int? To { get; set; }

    public ResolutionView Latest { get; private set; } = null!;
    public ResolutionView Then { get; private set; } = null!;
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];
    public TimelineEntry? StepEntry => Timeline.FirstOrDefault(e => e.Version == Then.Version);
    public TextVersionSynopsis? Synopsis { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var latest = await api.Get<ResolutionView>($"/api/resolutions/{Id}", ct);
        if (!latest.Ok) return latest.Problem!.Status == 404 ? NotFound() : StatusCode(latest.Problem.Status);
        Latest = latest.Value!;
        var step = Math.Clamp(Step ?? Latest.Version, 1, Latest.Version);
        if (step == Latest.Version)
        {
            Then = Latest;
        }
        else
        {
            var then = await api.Get<ResolutionView>($"/api/resolutions/{Id}?version={step}", ct);
            if (!then.Ok) return StatusCode(then.Problem!.Status);
            Then = then.Value!;
        }

        var timeline = await api.Get<TimelinePage>($"/api/resolutions/{Id}/timeline?pageSize={TimelineLimit}", ct);
        if (timeline.Ok) Timeline = timeline.Value!.Entries;

        if (Latest.TextVersion > 1 || From is not null || To is not null)
        {
            var to = Math.Clamp(To ?? Latest.TextVersion, 1, Latest.TextVersion);
            var from = Math.Clamp(From ?? Math.Max(1, to - 1), 1, Latest.TextVersion);
            var synopsis = await api.Get<TextVersionSynopsis>($"/api/resolutions/{Id}/synopsis?from={from}&to={to}", ct);
            if (synopsis.Ok) Synopsis = synopsis.Value;
        }
        return Page();
    }
}
