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

    /// <summary>
    /// Where a span of <paramref name="older"/> stands in <paramref name="newer"/>, or null when the edit touched it: a
    /// character of it deleted or replaced, or text inserted inside it. Decided on the word-level diff of the two texts.
    /// </summary>
    public static int? Follow(string older, string newer, int start, int length)
    {
        if (older == newer) return start;
        if (start < 0 || length <= 0 || start + length > older.Length) return null;
        return Follow(TextDiff.Words(older, newer), start, length);
    }

    /// <summary>The same, on the word-level runs of the two texts already computed (many spans of one paragraph share them).</summary>
    public static int? Follow(IReadOnlyList<DiffRun> runs, int start, int length)
    {
        if (start < 0 || length <= 0) return null;
        var oldPos = 0;
        var newPos = 0;
        int? newStart = null;
        foreach (var run in runs)
        {
            var runLength = run.Text.Length;
            switch (run.Kind)
            {
                case RunKind.Unchanged:
                    if (newStart is null && start >= oldPos && start < oldPos + runLength)
                    {
                        if (start + length > oldPos + runLength) return null;
                        newStart = newPos + (start - oldPos);
                    }
                    oldPos += runLength;
                    newPos += runLength;
                    break;
                case RunKind.Deleted:
                    if (oldPos < start + length && start < oldPos + runLength) return null;
                    oldPos += runLength;
                    break;
                case RunKind.Inserted:
                    if (oldPos > start && oldPos < start + length) return null;
                    newPos += runLength;
                    break;
            }
        }
        return newStart;
    }
}
