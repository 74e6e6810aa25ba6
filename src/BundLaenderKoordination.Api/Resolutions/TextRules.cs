using System.Text;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>Limits every text must meet on every path that writes one. Lengths count Unicode scalar values after NFC.</summary>
public static class TextRules
{
    public const int MaxTitleLength = 500;
    public const int MaxParagraphLength = 20_000;
    public const int MaxTextLength = 200_000;
    public const int MaxCommentLength = 20_000;

    public static string? CheckTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return "The title must not be empty.";
        var length = Length(title);
        if (length > MaxTitleLength) return $"The title has {length} characters; at most {MaxTitleLength} are allowed.";
        if (title.Contains('\n') || title.Contains('\r')) return "The title must be a single line.";
        return CheckCharacters(title, "The title");
    }

    /// <summary>Checks the paragraph texts and the total length (title included).</summary>
    public static string? CheckParagraphs(string title, IReadOnlyList<string?>? texts)
    {
        if (texts is null || texts.Count == 0) return "A resolution needs at least one paragraph.";
        var total = Length(title);
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            if (string.IsNullOrWhiteSpace(text)) return $"Paragraph {i + 1} is empty.";
            var length = Length(text);
            if (length > MaxParagraphLength)
                return $"Paragraph {i + 1} has {length} characters; at most {MaxParagraphLength} are allowed per paragraph.";
            if (CheckCharacters(text, $"Paragraph {i + 1}") is { } bad) return bad;
            total += length;
        }
        return total > MaxTextLength
            ? $"The text has {total} characters; at most {MaxTextLength} are allowed in all."
            : null;
    }

    /// <summary>The total length of a text that results from a merge, an amendment or a resolved bracket.</summary>
    public static string? CheckTotal(string title, IEnumerable<Paragraph> paragraphs)
    {
        var total = Length(title) + paragraphs.Sum(p => Length(p.Text));
        return total > MaxTextLength ? $"The resulting text would have {total} characters; at most {MaxTextLength} are allowed in all." : null;
    }

    /// <summary>A quoted passage or a wording for one: may be empty (striking a passage), never longer than a paragraph.</summary>
    public static string? CheckSpan(string text)
    {
        var length = Length(text);
        if (length > MaxParagraphLength) return $"The passage has {length} characters; at most {MaxParagraphLength} are allowed.";
        return CheckCharacters(text, "The passage");
    }

    public static string? CheckComment(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "The comment must not be empty.";
        var length = Length(text);
        if (length > MaxCommentLength) return $"The comment has {length} characters; at most {MaxCommentLength} are allowed.";
        return CheckCharacters(text, "The comment");
    }

    public static int Length(string text) => TextCanonicalForm.Normalize(text).EnumerateRunes().Count();

    // Control characters other than line feed and tab have no place in a resolution and can hide text from readers.
    private static string? CheckCharacters(string text, string what)
    {
        foreach (var rune in TextCanonicalForm.Normalize(text).EnumerateRunes())
        {
            if (Rune.IsControl(rune) && rune.Value != '\n' && rune.Value != '\t')
                return $"{what} contains the control character U+{rune.Value:X4}.";
        }
        return null;
    }
}
