using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

public sealed class IndexModel(ServiceApi api, UiLanguage language) : PageModel
{
    public IReadOnlyList<ResolutionSummary> Resolutions { get; private set; } = [];
    public Caller Me => Caller.From(User);
    public bool MayPropose => Me.Has(Roles.Representative) || Me.Has(Roles.Chair);
    public string? Error { get; private set; }

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Body { get; set; } = "D16";
    [BindProperty] public string? Text { get; set; }

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        var paragraphs = Paragraphs(Text);
        var result = await api.Send(HttpMethod.Post, "/api/resolutions", new { body = Body, title = Title, paragraphs }, ct);
        if (result.Ok) return Redirect($"/beschluesse/{result.Value!["id"]!.GetValue<Guid>()}");
        Error = result.Problem!.Detail is { Length: > 0 } d ? d : result.Problem.Title;
        await Load(ct);
        return Page();
    }

    /// <summary>Paragraphs are separated by an empty line.</summary>
    public static IReadOnlyList<string> Paragraphs(string? text) =>
        (text ?? "").Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(p => p.Replace('\n', ' ')).ToList();

    private async Task Load(CancellationToken ct)
    {
        var list = await api.Get<List<ResolutionSummary>>("/api/resolutions", ct);
        if (list.Ok) Resolutions = list.Value!;
        else Error ??= list.Problem!.Detail;
        _ = language;
    }
}
