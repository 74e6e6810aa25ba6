using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>One change as a client sends it; <see cref="AmendmentDecisions.Resolve"/> checks it against the base text.</summary>
public sealed record AmendmentChangeInput(AmendmentChangeKind Kind, string? ParagraphId, string? After, string? Quote, int Occurrence, string? Text);

/// <summary>The rules of amendments (Änderungsanträge) as pure functions of (command, state, caller, time).</summary>
public static class AmendmentDecisions
{
    /// <summary>
    /// Open amendments one Land may have on one resolution at a time. Every reader's page and diff grows with the open
    /// amendments, so their number is bounded: 17 Länder and the Bund times this at most.
    /// </summary>
    public const int MaxOpenAmendmentsPerLand = 30;

    public const string TooManyOpenAmendments = "/problems/too-many-open-amendments";

    public static Decision Propose(Resolution state, Body body, Guid amendmentId, int baseTextVersion, IReadOnlyList<AmendmentChangeInput> inputs,
        string rationale, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Amend, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (state.Amendments.Values.Count(a => a.Land == caller.Land) is var own && own >= ResolutionLimits.MaxAmendmentsPerLand)
            return ResolutionLimits.Reached("amendments per Land", ResolutionLimits.MaxAmendmentsPerLand,
                $"{(caller.Land is { } land ? Lands.NameOf(land) : "The chair")} has proposed {own} amendments to this resolution; revise one of them instead.");
        if (BaseProblem(state, baseTextVersion) is { } baseProblem) return baseProblem;
        if (state.Amendments.Values.Count(a => a.Status == AmendmentStatus.Open && a.Land == caller.Land) >= MaxOpenAmendmentsPerLand)
            return Problems.Make(TooManyOpenAmendments, 422, "Too many open amendments.",
                $"{Lands.NameOf(caller.Land ?? "")} has {MaxOpenAmendmentsPerLand} open amendments to this resolution, the most one Land may have at a time. " +
                "Wait until some of them have been decided (accepted or rejected).");
        var (changes, problem) = Resolve(state.TextAt(baseTextVersion), inputs);
        if (problem is not null) return TextRules.Refusal(problem);
        return Decision.Accept(new AmendmentProposed(state.Id, amendmentId, state.Amendments.Count + 1, baseTextVersion, changes,
            TextCanonicalForm.Normalize(rationale.Trim()), caller.ActingAs(ResolutionDecisions.WritingRole(caller)), now));
    }

    public static Decision Support(Resolution state, Body body, Guid amendmentId, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.SupportAmendment, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (Open(state, amendmentId) is not { } amendment) return ClosedOrMissing(state, amendmentId);
        if (amendment.Land == caller.Land)
            return Problems.Invalid($"{Lands.NameOf(caller.Land!)} proposed amendment {amendment.Number}; its support is implied.");
        if (amendment.Supporters.Contains(caller.Land!)) return Decision.Accept();
        return Decision.Accept(new AmendmentSupported(state.Id, amendmentId, caller.ActingAs(ResolutionDecisions.WritingRole(caller)), now));
    }

    /// <summary>Only the proposing Land revises, typically onto the current text after others changed the paragraphs it touches.</summary>
    public static Decision Revise(Resolution state, Body body, Guid amendmentId, int baseTextVersion, IReadOnlyList<AmendmentChangeInput> inputs,
        string rationale, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Amend, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (Open(state, amendmentId) is not { } amendment) return ClosedOrMissing(state, amendmentId);
        if (amendment.Land != caller.Land)
            return Problems.Forbid($"Amendment {amendment.Number} is {Lands.NameOf(amendment.Land ?? "")}'s; only its author revises it.");
        if (BaseProblem(state, baseTextVersion) is { } baseProblem) return baseProblem;
        var (changes, problem) = Resolve(state.TextAt(baseTextVersion), inputs);
        if (problem is not null) return TextRules.Refusal(problem);
        return Decision.Accept(new AmendmentRevised(state.Id, amendmentId, baseTextVersion, changes,
            TextCanonicalForm.Normalize(rationale.Trim()), caller.ActingAs(ResolutionDecisions.WritingRole(caller)), now));
    }

    /// <summary>
    /// Accepts as proposed: applies cleanly when every paragraph the amendment touches reads as at its base, otherwise
    /// 409 with base, current and proposed text side by side. With changes: the decider's own changes against the
    /// current text replace the amendment's.
    /// </summary>
    public static Decision Accept(Resolution state, Body body, Guid amendmentId, IReadOnlyList<AmendmentChangeInput>? withChanges, Caller caller, DateTimeOffset now, string? reason = null)
    {
        if (AllowedActions.Refusal(ResolutionAction.DecideAmendment, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (Open(state, amendmentId) is not { } amendment) return ClosedOrMissing(state, amendmentId);

        var (baseTextVersion, changes) = (amendment.BaseTextVersion, (IReadOnlyList<AmendmentChange>)amendment.Changes);
        if (withChanges is not null)
        {
            var (own, problem) = Resolve(state.Paragraphs, withChanges);
            if (problem is not null) return TextRules.Refusal(problem);
            (baseTextVersion, changes) = (state.TextVersion, own);
        }

        var merged = TextMerge.Apply(state.Paragraphs, ToTextChanges(changes), state.NextParagraphNumber);
        if (!merged.Clean)
            return Problems.Make(Problems.AmendmentConflict, 409, "The amendment conflicts with the current text.",
                $"Since text version {baseTextVersion}, {string.Join(", ", merged.Conflicts.Select(c => c.ParagraphId))} changed. " +
                "Its author revises it against the current text, or it is accepted with changes.",
                ("amendmentId", amendmentId), ("baseTextVersion", baseTextVersion), ("currentTextVersion", state.TextVersion), ("conflicts", merged.Conflicts));

        var actor = caller.ActingAs(caller.Has(Roles.Chair) ? Roles.Chair : Roles.Representative);
        var edit = ResolutionDecisions.NewTextVersion(state, merged.Paragraphs, actor, now, baseTextVersion);
        if (edit.Refusal is not null) return edit;
        var edited = (ResolutionTextEdited)edit.Events[0];
        return Decision.Accept(
            new AmendmentAccepted(state.Id, amendmentId, withChanges is not null, baseTextVersion, changes, edited.TextVersion, edited.TextHash, actor, now,
                reason is null ? null : TextCanonicalForm.Normalize(reason.Trim())),
            edited);
    }

    public static Decision Reject(Resolution state, Body body, Guid amendmentId, string? reason, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.DecideAmendment, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (Open(state, amendmentId) is null) return ClosedOrMissing(state, amendmentId);
        return Decision.Accept(new AmendmentRejected(state.Id, amendmentId, reason is null ? null : TextCanonicalForm.Normalize(reason.Trim()),
            caller.ActingAs(caller.Has(Roles.Chair) ? Roles.Chair : Roles.Representative), now));
    }

    /// <summary>The paragraph-level changes an amendment makes; a span change becomes the whole paragraph with the span replaced.</summary>
    public static IReadOnlyList<TextChange> ToTextChanges(IEnumerable<AmendmentChange> changes) =>
        changes.Select(c => c.Kind switch
        {
            AmendmentChangeKind.Replace => TextChange.Replace(c.ParagraphId!, c.BaseText!, c.Text!),
            AmendmentChangeKind.Delete => TextChange.Delete(c.ParagraphId!, c.BaseText!),
            AmendmentChangeKind.Insert => TextChange.Insert(c.After, c.Text!),
            AmendmentChangeKind.ReplaceSpan => TextChange.Replace(c.ParagraphId!, c.BaseText!,
                c.BaseText![..c.QuoteStart!.Value] + c.Text + c.BaseText[(c.QuoteStart.Value + c.Quote!.Length)..]),
            _ => throw new ArgumentOutOfRangeException(nameof(changes), c.Kind, null),
        }).ToList();

    /// <summary>Checks the changes a client sent against the base text and records what they found there.</summary>
    public static (IReadOnlyList<AmendmentChange> Changes, string? Problem) Resolve(IReadOnlyList<Paragraph> basis, IReadOnlyList<AmendmentChangeInput> inputs)
    {
        if (inputs.Count == 0) return ([], "An amendment needs at least one change.");
        var byId = basis.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var changes = new List<AmendmentChange>();
        foreach (var (input, i) in inputs.Select((c, i) => (c, i + 1)))
        {
            var text = input.Text is null ? null : TextCanonicalForm.Normalize(input.Text);
            if (input.Kind == AmendmentChangeKind.Insert)
            {
                if (input.After is not null && !byId.ContainsKey(input.After))
                    return ([], $"Change {i}: the base text has no paragraph '{input.After}' to insert after.");
                changes.Add(new AmendmentChange(AmendmentChangeKind.Insert, null, input.After, null, null, null, text));
                continue;
            }
            if (input.ParagraphId is null || !byId.TryGetValue(input.ParagraphId, out var paragraph))
                return ([], $"Change {i}: the base text has no paragraph '{input.ParagraphId}'.");
            if (!touched.Add(paragraph.Id))
                return ([], $"Change {i}: paragraph {paragraph.Id} is already changed by another change of this amendment; combine them.");
            switch (input.Kind)
            {
                case AmendmentChangeKind.Replace when text == paragraph.Text:
                    return ([], $"Change {i}: the new wording of {paragraph.Id} is the same as the base.");
                case AmendmentChangeKind.Replace or AmendmentChangeKind.Delete:
                    changes.Add(new AmendmentChange(input.Kind, paragraph.Id, null, paragraph.Text, null, null, input.Kind == AmendmentChangeKind.Delete ? null : text));
                    break;
                case AmendmentChangeKind.ReplaceSpan:
                    var quote = TextCanonicalForm.Normalize(input.Quote ?? "");
                    var start = Spans.Find(paragraph.Text, quote, input.Occurrence);
                    if (start is null)
                        return ([], $"Change {i}: \"{quote}\" does not occur {(input.Occurrence > 1 ? input.Occurrence + " times " : "")}in paragraph {paragraph.Id}.");
                    var result = paragraph.Text[..start.Value] + text + paragraph.Text[(start.Value + quote.Length)..];
                    if (string.IsNullOrWhiteSpace(result))
                        return ([], $"Change {i}: the paragraph would be empty; delete it instead.");
                    if (result == paragraph.Text)
                        return ([], $"Change {i}: the new wording is the same as the quoted one.");
                    if (TextRules.Length(result) > TextRules.MaxParagraphLength)
                        return ([], $"Change {i}: paragraph {paragraph.Id} would exceed {TextRules.MaxParagraphLength} characters.");
                    if (TextRules.CheckParagraph(result, $"Change {i}: paragraph {paragraph.Id} as changed") is { } unsafeResult)
                        return ([], unsafeResult);
                    changes.Add(new AmendmentChange(AmendmentChangeKind.ReplaceSpan, paragraph.Id, null, paragraph.Text, quote, start, text));
                    break;
            }
        }
        return (changes, null);
    }

    private static AmendmentState? Open(Resolution state, Guid amendmentId) =>
        state.Amendments.TryGetValue(amendmentId, out var a) && a.Status == AmendmentStatus.Open ? a : null;

    private static ProblemDetails ClosedOrMissing(Resolution state, Guid amendmentId) =>
        state.Amendments.TryGetValue(amendmentId, out var a)
            ? Problems.Make(Problems.AmendmentClosed, 409, "The amendment is already decided.",
                $"Amendment {a.Number} was {a.Status.ToString().ToLowerInvariant()}; propose a new one to change the text further.")
            : Problems.Missing($"Resolution {state.Id} has no amendment {amendmentId}.");

    private static ProblemDetails? BaseProblem(Resolution state, int baseTextVersion) =>
        baseTextVersion < 1 || baseTextVersion > state.TextVersion
            ? Problems.Invalid($"There is no text version {baseTextVersion}; the current one is {state.TextVersion}.")
            : null;
}
