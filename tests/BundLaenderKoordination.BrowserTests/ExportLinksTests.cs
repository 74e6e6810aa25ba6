using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The download links where a person looks for the files: the resolution page (PDF, Akoma Ntoso, CSV), the session page
/// (Beschlussprotokoll), the body page (calendar) and the audit page (audit bundle). Each is there for a person allowed
/// to read it and downloads a file of its format, on a desktop and on a phone-sized window.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExportLinksTests(BrowserFixture app)
{
    private static async Task<(string Name, string Text)> Download(IPage page, ILocator link)
    {
        await Expect(link).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}");
        try
        {
            await download.SaveAsAsync(file);
            return (download.SuggestedFilename, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Every_export_link_downloads_its_file_for_a_reader(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var title = "Export im Fenster " + width + " " + Guid.NewGuid().ToString("N")[..6];
        JsonObject written = await app.Api(HttpMethod.Post, "/api/resolutions", by,
            new { body = "D16", title, paragraphs = new[] { "Die Länder tauschen ihre Beschlüsse als Dateien aus." } });
        var id = written["id"]!.GetValue<Guid>();
        JsonObject scheduled = await app.Api(HttpMethod.Post, "/api/bodies/D16/sessions", await app.Token("Vorsitz DE-BY", "DE-BY", "chair"),
            new { kind = "regular", format = "inPerson", place = "Erfurt", startsAt = "2027-03-03T09:30:00+01:00" });
        var session = scheduled["id"]!.GetValue<Guid>();

        var reader = await app.SignedIn("Anna Berger", "DE-BY", "representative", width: width);
        await reader.GotoAsync($"/beschluesse/{id}");
        var pdf = await Download(reader, reader.GetByRole(AriaRole.Link, new() { Name = "Beschluss (PDF)" }));
        pdf.Name.ShouldEndWith(".pdf");
        pdf.Text.ShouldStartWith("%PDF-");
        var akn = await Download(reader, reader.GetByRole(AriaRole.Link, new() { Name = "Akoma Ntoso (XML)" }));
        akn.Text.ShouldContain("akomaNtoso");
        akn.Text.ShouldContain(title);
        foreach (var name in new[] { "Prüfpfad (CSV)", "Verlauf (CSV)" })
        {
            var csv = await Download(reader, reader.GetByRole(AriaRole.Link, new() { Name = name }));
            csv.Name.ShouldEndWith(".csv");
            csv.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeGreaterThanOrEqualTo(2, $"{name}: a header and the proposal");
        }

        await reader.GotoAsync($"/sitzungen/{session}");
        (await Download(reader, reader.GetByTestId("minutes-pdf"))).Text.ShouldStartWith("%PDF-");

        await reader.GotoAsync("/gremien/D16");
        var calendar = await Download(reader, reader.GetByTestId("calendar"));
        calendar.Text.ShouldStartWith("BEGIN:VCALENDAR");
        await reader.Context.CloseAsync();

        var auditor = await app.SignedIn("Karin Vogt", null, "auditor", width: width);
        await auditor.GotoAsync($"/pruefung?beschluss={id}");
        var bundle = await Download(auditor, auditor.GetByRole(AriaRole.Link, new() { Name = "Prüfpaket herunterladen (JSON)" }));
        bundle.Name.ShouldEndWith(".json");
        bundle.Text.ShouldStartWith("{\"format\":\"blk-audit-bundle-v1\"");
        bundle.Text.ShouldContain(id.ToString());
        await auditor.Context.CloseAsync();
    }
}
