using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.History;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

public sealed class IndexModel(ServiceApi api, Viewer viewer, UiLanguage language) : PageModel
{
    public IReadOnlyList<ResolutionSummary> Resolutions { get; private set; } = [];

    /// <summary>The bodies in which the reader holds a mandate in effect, with the Land and role of each.</summary>
    public IReadOnlyList<(BodyInfo Body, HeldMandate Mandate)> MyBodies { get; private set; } = [];

    /// <summary>Resolutions of bodies the reader holds no mandate in (observers and auditors see all here).</summary>
    public IReadOnlyList<ResolutionSummary> Others => Resolutions.Where(r => MyBodies.All(b => b.Body.Code != r.Body)).ToList();

    public IReadOnlyList<ResolutionSummary> Of(string body) => Resolutions.Where(r => r.Body == body).ToList();

    /// <summary>Bodies in which the reader may propose: a representative or chair mandate there.</summary>
    public IReadOnlyList<BodyInfo> ProposeIn => MyBodies.Where(b => b.Mandate.Role is Roles.Representative or Roles.Chair).Select(b => b.Body).ToList();
    public bool MayPropose => ProposeIn.Count > 0;
    public string? Error { get; private set; }

    /// <summary>Words of the current or any former wording; empty: all resolutions.</summary>
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }

    /// <summary>For a search: whether the current text still holds the words (false: only an earlier wording did).</summary>
    public IReadOnlyDictionary<Guid, bool> InCurrentText { get; private set; } = new Dictionary<Guid, bool>();

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public string? Text { get; set; }
    /// <summary>Proposed as confidential: only the group may know the resolution.</summary>
    [BindProperty] public bool Confidential { get; set; }
    /// <summary>Who else reads a confidential proposal (Länder, the Bund, "chair"); the proposer's own Land always does.</summary>
    [BindProperty] public string[] Readers { get; set; } = [];

    /// <summary>
    /// The group of a confidential proposal: the Land the proposer acts for in the chosen body and those ticked; null for
    /// an open proposal.
    /// </summary>
    private async Task<IReadOnlyList<string>?> Group(CancellationToken ct)
    {
        if (!Confidential) return null;
        var own = (await viewer.Mandates(ct)).FirstOrDefault(m => m.Body == Body)?.Land;
        return [.. new[] { own }.OfType<string>().Concat(Readers).Distinct()];
    }

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        var paragraphs = Paragraphs(Text);
        var result = await api.Send(HttpMethod.Post, "/api/resolutions", new { body = Body, title = Title, paragraphs, restrictedTo = await Group(ct) }, ct);
        if (result.Ok) return Redirect($"/beschluesse/{result.Value!["id"]!.GetValue<Guid>()}");
        Error = Refusals.Text(result.Problem!, language);
        await Load(ct);
        return Page();
    }

    /// <summary>Paragraphs are separated by an empty line.</summary>
    public static IReadOnlyList<string> Paragraphs(string? text) =>
        (text ?? "").Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(p => p.Replace('\n', ' ')).ToList();

    private async Task Load(CancellationToken ct)
    {
        var mine = new List<(BodyInfo, HeldMandate)>();
        foreach (var mandate in (await viewer.Mandates(ct)).OrderBy(m => m.Body, StringComparer.Ordinal))
            if (await viewer.Body(mandate.Body, ct) is { } body) mine.Add((body, mandate));
        MyBodies = mine;
        if (!string.IsNullOrWhiteSpace(Query))
        {
            var hits = await api.Get<List<SearchHit>>($"/api/resolutions/search?q={Uri.EscapeDataString(Query)}", ct);
            if (hits.Ok)
            {
                Resolutions = hits.Value!.Select(h => new ResolutionSummary(h.Id, h.Title, h.Body, h.Status, h.Version, h.TextVersion, h.LastChangedAt)).ToList();
                InCurrentText = hits.Value!.ToDictionary(h => h.Id, h => h.InCurrentText);
            }
            else
            {
                Error ??= Refusals.Text(hits.Problem!, language);
            }
            return;
        }
        var list = await api.Get<List<ResolutionSummary>>("/api/resolutions", ct);
        if (list.Ok) Resolutions = list.Value!;
        else Error ??= Refusals.Text(list.Problem!, language);
    }
}
