using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// The rules of negotiation as pure functions of (command, state, caller, time) to events or a refusal.
/// Input shape (lengths, empty fields) is checked before, by each endpoint's Validate.
/// </summary>
public static class ResolutionDecisions
{
    public static Decision Propose(Guid id, Body body, string title, IReadOnlyList<string> texts, Caller caller, DateTimeOffset now,
        IReadOnlyList<string>? restrictedTo = null)
    {
        if (AllowedActions.Negotiator(body, caller) is { } refusal) return refusal;
        if (restrictedTo is { Count: > 0 } && !Confidentiality.IsMember(caller.MandateIn(body.Id), restrictedTo))
            return Confidentiality.Refused("You would not be in the group.",
                $"A resolution restricted to {string.Join(", ", restrictedTo)} is readable by that group only; you act for {Lands.NameOf(caller.Land!)} " +
                $"as {caller.MandateIn(body.Id)?.Role}. Add your Land (or \"chair\" when you propose as the chair) to restrictedTo.");
        var normalizedTitle = TextCanonicalForm.Normalize(title.Trim());
        var paragraphs = texts.Select((text, i) => new Paragraph(Resolution.ParagraphId(i + 1), TextCanonicalForm.Normalize(text))).ToList();
        return Decision.Accept(new ResolutionProposed(
            id, body.Id, normalizedTitle, paragraphs, 1, TextCanonicalForm.Hash(normalizedTitle, paragraphs),
            caller.ActingAs(WritingRole(caller)), now, restrictedTo is { Count: > 0 } ? restrictedTo : null));
    }

    /// <summary>
    /// Widens the group that may read a restricted resolution, or opens it to all readers (an empty group): by the
    /// proposing Land or the chair in office. It never narrows: what a member has read stays read.
    /// </summary>
    public static Decision ChangeRestriction(Resolution state, Body body, IReadOnlyList<string> group, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.ChangeRestriction, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.RestrictedTo.Count == 0)
            return Confidentiality.Refused("The resolution is open to all readers.", "An open resolution is not restricted again: what readers have seen stays seen.");
        if (group.Count > 0 && !state.RestrictedTo.All(group.Contains))
            return Confidentiality.Refused("A restriction only widens.",
                $"Keep every member of the group ({string.Join(", ", state.RestrictedTo)}) and add others, or send [] to open the resolution to all readers.");
        if (group.SequenceEqual(state.RestrictedTo)) return Problems.Invalid("The group is unchanged; add members or send [] to open the resolution.");
        return Decision.Accept(new ResolutionRestrictionChanged(state.Id, group, state.RestrictedTo,
            caller.ActingAs(caller.Has(Roles.Chair) ? Roles.Chair : Roles.Representative), now));
    }

    /// <summary>Replaces the whole current text: sent paragraphs with an id keep it, new ones get fresh ids, left-out ones go.</summary>
    public static Decision EditText(Resolution state, Body body, IReadOnlyList<ParagraphEdit> edits, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Edit, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return FrozenAfterAdoption();

        var next = state.NextParagraphNumber;
        var paragraphs = new List<Paragraph>(edits.Count);
        var known = state.Paragraphs.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var edit in edits)
        {
            var id = edit.Id ?? Resolution.ParagraphId(next++);
            if (edit.Id is not null && !known.Contains(edit.Id))
                return Problems.Invalid($"The resolution has no paragraph '{edit.Id}'. Send new paragraphs without an id.");
            paragraphs.Add(new Paragraph(id, TextCanonicalForm.Normalize(edit.Text)));
        }
        return NewTextVersion(state, paragraphs, caller.ActingAs(WritingRole(caller)), now, state.TextVersion);
    }

    /// <summary>
    /// An edit of the text as it read at <paramref name="baseTextVersion"/>. On the current version it replaces the
    /// text; on an older one only the paragraphs it changed are merged onto the current text, provided nobody changed
    /// those paragraphs since the base. Otherwise 409 with each such paragraph's base, current and sent text.
    /// </summary>
    public static Decision EditFromBase(Resolution state, Body body, int baseTextVersion, IReadOnlyList<ParagraphEdit> edits, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Edit, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return FrozenAfterAdoption();
        if (baseTextVersion > state.TextVersion)
            return Problems.Invalid($"There is no text version {baseTextVersion}; the current one is {state.TextVersion}.");
        if (baseTextVersion == state.TextVersion) return EditText(state, body, edits, caller, now);

        var (changes, unknownId, reordered) = TextMerge.ChangesFrom(state.TextAt(baseTextVersion), edits);
        if (unknownId is not null)
            return Problems.Invalid($"Text version {baseTextVersion} has no paragraph '{unknownId}'. Send new paragraphs without an id.");
        if (reordered)
            return Problems.Make(Problems.ParagraphConflict, 409, "Paragraphs can only be moved on the current text.",
                $"You moved paragraphs of text version {baseTextVersion}, but the current text version is {state.TextVersion}. Reload it and send the new order.",
                ("baseTextVersion", baseTextVersion), ("currentTextVersion", state.TextVersion), ("conflicts", Array.Empty<ParagraphConflict>()));
        if (changes.Count == 0)
            return Problems.Invalid("The text is unchanged; an edit must change something.");

        var merged = TextMerge.Apply(state.Paragraphs, changes, state.NextParagraphNumber);
        if (!merged.Clean) return ParagraphsChangedMeanwhile(state, baseTextVersion, merged.Conflicts);
        return NewTextVersion(state, merged.Paragraphs, caller.ActingAs(WritingRole(caller)), now, baseTextVersion);
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails ParagraphsChangedMeanwhile(Resolution state, int baseTextVersion, IReadOnlyList<ParagraphConflict> conflicts) =>
        Problems.Make(Problems.ParagraphConflict, 409, "Someone else changed a paragraph you edited.",
            $"Since text version {baseTextVersion}, {string.Join(", ", conflicts.Select(c => c.ParagraphId))} changed (current text version {state.TextVersion}). " +
            "Redo your edit of these paragraphs on their current text, with the current text version as base.",
            ("baseTextVersion", baseTextVersion), ("currentTextVersion", state.TextVersion), ("conflicts", conflicts));

    /// <summary>The one way a new text version comes about: it must change something and stay within the limits.</summary>
    internal static Decision NewTextVersion(Resolution state, IReadOnlyList<Paragraph> paragraphs, Actor actor, DateTimeOffset now, int? baseTextVersion,
        Guid? resolving = null)
    {
        if (state.OpenBallot is { } ballot) return BallotDecisions.BallotAlreadyOpen(ballot);
        if (state.WrittenProcedure is { } procedure) return WrittenProcedures.WrittenProcedureDecisions.Running(procedure);
        if (paragraphs.Count == 0) return Problems.Invalid("A resolution keeps at least one paragraph.");
        if (ResolutionLimits.CheckParagraphCount(paragraphs.Count) is { } tooMany) return TextRules.Refusal(tooMany);
        var hash = TextCanonicalForm.Hash(state.Title, paragraphs);
        if (hash == state.TextHash)
            return Problems.Invalid("The text is unchanged; an edit must change something.");
        if (TextRules.CheckTotal(state.Title, paragraphs) is { } tooLong) return Problems.Invalid(tooLong);
        var before = state.Paragraphs.ToDictionary(p => p.Id, p => p.Text, StringComparer.Ordinal);
        foreach (var paragraph in paragraphs.Where(p => !before.TryGetValue(p.Id, out var old) || old != p.Text))
            if (TextRules.CheckParagraph(paragraph.Text, $"Paragraph {paragraph.Id}") is { } bad) return TextRules.Refusal(bad);
        if (BracketDecisions.Touched(state, paragraphs, resolving) is { } pinned) return pinned;
        return Decision.Accept(new ResolutionTextEdited(state.Id, paragraphs, state.TextVersion + 1, hash, actor, now, baseTextVersion));
    }

    public static Decision Vote(Resolution state, Body body, VoteChoice choice, int textVersion, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Vote, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        var land = caller.Land!;
        if (state.Status != ResolutionStatus.UnderNegotiation) return FrozenAfterAdoption();
        if (BracketDecisions.NoneOpen(state) is { } bracketsOpen) return bracketsOpen;
        if (textVersion != state.TextVersion)
            return Problems.Make(Problems.TextVersionSuperseded, 409, "You voted on a text that is no longer current.",
                $"Text version {textVersion} is not the current one; the current text version is {state.TextVersion}. Read it and vote on it.",
                ("currentTextVersion", state.TextVersion), ("currentTextHash", state.TextHash));

        if (state.WrittenProcedure is { } procedure) return WrittenProcedures.WrittenProcedureDecisions.Running(procedure);
        if (state.OpenBallot is { } ballot && BallotDecisions.CheckBallotVote(ballot, land, textVersion) is { } notInBallot)
            return notInBallot;

        if (state.Votes.TryGetValue(land, out var earlier) && earlier.Choice == choice && earlier.TextVersion == textVersion
            && earlier.BallotId == state.OpenBallot?.Id)
            return Decision.Accept();
        return Decision.Accept(new VoteCast(
            state.Id, land, choice, state.TextVersion, state.TextHash, caller.ActingAs(Roles.Representative), now, state.OpenBallot?.Id));
    }

    public static Decision Adopt(Resolution state, Body body, Caller caller, DateTimeOffset now) =>
        BallotDecisions.Adopt(state, body, caller, now);

    internal static string WritingRole(Caller caller) => caller.Has(Roles.Representative) ? Roles.Representative : Roles.Chair;

    internal static Microsoft.AspNetCore.Mvc.ProblemDetails FrozenAfterAdoption() =>
        Problems.Closed("The resolution has been adopted; its text and votes are frozen.");
}

/// <summary>One paragraph of a co-edit: with an id it keeps its identity, without one it is new.</summary>
public sealed record ParagraphEdit(string? Id, string Text);
