using System.Text;
using System.Text.RegularExpressions;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// Limits every text must meet on every path that writes one (title, paragraph, quoted passage, alternative wording,
/// comment, reply, rationale, reason). Lengths count Unicode scalar values after NFC. Texts are plain text: the only
/// layout is line feeds and tabs, and nothing a browser could read as markup is stored (docs/co-editing.md).
/// </summary>
public static partial class TextRules
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

    /// <summary>The characters of a paragraph put together from pieces (a passage replaced inside it), which each passed alone.</summary>
    public static string? CheckParagraph(string text, string what) => CheckCharacters(text, what);

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

    /// <summary>
    /// A paragraph id as a client names it: the service gives out "p" and a number only. Checked before anything
    /// echoes the id back in a refusal, so no reply ever repeats arbitrary input as a paragraph name.
    /// </summary>
    public static string? CheckParagraphId(string? id, string field = "paragraphId") =>
        id is null || ParagraphIdShape().IsMatch(id) ? null : $"{field} must be a paragraph id: \"p\" followed by a number, such as \"p1\".";

    [GeneratedRegex(@"^p[0-9]{1,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex ParagraphIdShape();

    /// <summary>The refusal for a problem found by these checks: unsafe text gets its own type, the rest is invalid input.</summary>
    /// <summary>A short text of the procedure (a reason, remark, note, place): no markup, within <paramref name="max"/> characters.</summary>
    public static ProblemDetails? CheckShort(string? text, string what, int max)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > max) return Problems.Invalid($"Give {what} (1 to {max} characters).");
        return CheckCharacters(text, what) is { } problem ? Refusal(problem) : null;
    }

    public static ProblemDetails Refusal(string problem) =>
        problem.Contains(PlainTextNote, StringComparison.Ordinal)
            ? Problems.Make(Problems.UnsafeText, 400, "The text contains something a browser could read as markup.", problem)
            : Problems.Invalid(problem);

    public static int Length(string text) => TextCanonicalForm.Normalize(text).EnumerateRunes().Count();

    private const string PlainTextNote = "Texts are plain text without markup (docs/co-editing.md, \"Text limits and safety\").";

    // Control characters other than line feed and tab have no place in a resolution and can hide text from readers;
    // so can the bidirectional embeddings, overrides and isolates, which make a browser show text in another order.
    // A tag or character reference would mean one thing to a browser and another to the hash and to plain readers.
    private static string? CheckCharacters(string text, string what)
    {
        var normalized = TextCanonicalForm.Normalize(text);
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.IsControl(rune) && rune.Value != '\n' && rune.Value != '\t')
                return $"{what} contains the control character U+{rune.Value:X4}.";
            if (rune.Value is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069)
                return $"{what} contains the bidirectional formatting character U+{rune.Value:X4}, which changes the order in which a browser shows text. {PlainTextNote}";
        }
        if (Markup().Match(normalized) is { Success: true } markup)
            return $"{what} contains \"{markup.Value}\", which a browser could read as {(markup.Value[0] == '<' ? "an HTML tag" : "an HTML character reference")}. " +
                   $"Write \"<\" followed by a space or a digit, or \"&\" without a following name and \";\". {PlainTextNote}";
        return null;
    }

    // "<" opening a tag, end tag, comment or processing instruction; "&" opening a named or numeric character reference.
    [GeneratedRegex(@"<[A-Za-z/!?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);", RegexOptions.CultureInvariant)]
    private static partial Regex Markup();
}
