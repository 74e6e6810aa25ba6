using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BundLaenderKoordination.Api.Exports;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Exports;

/// <summary>The PDF of a resolution reads back (poppler's pdftotext) as the resolution, German characters included.</summary>
public class PdfDocumentsTests
{
    [Fact]
    public async Task A_resolution_PDF_reads_back_with_its_title_paragraphs_votes_and_text_hash()
    {
        PdfFonts.Installed().ShouldNotBeNull("a font to embed (fonts-dejavu-core or fonts-liberation) is installed");
        var record = AkomaNtosoTests.Adopted();

        var pdf = PdfDocuments.Resolution(record, "D16 – Konferenz der Digitalministerinnen und Digitalminister der Länder");

        var path = Path.Combine(Path.GetTempPath(), $"blk-unit-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, StandardOutputEncoding = Encoding.UTF8 };
            foreach (var a in new[] { "-enc", "UTF-8", path, "-" }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var text = Regex.Replace(await process.StandardOutput.ReadToEndAsync(), @"\s+", " ");
            await process.WaitForExitAsync();
            text.ShouldContain(Regex.Replace(AkomaNtosoTests.Title, @"\s+", " "));
            foreach (var p in record.View.Paragraphs) text.ShouldContain(Regex.Replace(p.Text, @"\s+", " "));
            text.ShouldContain("Freistaat Bayern Ja");
            text.ShouldContain("Saarland Enthaltung");
            text.ShouldContain("h2");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
