using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// Flowing text on A4 pages: headings, paragraphs wrapped at word boundaries, label and value lines, a page footer with
/// "Seite n von m". Just enough layout for a filed document; PDFsharp draws, measures and embeds the fonts.
/// </summary>
public sealed class PdfLayout
{
    private const double Margin = 56.7; // 2 cm
    private const double FooterSpace = 28;

    private readonly PdfDocument _document = new();
    private readonly XFont _text = new(PdfFonts.Family, 10.5);
    private readonly XFont _small = new(PdfFonts.Family, 8.5);
    private readonly XFont _bold = new(PdfFonts.Family, 10.5, XFontStyleEx.Bold);
    private readonly XFont _heading = new(PdfFonts.Family, 13, XFontStyleEx.Bold);
    private readonly XFont _title = new(PdfFonts.Family, 16, XFontStyleEx.Bold);
    private readonly string _footer;
    private XGraphics? _graphics;
    private PdfPage? _page;
    private double _y;

    public PdfLayout(string title, string subject, string footer)
    {
        _footer = footer;
        _document.Info.Title = title;
        _document.Info.Subject = subject;
        _document.Info.Author = "Bund-Länder-Koordination";
        _document.Info.Creator = "Bund-Länder-Koordination";
        _document.Language = "de-DE";
        // No PDF/A claim: PDFsharp 6.2's SetPdfA also switches on its tagged-PDF structure builder, which every drawn string
        // would then have to be placed in. The fonts are embedded all the same.
        NewPage();
    }

    private double Width => _page!.Width.Point - 2 * Margin;

    private void NewPage()
    {
        _graphics?.Dispose();
        _page = _document.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _graphics = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }

    private void Room(double height)
    {
        if (_y + height > _page!.Height.Point - Margin - FooterSpace) NewPage();
    }

    public void Title(string text) => Block(text, _title, 6);

    public void Heading(string text)
    {
        _y += 8;
        Room(40);
        Block(text, _heading, 4);
    }

    public void Paragraph(string text, bool bold = false) => Block(text, bold ? _bold : _text, 6);

    public void Small(string text) => Block(text, _small, 4);

    /// <summary>A numbered paragraph: the number in the margin column, the text wrapped beside it.</summary>
    public void Numbered(string number, string text)
    {
        const double indent = 28;
        var lines = text.Split('\n').SelectMany(line => Wrap(line, _text, Width - indent)).ToList();
        var height = _text.GetHeight() * 1.3;
        for (var i = 0; i < lines.Count; i++)
        {
            Room(height);
            if (i == 0) _graphics!.DrawString(number, _bold, XBrushes.Black, new XPoint(Margin, _y + _text.GetHeight()));
            _graphics!.DrawString(lines[i], _text, XBrushes.Black, new XPoint(Margin + indent, _y + _text.GetHeight()));
            _y += height;
        }
        _y += 6;
    }

    /// <summary>Label and value in two columns, the value wrapped in its column.</summary>
    public void Field(string label, string value, double labelWidth = 140)
    {
        var lines = Wrap(value, _text, Width - labelWidth).ToList();
        var height = _text.GetHeight() * 1.3;
        for (var i = 0; i < lines.Count; i++)
        {
            Room(height);
            if (i == 0) _graphics!.DrawString(label, _bold, XBrushes.Black, new XPoint(Margin, _y + _text.GetHeight()));
            _graphics!.DrawString(lines[i], _text, XBrushes.Black, new XPoint(Margin + labelWidth, _y + _text.GetHeight()));
            _y += height;
        }
        _y += 2;
    }

    private void Block(string text, XFont font, double after)
    {
        var height = font.GetHeight() * 1.3;
        foreach (var line in text.Split('\n').SelectMany(l => Wrap(l, font, Width)))
        {
            Room(height);
            _graphics!.DrawString(line, font, XBrushes.Black, new XPoint(Margin, _y + font.GetHeight()));
            _y += height;
        }
        _y += after;
    }

    /// <summary>Breaks a line at spaces so that each piece fits the width; a word longer than the width is broken by characters.</summary>
    private IEnumerable<string> Wrap(string text, XFont font, double width)
    {
        if (text.Length == 0)
        {
            yield return "";
            yield break;
        }
        var line = "";
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (_graphics!.MeasureString(candidate, font).Width <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0) yield return line;
            line = word;
            while (line.Length > 1 && _graphics.MeasureString(line, font).Width > width)
            {
                var cut = line.Length - 1;
                while (cut > 1 && _graphics.MeasureString(line[..cut], font).Width > width) cut--;
                yield return line[..cut];
                line = line[cut..];
            }
        }
        yield return line;
    }

    public byte[] ToBytes()
    {
        _graphics?.Dispose();
        _graphics = null;
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            var page = _document.Pages[i];
            graphics.DrawString($"{_footer} · Seite {i + 1} von {count}", _small, XBrushes.DimGray,
                new XPoint(Margin, page.Height.Point - Margin + 12));
        }
        using var stream = new MemoryStream();
        _document.Save(stream, false);
        return stream.ToArray();
    }
}
