using System.Text.RegularExpressions;
using DiffPlex;

namespace BundLaenderKoordination.Api.Resolutions;

public enum RunKind
{
    Unchanged,
    Inserted,
    Deleted,
}

public enum ParagraphDiffStatus
{
    Unchanged,
    Changed,
    Inserted,
    Deleted,
}

/// <summary>A stretch of text that is in both texts, only in the newer (inserted) or only in the older (deleted).</summary>
public sealed record DiffRun(RunKind Kind, string Text);

/// <summary>One paragraph of a diff: unchanged and deleted runs spell its older text, unchanged and inserted runs its newer text.</summary>
public sealed record ParagraphDiff(string ParagraphId, ParagraphDiffStatus Status, IReadOnlyList<DiffRun> Runs)
{
    public string OldText => Spell(RunKind.Deleted);
    public string NewText => Spell(RunKind.Inserted);

    private string Spell(RunKind side) => string.Concat(Runs.Where(r => r.Kind == RunKind.Unchanged || r.Kind == side).Select(r => r.Text));
}

/// <summary>A row of a Synopse: the older wording on the left, the newer on the right, each with its marked runs.</summary>
public sealed record SynopsisRow(string ParagraphId, ParagraphDiffStatus Status, string? Old, string? New, IReadOnlyList<DiffRun> OldRuns, IReadOnlyList<DiffRun> NewRuns);

/// <summary>
/// Word-level diffs of resolution texts. Paragraphs are matched by their stable id, so a changed paragraph is compared
/// with its own earlier wording; inside a paragraph DiffPlex compares words, runs of white space and single
/// punctuation marks, so every character of both texts is in exactly one run. The work is bounded: after the common
/// beginning and end of a paragraph are taken off, the rest is compared word by word, or sentence by sentence when that
/// would cost too much, or shown as the whole older rest deleted and the whole newer rest inserted when even that
/// would. The cost of comparing n pieces with m is counted as (n + m)², the worst case of the Myers algorithm DiffPlex
/// uses; a paragraph may spend <see cref="ParagraphBudget"/>, a whole diff <see cref="DiffBudget"/>.
/// </summary>
public static partial class TextDiff
{
    /// <summary>The cost one paragraph may spend: 1,500 pieces on both sides together.</summary>
    public const long ParagraphBudget = 1_500L * 1_500L;

    /// <summary>The cost a diff of two whole texts may spend; beyond it, changed paragraphs are shown whole.</summary>
    public const long DiffBudget = 8 * ParagraphBudget;

    /// <summary>What a diff may still spend; shared by the paragraphs of one diff.</summary>
    public sealed class Budget(long remaining)
    {
        public long Remaining { get; private set; } = remaining;

        public bool TrySpend(long cost)
        {
            if (cost > Remaining || cost > ParagraphBudget) return false;
            Remaining -= cost;
            return true;
        }
    }

    [GeneratedRegex(@".+?(?:[.!?;:]+(?:\s+|$)|$)", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Sentence();

    private static string[] Pieces(Regex pattern, string text)
    {
        var pieces = new List<string>();
        foreach (var match in pattern.EnumerateMatches(text)) pieces.Add(text.Substring(match.Index, match.Length));
        return [.. pieces];
    }

    // Hands DiffPlex the pieces already cut (it asks for the older text's, then the newer's), so nothing is cut twice.
    private sealed class CutChunker(string olderText, string[] older, string newerText, string[] newer) : IChunker
    {
        public IReadOnlyList<string> Chunk(string text) =>
            ReferenceEquals(text, olderText) ? older : ReferenceEquals(text, newerText) ? newer : Pieces(Token(), text);
    }

    [GeneratedRegex(@"\w+|\s+|[^\w\s]", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    /// <summary>The diff of two texts, every paragraph of both exactly once: in the newer order, each deleted one after its older predecessor.</summary>
    public static IReadOnlyList<ParagraphDiff> Between(IReadOnlyList<Paragraph> older, IReadOnlyList<Paragraph> newer,
        CancellationToken ct = default) => Between(older, newer, new Budget(DiffBudget), ct);

    /// <summary>The same, spending from a budget that several diffs share (all open amendments of a page).</summary>
    public static IReadOnlyList<ParagraphDiff> Between(IReadOnlyList<Paragraph> older, IReadOnlyList<Paragraph> newer, Budget budget,
        CancellationToken ct = default)
    {
        var olderById = older.Select((p, i) => (p, i)).ToDictionary(x => x.p.Id, x => x, StringComparer.Ordinal);
        var newerIds = newer.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var result = new List<ParagraphDiff>(older.Count + newer.Count);
        var next = 0;
        void DeletedUpTo(int end)
        {
            for (; next < end; next++)
                if (!newerIds.Contains(older[next].Id))
                    result.Add(new ParagraphDiff(older[next].Id, ParagraphDiffStatus.Deleted, [new DiffRun(RunKind.Deleted, older[next].Text)]));
        }
        void DeletedUntilKept()
        {
            while (next < older.Count && !newerIds.Contains(older[next].Id)) DeletedUpTo(next + 1);
        }

        DeletedUntilKept();
        foreach (var paragraph in newer)
        {
            if (!olderById.TryGetValue(paragraph.Id, out var before))
            {
                result.Add(new ParagraphDiff(paragraph.Id, ParagraphDiffStatus.Inserted, [new DiffRun(RunKind.Inserted, paragraph.Text)]));
                continue;
            }
            DeletedUpTo(before.i);
            ct.ThrowIfCancellationRequested();
            result.Add(before.p.Text == paragraph.Text
                ? new ParagraphDiff(paragraph.Id, ParagraphDiffStatus.Unchanged, [new DiffRun(RunKind.Unchanged, paragraph.Text)])
                : new ParagraphDiff(paragraph.Id, ParagraphDiffStatus.Changed, Words(before.p.Text, paragraph.Text, budget)));
            if (before.i >= next)
            {
                next = before.i + 1;
                DeletedUntilKept();
            }
        }
        DeletedUpTo(older.Count);
        return result;
    }

    /// <summary>The word-level runs that turn <paramref name="older"/> into <paramref name="newer"/>, within the cost bound.</summary>
    public static IReadOnlyList<DiffRun> Words(string older, string newer) => Words(older, newer, new Budget(ParagraphBudget));

    /// <summary>The runs that turn <paramref name="older"/> into <paramref name="newer"/>, spending at most what <paramref name="budget"/> has left.</summary>
    public static IReadOnlyList<DiffRun> Words(string older, string newer, Budget budget)
    {
        var oldPieces = Pieces(Token(), older);
        var newPieces = Pieces(Token(), newer);
        var prefix = 0;
        while (prefix < oldPieces.Length && prefix < newPieces.Length && oldPieces[prefix] == newPieces[prefix]) prefix++;
        var suffix = 0;
        while (suffix < oldPieces.Length - prefix && suffix < newPieces.Length - prefix
               && oldPieces[^(1 + suffix)] == newPieces[^(1 + suffix)]) suffix++;

        var runs = new List<DiffRun>();
        void Add(RunKind kind, IEnumerable<string> pieces)
        {
            var text = string.Concat(pieces);
            if (text.Length == 0) return;
            if (runs.Count > 0 && runs[^1].Kind == kind) runs[^1] = runs[^1] with { Text = runs[^1].Text + text };
            else runs.Add(new DiffRun(kind, text));
        }

        var oldRest = oldPieces[prefix..^suffix];
        var newRest = newPieces[prefix..^suffix];
        Add(RunKind.Unchanged, oldPieces[..prefix]);
        var (oldText, newText) = (string.Concat(oldRest), string.Concat(newRest));
        IChunker? chunker = null;
        if (budget.TrySpend(Cost(oldRest.Length, newRest.Length)))
            chunker = new CutChunker(oldText, oldRest, newText, newRest);
        else if (Pieces(Sentence(), oldText) is var oldSentences && Pieces(Sentence(), newText) is var newSentences
                 && budget.TrySpend(Cost(oldSentences.Length, newSentences.Length)))
            chunker = new CutChunker(oldText, oldSentences, newText, newSentences);
        if (chunker is null)
        {
            Add(RunKind.Deleted, oldRest);
            Add(RunKind.Inserted, newRest);
        }
        else
        {
            var diff = Differ.Instance.CreateDiffs(oldText, newText, ignoreWhiteSpace: false, ignoreCase: false, chunker);
            var a = 0;
            foreach (var block in diff.DiffBlocks)
            {
                Add(RunKind.Unchanged, diff.PiecesOld.Skip(a).Take(block.DeleteStartA - a));
                Add(RunKind.Deleted, diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA));
                Add(RunKind.Inserted, diff.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB));
                a = block.DeleteStartA + block.DeleteCountA;
            }
            Add(RunKind.Unchanged, diff.PiecesOld.Skip(a));
        }
        Add(RunKind.Unchanged, oldPieces[^suffix..]);
        return runs;
    }

    private static long Cost(int older, int newer) => (long)(older + newer) * (older + newer);

    /// <summary>
    /// Applies a diff to the older text it was made from; refuses (throws) when the older text does not read as the
    /// diff's unchanged and deleted runs say. The proof that a diff says everything about a change.
    /// </summary>
    public static IReadOnlyList<Paragraph> Apply(IReadOnlyList<Paragraph> older, IReadOnlyList<ParagraphDiff> diff)
    {
        var olderById = older.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Paragraph>();
        foreach (var paragraph in diff)
        {
            if (paragraph.Status != ParagraphDiffStatus.Inserted)
            {
                if (!olderById.TryGetValue(paragraph.ParagraphId, out var before) || before.Text != paragraph.OldText)
                    throw new InvalidOperationException($"The diff does not fit paragraph {paragraph.ParagraphId} of the older text.");
                seen.Add(paragraph.ParagraphId);
            }
            if (paragraph.Status != ParagraphDiffStatus.Deleted) result.Add(new Paragraph(paragraph.ParagraphId, paragraph.NewText));
        }
        if (seen.Count != older.Count) throw new InvalidOperationException("The diff leaves out paragraphs of the older text.");
        return result;
    }

    /// <summary>The Synopse of a diff: one row per paragraph, old column and new column.</summary>
    public static IReadOnlyList<SynopsisRow> Synopsis(IReadOnlyList<ParagraphDiff> diff) =>
        diff.Select(p => new SynopsisRow(p.ParagraphId, p.Status,
            p.Status == ParagraphDiffStatus.Inserted ? null : p.OldText,
            p.Status == ParagraphDiffStatus.Deleted ? null : p.NewText,
            [.. p.Runs.Where(r => r.Kind != RunKind.Inserted)],
            [.. p.Runs.Where(r => r.Kind != RunKind.Deleted)])).ToList();
}
