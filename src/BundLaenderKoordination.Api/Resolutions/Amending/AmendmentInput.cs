using BundLaenderKoordination.Api.Infrastructure;

namespace BundLaenderKoordination.Api.Resolutions.Amending;

/// <summary>
/// One change as sent: <c>kind</c> is "replace", "insert", "delete" or "replaceSpan"; <c>paragraphId</c> names the
/// paragraph changed, <c>after</c> the one an insert follows (absent: at the start); <c>quote</c> and optional
/// <c>occurrence</c> (from 1) select the span of a replaceSpan; <c>text</c> is the new wording.
/// </summary>
public sealed record AmendmentChangeRequest(string? Kind, string? ParagraphId, string? After, string? Quote, int? Occurrence, string? Text);

public sealed record AmendmentWritten(Guid ResolutionId, Guid AmendmentId, int Number, long Version);

/// <summary>Shape checks shared by proposing, revising and accepting with changes; the base text is checked by the decision.</summary>
public static class AmendmentInput
{
    public const int MaxChanges = ResolutionLimits.MaxAmendmentChanges;

    public static string? Check(IReadOnlyList<AmendmentChangeRequest?>? changes)
    {
        if (changes is null || changes.Count == 0) return "Send at least one change.";
        if (changes.Count > MaxChanges) return ResolutionLimits.Message("changes in one amendment", MaxChanges, $"The amendment has {changes.Count} changes.");
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var n = i + 1;
            if (change is null) return $"Change {n} is empty.";
            if ((TextRules.CheckParagraphId(change.ParagraphId) ?? TextRules.CheckParagraphId(change.After, "after")) is { } idProblem)
                return $"Change {n}: {idProblem}";
            switch (KindOf(change.Kind))
            {
                case null:
                    return $"Change {n}: kind must be \"replace\", \"insert\", \"delete\" or \"replaceSpan\".";
                case AmendmentChangeKind.Delete:
                    if (change.ParagraphId is null) return $"Change {n}: name the paragraph to delete as paragraphId.";
                    break;
                case AmendmentChangeKind.ReplaceSpan:
                    if (string.IsNullOrEmpty(change.Quote)) return $"Change {n}: quote the passage to replace.";
                    if (change.Occurrence is < 1) return $"Change {n}: occurrence counts from 1.";
                    if (change.Text is null) return $"Change {n}: send the new wording as text (empty to strike the passage).";
                    if (TextRules.CheckSpan(change.Text) is { } spanProblem) return $"Change {n}: {spanProblem}";
                    if (TextRules.CheckSpan(change.Quote) is { } quoteProblem) return $"Change {n}: {quoteProblem}";
                    break;
                default:
                    if (TextRules.CheckParagraphs("", [change.Text]) is { } problem) return $"Change {n}: {problem}";
                    break;
            }
        }
        return null;
    }

    public static IReadOnlyList<AmendmentChangeInput> Parse(IReadOnlyList<AmendmentChangeRequest?> changes) =>
        changes.Select(c => new AmendmentChangeInput(KindOf(c!.Kind)!.Value, c.ParagraphId, c.After, c.Quote, c.Occurrence ?? 1, c.Text)).ToList();

    public static string? CheckRationale(string? rationale) =>
        string.IsNullOrWhiteSpace(rationale) ? "Give the reason for the amendment as rationale." : TextRules.CheckComment(rationale)?.Replace("The comment", "The rationale");

    private static AmendmentChangeKind? KindOf(string? kind) => kind switch
    {
        "replace" => AmendmentChangeKind.Replace,
        "insert" => AmendmentChangeKind.Insert,
        "delete" => AmendmentChangeKind.Delete,
        "replaceSpan" => AmendmentChangeKind.ReplaceSpan,
        _ => null,
    };

    public static Microsoft.AspNetCore.Mvc.ProblemDetails? Problem(string? problem) => problem is null ? null : TextRules.Refusal(problem);
}
