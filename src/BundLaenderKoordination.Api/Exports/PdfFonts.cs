using PdfSharp.Fonts;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// The fonts the PDF exports embed: DejaVu Sans (Debian's fonts-dejavu-core; Bitstream Vera licence, free to embed and
/// redistribute) or else Liberation Sans (fonts-liberation; SIL Open Font License), found at runtime in the system's font
/// directories or in <c>BLK_FONT_DIR</c>. Both cover German (umlauts, ß, „“, –, §, €). PDFsharp embeds the subset used.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "BLK Sans";

    private static readonly (string Regular, string Bold)[] Candidates =
    [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ];

    private static readonly string[] Directories =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/truetype/liberation",
        "/usr/share/fonts/truetype/liberation2",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/liberation-sans",
    ];

    private static readonly Lock Gate = new();
    private static PdfFonts? _installed;

    private readonly string _regular;
    private readonly string _bold;

    private PdfFonts(string regular, string bold) => (_regular, _bold) = (regular, bold);

    /// <summary>The font files in use, or null when none is installed (then the PDF exports answer 503).</summary>
    public static PdfFonts? Installed()
    {
        lock (Gate)
        {
            if (_installed is not null) return _installed;
            var found = Find();
            if (found is null) return null;
            _installed = found;
            GlobalFontSettings.FontResolver = found;
            return found;
        }
    }

    public string Describe() => Path.GetFileName(_regular);

    private static PdfFonts? Find()
    {
        var directories = (Environment.GetEnvironmentVariable("BLK_FONT_DIR") is { Length: > 0 } own ? [own] : Array.Empty<string>()).Concat(Directories).ToList();
        foreach (var (regular, bold) in Candidates)
            foreach (var directory in directories)
            {
                var r = Path.Combine(directory, regular);
                var b = Path.Combine(directory, bold);
                if (File.Exists(r) && File.Exists(b)) return new PdfFonts(r, b);
            }
        return null;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "bold" : "regular");

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(faceName == "bold" ? _bold : _regular);
}
