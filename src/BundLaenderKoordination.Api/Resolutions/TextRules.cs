using System.Globalization;
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
        if (CheckInvisible(title, "The title") is { } invisible) return invisible;
        var length = Length(title);
        if (length > MaxTitleLength) return $"The title has {length} characters; at most {MaxTitleLength} are allowed.";
        if (title.Contains('\n') || title.Contains('\r')) return "The title must be a single line.";
        return CheckCharacters(title, "The title") ?? CheckVisible(title, "The title");
    }

    /// <summary>Checks the paragraph texts and the total length (title included).</summary>
    public static string? CheckParagraphs(string title, IReadOnlyList<string?>? texts)
    {
        if (texts is null || texts.Count == 0) return "A resolution needs at least one paragraph.";
        if (ResolutionLimits.CheckParagraphCount(texts.Count) is { } tooMany) return tooMany;
        var total = Length(title);
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            if (string.IsNullOrWhiteSpace(text)) return $"Paragraph {i + 1} is empty.";
            if (CheckInvisible(text, $"Paragraph {i + 1}") is { } invisible) return invisible;
            var length = Length(text);
            if (length > MaxParagraphLength)
                return $"Paragraph {i + 1} has {length} characters; at most {MaxParagraphLength} are allowed per paragraph.";
            if ((CheckCharacters(text, $"Paragraph {i + 1}") ?? CheckVisible(text, $"Paragraph {i + 1}")) is { } bad) return bad;
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
        if (CheckInvisible(text, "The passage") is { } invisible) return invisible;
        var length = Length(text);
        if (length > MaxParagraphLength) return $"The passage has {length} characters; at most {MaxParagraphLength} are allowed.";
        return CheckCharacters(text, "The passage");
    }

    public static string? CheckComment(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "The comment must not be empty.";
        if (CheckInvisible(text, "The comment") is { } invisible) return invisible;
        var length = Length(text);
        if (length > MaxCommentLength) return $"The comment has {length} characters; at most {MaxCommentLength} are allowed.";
        return CheckCharacters(text, "The comment") ?? CheckVisible(text, "The comment");
    }

    /// <summary>
    /// A paragraph id as a client names it: the service gives out "p" and a number only. Checked before anything
    /// echoes the id back in a refusal, so no reply ever repeats arbitrary input as a paragraph name.
    /// </summary>
    public static string? CheckParagraphId(string? id, string field = "paragraphId") =>
        id is null || ParagraphIdShape().IsMatch(id) ? null : $"{field} must be a paragraph id: \"p\" followed by a number, such as \"p1\".";

    [GeneratedRegex(@"^p[0-9]{1,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex ParagraphIdShape();

    /// <summary>A short text of the procedure (a reason, remark, note, place): no markup, within <paramref name="max"/> characters.</summary>
    public static ProblemDetails? CheckShort(string? text, string what, int max)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > max) return Problems.Invalid($"Give {what} (1 to {max} characters).");
        return (CheckInvisible(text, what) ?? CheckCharacters(text, what) ?? CheckVisible(text, what)) is { } problem ? Refusal(problem) : null;
    }

    /// <summary>
    /// Only the characters a search may contain (the same as any text's): a query is not stored, but it is normalised
    /// like a text, which characters such as U+FFFE or a lone surrogate would break.
    /// </summary>
    public static ProblemDetails? CheckQuery(string query, string what) =>
        CheckInvisible(query, what) is { } problem ? Refusal(problem) : null;

    /// <summary>The refusal for a problem found by these checks: unsafe text gets its own type, the rest is invalid input.</summary>
    public static ProblemDetails Refusal(string problem) =>
        problem.Contains(ResolutionLimits.Note, StringComparison.Ordinal)
            ? ResolutionLimits.FromMessage(problem)
            : problem.Contains(PlainTextNote, StringComparison.Ordinal)
            ? Problems.Make(Problems.UnsafeText, 400, "The text contains something a browser could read as markup.", problem)
            : problem.Contains(VisibleTextNote, StringComparison.Ordinal)
                ? Problems.Make(Problems.UnsafeText, 400, "The text contains characters a reader cannot see.", problem)
                : Problems.Invalid(problem);

    /// <summary>Unicode scalar values after NFC; a text normalisation cannot read (which the checks refuse) counts its UTF-16 units.</summary>
    public static int Length(string text) =>
        CheckInvisible(text, "") is null ? TextCanonicalForm.Normalize(text).EnumerateRunes().Count() : text.Length;

    private const string PlainTextNote = "Texts are plain text without markup (docs/co-editing.md, \"Text limits and safety\").";

    private const string VisibleTextNote = "Texts hold only characters a reader sees (docs/text-hash.md, \"Characters\").";

    /// <summary>
    /// Characters that show nothing, or different things in different places, and so could make the text the Länder
    /// read differ from the text they vote on and whose hash they sign: every format character (Unicode category Cf:
    /// zero-width spaces and joiners, the byte order mark, the word joiner, the soft hyphen, direction marks, tag
    /// characters, ...), the line and paragraph separators U+2028 and U+2029, private-use characters, noncharacters
    /// (U+FDD0 to U+FDEF and the last two code points of every plane, U+FFFE and U+FFFF among them) and surrogates that
    /// do not form a pair. Checked on the text as sent, before anything normalises it (normalisation cannot read some of
    /// them), in one pass.
    /// </summary>
    public static string? CheckInvisible(string text, string what)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int codePoint = c;
            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return $"{what} contains a lone surrogate (U+{(int)c:X4}), half of a character that is not there. {VisibleTextNote}";
                codePoint = char.ConvertToUtf32(c, text[++i]);
            }
            if (IsBidiControl(codePoint))
                return $"{what} contains the bidirectional formatting character U+{codePoint:X4}, which changes the order in which a browser shows text. {PlainTextNote}";
            if (InvisibleKind(codePoint) is { } kind)
                return $"{what} contains {kind} U+{codePoint:X4}, which a reader cannot see or which shows differently in different places. " +
                       $"Remove it. {VisibleTextNote}";
        }
        return null;
    }

    private static bool IsBidiControl(int codePoint) => codePoint is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069;

    private static string? InvisibleKind(int codePoint)
    {
        if (codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE) return "the noncharacter";
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Format => "the invisible format character",
            UnicodeCategory.LineSeparator => "the line separator",
            UnicodeCategory.ParagraphSeparator => "the paragraph separator",
            UnicodeCategory.PrivateUse => "the private-use character",
            _ => null,
        };
    }

    /// <summary>
    /// A text must show something: at least one letter, digit, punctuation mark or symbol. Whitespace alone, combining
    /// marks alone or the Hangul fillers (letters by category that show as blank space) are an empty text.
    /// </summary>
    private static string? CheckVisible(string text, string what)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0) continue;
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                    or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                    or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                    or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                    or UnicodeCategory.OtherPunctuation
                    or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol:
                    return null;
            }
        }
        return $"{what} shows nothing a reader can see: write at least one letter, digit or sign. {VisibleTextNote}";
    }

    // Control characters other than line feed and tab have no place in a resolution and can hide text from readers;
    // so can the bidirectional embeddings, overrides and isolates, which make a browser show text in another order.
    // A tag or character reference would mean one thing to a browser and another to the hash and to plain readers.
    private static string? CheckCharacters(string text, string what)
    {
        if (CheckInvisible(text, what) is { } invisible) return invisible;
        var normalized = TextCanonicalForm.Normalize(text);
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.IsControl(rune) && rune.Value != '\n' && rune.Value != '\t')
                return $"{what} contains the control character U+{rune.Value:X4}.";
            if (IsBidiControl(rune.Value) || InvisibleKind(rune.Value) is not null)
                return CheckInvisible(rune.ToString(), what);
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
