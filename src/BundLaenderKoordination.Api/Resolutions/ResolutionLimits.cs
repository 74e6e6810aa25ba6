using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// Bounds on how far one resolution can grow, so that one request, one page and one fold of its stream stay small
/// whatever a single person sends. Far above what negotiation needs: a Beschluss has tens of paragraphs, a handful of
/// amendments per Land, dozens of comments. Reaching one is 400 <c>/problems/limit-reached</c> with <c>limit</c> and
/// <c>what</c> (docs/api.md, "Limits").
/// </summary>
public static partial class ResolutionLimits
{
    /// <summary>Paragraphs of one text, as proposed, edited, merged, amended or resolved.</summary>
    public const int MaxParagraphs = 300;

    /// <summary>Changes in one amendment (as proposed, revised or accepted with changes).</summary>
    public const int MaxAmendmentChanges = 200;

    /// <summary>Amendments one Land (or the chair without a Land) proposes to one resolution.</summary>
    public const int MaxAmendmentsPerLand = 50;

    /// <summary>Comment threads one Land opens on one resolution.</summary>
    public const int MaxCommentsPerLand = 200;

    /// <summary>Replies in one comment thread.</summary>
    public const int MaxRepliesPerComment = 200;

    /// <summary>Bracketed passages of one resolution, open or resolved.</summary>
    public const int MaxBrackets = 200;

    /// <summary>Alternative wordings for one bracketed passage.</summary>
    public const int MaxAlternatives = 20;

    /// <summary>Protokollerklärungen one Land makes or joins on one resolution.</summary>
    public const int MaxDeclarationsPerLand = 20;

    /// <summary>Marks a refusal of these limits among the text checks' messages (<see cref="TextRules.Refusal"/>).</summary>
    internal const string Note = "(limits: docs/api.md, \"Limits\")";

    public static string Message(string what, int limit, string detail) => $"{detail} At most {limit} {what} are allowed {Note}.";

    public static ProblemDetails Reached(string what, int limit, string detail) =>
        Problems.Make(Problems.LimitReached, 400, "A limit of the service is reached.", Message(what, limit, detail),
            ("what", what), ("limit", limit));

    /// <summary>The refusal for a <see cref="Message"/> that came back through the text checks' messages.</summary>
    internal static ProblemDetails FromMessage(string message)
    {
        var match = MessageShape().Match(message);
        var problem = Problems.Make(Problems.LimitReached, 400, "A limit of the service is reached.", message);
        if (match.Success)
        {
            problem.Extensions["what"] = match.Groups["what"].Value;
            problem.Extensions["limit"] = int.Parse(match.Groups["limit"].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return problem;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"At most (?<limit>[0-9]+) (?<what>.+?) are allowed \(limits", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex MessageShape();

    /// <summary>The paragraph count of a text, checked before any paragraph is looked at.</summary>
    public static string? CheckParagraphCount(int count) =>
        count > MaxParagraphs ? Message("paragraphs", MaxParagraphs, $"The text has {count} paragraphs.") : null;
}
