using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// Bracketed passages (eckige Klammern): a disputed passage stays as it is, with the wordings Länder propose, until it
/// is resolved. While open it is pinned: no edit or amendment may change it, and no vote or adoption may start.
/// </summary>
public static class BracketDecisions
{
    public static Decision Bracket(Resolution state, Body body, Guid bracketId, string paragraphId, string quote, int occurrence,
        IReadOnlyList<string> alternatives, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Bracket, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        // The text being voted on is fixed; disputing a passage of it waits until the vote or procedure has ended.
        if (state.OpenBallot is { } ballot) return BallotDecisions.BallotAlreadyOpen(ballot);
        if (state.WrittenProcedure is { } procedure) return WrittenProcedures.WrittenProcedureDecisions.Running(procedure);
        if (state.Brackets.Count >= ResolutionLimits.MaxBrackets)
            return ResolutionLimits.Reached("bracketed passages", ResolutionLimits.MaxBrackets, $"The resolution has {state.Brackets.Count} bracketed passages.");
        var paragraph = state.Paragraphs.FirstOrDefault(p => p.Id == paragraphId);
        if (paragraph is null) return Problems.Invalid($"The current text has no paragraph '{paragraphId}'.");
        var normalized = TextCanonicalForm.Normalize(quote);
        if (Spans.Find(paragraph.Text, normalized, occurrence) is not { } start)
            return Problems.Invalid($"\"{normalized}\" does not occur {(occurrence > 1 ? occurrence + " times " : "")}in paragraph {paragraphId} of text version {state.TextVersion}.");
        var overlapping = state.OpenBrackets.Where(b => b.ParagraphId == paragraphId && b.Start < start + normalized.Length && start < b.Start + b.Quote.Length).ToList();
        if (overlapping.Count > 0) return Pinned(overlapping, "The passage overlaps a passage already in brackets; add your wording there as an alternative.");

        return Decision.Accept(new PassageBracketed(state.Id, bracketId, state.Brackets.Count + 1, paragraphId, state.TextVersion, normalized, start,
            [.. alternatives.Select(TextCanonicalForm.Normalize)], caller.ActingAs(ResolutionDecisions.WritingRole(caller)), now));
    }

    public static Decision ProposeAlternative(Resolution state, Body body, Guid bracketId, string wording, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Bracket, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (OpenBracket(state, bracketId) is not { } bracket) return ClosedOrMissing(state, bracketId);
        var normalized = TextCanonicalForm.Normalize(wording);
        if (normalized == bracket.Quote || bracket.Alternatives.Contains(normalized)) return Decision.Accept();
        if (bracket.Alternatives.Length >= ResolutionLimits.MaxAlternatives)
            return ResolutionLimits.Reached("alternatives per bracketed passage", ResolutionLimits.MaxAlternatives,
                $"Bracket {bracket.Number} has {bracket.Alternatives.Length} alternative wordings.");
        return Decision.Accept(new BracketAlternativeProposed(state.Id, bracketId, normalized, caller.ActingAs(ResolutionDecisions.WritingRole(caller)), now));
    }

    /// <summary>
    /// The chair (or, before a session, the proposing Land) resolves by choosing a wording (0: the bracketed one, 1 and up:
    /// the alternatives) or writing the agreed one; it replaces the passage in a new text version.
    /// </summary>
    public static Decision Resolve(Resolution state, Body body, Guid bracketId, int? alternative, string? wording, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.ResolveBracket, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (OpenBracket(state, bracketId) is not { } bracket) return ClosedOrMissing(state, bracketId);
        if (alternative is { } n && (n < 0 || n > bracket.Alternatives.Length))
            return Problems.Invalid($"Bracket {bracket.Number} has alternatives 0 (the bracketed wording) to {bracket.Alternatives.Length}.");

        var agreed = alternative switch
        {
            0 => bracket.Quote,
            { } chosen => bracket.Alternatives[chosen - 1],
            null => TextCanonicalForm.Normalize(wording!),
        };
        var actor = caller.ActingAs(caller.Has(Roles.Chair) ? Roles.Chair : Roles.Representative);
        if (agreed == bracket.Quote)
            return Decision.Accept(new BracketResolved(state.Id, bracketId, agreed, alternative, state.TextVersion, state.TextHash, actor, now));

        var paragraph = state.Paragraphs.First(p => p.Id == bracket.ParagraphId);
        var text = paragraph.Text[..bracket.Start] + agreed + paragraph.Text[(bracket.Start + bracket.Quote.Length)..];
        if (string.IsNullOrWhiteSpace(text)) return Problems.Invalid("The paragraph would be empty; propose an amendment deleting it instead.");
        if (TextRules.Length(text) > TextRules.MaxParagraphLength)
            return Problems.Invalid($"Paragraph {paragraph.Id} would exceed {TextRules.MaxParagraphLength} characters.");
        var paragraphs = state.Paragraphs.Select(p => p.Id == paragraph.Id ? p with { Text = text } : p).ToList();
        var edit = ResolutionDecisions.NewTextVersion(state, paragraphs, actor, now, state.TextVersion, resolving: bracketId);
        if (edit.Refusal is not null) return edit;
        var edited = (ResolutionTextEdited)edit.Events[0];
        return Decision.Accept(new BracketResolved(state.Id, bracketId, agreed, alternative, edited.TextVersion, edited.TextHash, actor, now), edited);
    }

    /// <summary>Open brackets a new text would change, apart from the one being resolved; the refusal names them.</summary>
    public static ProblemDetails? Touched(Resolution state, IReadOnlyList<Paragraph> paragraphs, Guid? resolving)
    {
        var touched = state.OpenBrackets.Where(b => b.Id != resolving && b.Follow(state.Paragraphs, paragraphs).Start < 0).ToList();
        return touched.Count == 0 ? null : Pinned(touched, "A passage in brackets changes only by resolving its bracket; leave it as it stands.");
    }

    /// <summary>Voting and adoption wait until no passage is in brackets.</summary>
    public static ProblemDetails? NoneOpen(Resolution state)
    {
        var open = state.OpenBrackets.ToList();
        if (open.Count == 0) return null;
        return Problems.Make(Problems.OpenBrackets, 422, "Passages of the text are still in brackets.",
            $"Resolve {string.Join(", ", open.Select(b => $"bracket {b.Number} ({b.ParagraphId}: \"{b.Quote}\")"))} before a vote.",
            ("openBrackets", open.Select(Describe).ToList()));
    }

    private static ProblemDetails Pinned(IReadOnlyList<BracketState> brackets, string detail) =>
        Problems.Make(Problems.BracketedPassage, 409, "The passage is in brackets.",
            $"{detail} Concerned: {string.Join(", ", brackets.Select(b => $"bracket {b.Number} ({b.ParagraphId}: \"{b.Quote}\")"))}.",
            ("brackets", brackets.Select(Describe).ToList()));

    private static object Describe(BracketState b) => new { bracketId = b.Id, number = b.Number, paragraphId = b.ParagraphId, quote = b.Quote };

    private static BracketState? OpenBracket(Resolution state, Guid bracketId) => state.OpenBrackets.FirstOrDefault(b => b.Id == bracketId);

    private static ProblemDetails ClosedOrMissing(Resolution state, Guid bracketId) =>
        state.Brackets.Any(b => b.Id == bracketId)
            ? Problems.Closed("The bracket is already resolved.")
            : Problems.Missing($"Resolution {state.Id} has no bracket {bracketId}.");
}
