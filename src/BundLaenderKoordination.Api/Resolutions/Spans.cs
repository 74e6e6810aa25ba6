namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>Quoted spans inside a paragraph. Positions count UTF-16 code units of the stored (NFC) text, as JavaScript strings do.</summary>
public static class Spans
{
    /// <summary>Where the <paramref name="occurrence"/>-th (from 1) occurrence of <paramref name="quote"/> starts, if there is one.</summary>
    public static int? Find(string text, string quote, int occurrence)
    {
        if (quote.Length == 0 || occurrence < 1) return null;
        var at = -1;
        for (var n = 0; n < occurrence; n++)
        {
            at = text.IndexOf(quote, at + 1, StringComparison.Ordinal);
            if (at < 0) return null;
        }
        return at;
    }
}
