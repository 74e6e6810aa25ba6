using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// The downloads the pages offer: each fetched from the API with the person's own token, so that a page can offer no
/// more than the API allows; a refusal is shown in German. CSV files are in the German spreadsheet dialect.
/// </summary>
public sealed class ExportModel(ServiceApi api, UiLanguage l) : PageModel
{
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGet(string what, string id, string format, int? abstimmung, CancellationToken ct)
    {
        if (ApiPath(what, id, format, abstimmung) is not { } path) return NotFound();
        var (content, type, name, problem) = await api.GetFile(path, ct);
        if (problem is null) return File(content, type, name);
        Error = Refusals.Text(problem, l);
        Response.StatusCode = problem.Status;
        return Page();
    }

    /// <summary>The API route behind a download link of the pages, or null for a link that names none.</summary>
    public static string? ApiPath(string what, string id, string format, int? ballot)
    {
        if (what == "gremien")
            return format == "kalender.ics" ? $"/api/bodies/{Uri.EscapeDataString(id)}/calendar/ics" : null;
        if (!Guid.TryParse(id, out var guid)) return null;
        return (what, format) switch
        {
            ("beschluesse", "akn.xml") => $"/api/resolutions/{guid}/akn",
            ("beschluesse", "beschluss.pdf") => $"/api/resolutions/{guid}/pdf",
            ("beschluesse", "stimmen.csv") => $"/api/resolutions/{guid}/ballots/{ballot ?? 1}/votes/csv?dialect=de",
            ("beschluesse", "pruefpfad.csv") => $"/api/resolutions/{guid}/audit-trail/csv?dialect=de",
            ("beschluesse", "verlauf.csv") => $"/api/resolutions/{guid}/timeline/csv?dialect=de",
            ("sitzungen", "protokoll.pdf") => $"/api/sessions/{guid}/minutes/pdf",
            _ => null,
        };
    }
}
