namespace BundLaenderKoordination.Api.Resolutions;

public enum TextChangeKind
{
    Replace,
    Delete,
    Insert,
}

/// <summary>
/// One paragraph-level change against a base text. Replace and Delete name the paragraph and carry its text at the
/// base; Insert names the paragraph it follows (<c>null</c>: at the start).
/// </summary>
public sealed record TextChange(TextChangeKind Kind, string? ParagraphId, string? BaseText, string? Text)
{
    public static TextChange Replace(string id, string baseText, string text) => new(TextChangeKind.Replace, id, baseText, text);
    public static TextChange Delete(string id, string baseText) => new(TextChangeKind.Delete, id, baseText, null);
    public static TextChange Insert(string? after, string text) => new(TextChangeKind.Insert, after, null, text);
}

/// <summary>A paragraph that changed under a change made against an older base: what it was, what it is, what was wanted.</summary>
public sealed record ParagraphConflict(string ParagraphId, string? BaseText, string? CurrentText, string? ProposedText);

public sealed record MergeResult(IReadOnlyList<Paragraph> Paragraphs, IReadOnlyList<ParagraphConflict> Conflicts)
{
    public bool Clean => Conflicts.Count == 0;
}

/// <summary>
/// Three-way merge at paragraph granularity. A change made against an older text version applies to the current text
/// when every paragraph it touches still reads as it did at the base; paragraphs others changed meanwhile are merged
/// in untouched. The unit of conflict is the paragraph, because that is the unit representatives negotiate.
/// </summary>
public static class TextMerge
{
    /// <summary>
    /// The changes that turn <paramref name="basis"/> into the text a client sent. <c>UnknownId</c> names a sent id the
    /// base does not have; <c>Reordered</c> says kept paragraphs came in a new order, which only the current text allows.
    /// </summary>
    public static (IReadOnlyList<TextChange> Changes, string? UnknownId, bool Reordered) ChangesFrom(IReadOnlyList<Paragraph> basis, IReadOnlyList<ParagraphEdit> sent)
    {
        var byId = basis.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var changes = new List<TextChange>();
        var keptOrder = new List<string>();
        string? anchor = null;
        foreach (var edit in sent)
        {
            if (edit.Id is null)
            {
                changes.Add(TextChange.Insert(anchor, TextCanonicalForm.Normalize(edit.Text)));
                continue;
            }
            if (!byId.TryGetValue(edit.Id, out var original))
                return ([], edit.Id, false);
            var text = TextCanonicalForm.Normalize(edit.Text);
            if (text != original.Text) changes.Add(TextChange.Replace(edit.Id, original.Text, text));
            keptOrder.Add(edit.Id);
            anchor = edit.Id;
        }
        var sentIds = keptOrder.ToHashSet(StringComparer.Ordinal);
        changes.AddRange(basis.Where(p => !sentIds.Contains(p.Id)).Select(p => TextChange.Delete(p.Id, p.Text)));
        var reordered = !basis.Select(p => p.Id).Where(sentIds.Contains).SequenceEqual(keptOrder);
        return (changes, null, reordered);
    }

    /// <summary>The paragraphs the changes touch that no longer read as at the base.</summary>
    public static IReadOnlyList<ParagraphConflict> Conflicts(IReadOnlyList<Paragraph> current, IReadOnlyList<TextChange> changes)
    {
        var byId = current.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var conflicts = new List<ParagraphConflict>();
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case TextChangeKind.Replace or TextChangeKind.Delete:
                    var now = byId.GetValueOrDefault(change.ParagraphId!)?.Text;
                    if (now != change.BaseText)
                        conflicts.Add(new ParagraphConflict(change.ParagraphId!, change.BaseText, now, change.Text));
                    break;
                case TextChangeKind.Insert when change.ParagraphId is not null && !byId.ContainsKey(change.ParagraphId):
                    conflicts.Add(new ParagraphConflict(change.ParagraphId, null, null, change.Text));
                    break;
            }
        }
        return conflicts;
    }

    /// <summary>
    /// Applies the changes to the current text when they merge cleanly; new paragraphs get ids from
    /// <paramref name="nextNumber"/> on. With conflicts the current text is returned unchanged.
    /// </summary>
    public static MergeResult Apply(IReadOnlyList<Paragraph> current, IReadOnlyList<TextChange> changes, int nextNumber)
    {
        var conflicts = Conflicts(current, changes);
        return conflicts.Count > 0 ? new MergeResult(current, conflicts) : new MergeResult(Overlay(current, changes, nextNumber), []);
    }

    /// <summary>
    /// The current text as the changes would make it, conflicts or not: a touched paragraph takes the proposed wording,
    /// an insert whose anchor is gone goes to the end. What a reader compares a conflicting amendment with.
    /// </summary>
    public static IReadOnlyList<Paragraph> Overlay(IReadOnlyList<Paragraph> current, IReadOnlyList<TextChange> changes, int nextNumber)
    {
        var replaced = changes.Where(c => c.Kind == TextChangeKind.Replace).ToDictionary(c => c.ParagraphId!, c => c.Text!, StringComparer.Ordinal);
        var deleted = changes.Where(c => c.Kind == TextChangeKind.Delete).Select(c => c.ParagraphId!).ToHashSet(StringComparer.Ordinal);
        var inserts = changes.Where(c => c.Kind == TextChangeKind.Insert).ToLookup(c => c.ParagraphId ?? "");

        var result = new List<Paragraph>(current.Count + inserts.Count);
        void InsertAfter(string anchor)
        {
            foreach (var insert in inserts[anchor]) result.Add(new Paragraph(Resolution.ParagraphId(nextNumber++), insert.Text!));
        }
        InsertAfter("");
        foreach (var paragraph in current)
        {
            if (!deleted.Contains(paragraph.Id))
                result.Add(replaced.TryGetValue(paragraph.Id, out var text) ? paragraph with { Text = text } : paragraph);
            InsertAfter(paragraph.Id);
        }
        var anchors = current.Select(p => p.Id).Append("").ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in inserts.Where(g => !anchors.Contains(g.Key)).ToList()) InsertAfter(orphan.Key);
        return result;
    }
}
