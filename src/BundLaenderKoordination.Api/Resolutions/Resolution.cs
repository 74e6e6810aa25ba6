using System.Collections.Immutable;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Resolutions.Positions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// The write model: only what the decisions need. Immutable; <see cref="Next"/> is the one fold used by
/// the command handlers (through Marten's live aggregation) and by the unit tests.
/// </summary>
public sealed record Resolution(
    Guid Id,
    string Body,
    string Title,
    ImmutableArray<Paragraph> Paragraphs,
    int TextVersion,
    string TextHash,
    int NextParagraphNumber,
    ResolutionStatus Status,
    ImmutableDictionary<string, VoteCast> Votes,
    ImmutableDictionary<Guid, CommentState> Comments,
    string? ProposingLand,
    ImmutableList<ImmutableArray<Paragraph>> Texts,
    ImmutableDictionary<Guid, AmendmentState> Amendments,
    ImmutableList<BracketState> Brackets)
{
    /// <summary>The ballot now open, if any: while it is, the text cannot change.</summary>
    public BallotState? OpenBallot { get; init; }

    public int BallotCount { get; init; }

    /// <summary>The written procedure now running, if any: while it is, the text cannot change and no ballot opens.</summary>
    public WrittenProcedureState? WrittenProcedure { get; init; }

    /// <summary>The Protokollerklärungen attached after adoption, with the Länder that made each.</summary>
    public ImmutableDictionary<Guid, ImmutableHashSet<string>> Declarations { get; init; } = ImmutableDictionary<Guid, ImmutableHashSet<string>>.Empty;

    /// <summary>The hash of each Protokollerklärung's text (what a signature over making or joining it names).</summary>
    public ImmutableDictionary<Guid, string> DeclarationHashes { get; init; } = ImmutableDictionary<Guid, string>.Empty;

    /// <summary>"credential nonce" of every signed act of the stream: an assertion counts once (docs/audit.md, signed acts).</summary>
    public ImmutableHashSet<string> SignatureNonces { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>The group that alone may know the resolution (Land codes, "chair"); empty when it is open to all readers.</summary>
    public IReadOnlyList<string> RestrictedTo { get; init; } = [];

    /// <summary>The stream version the state stands at: every event of the stream counts, as in the stream itself.</summary>
    public long StreamVersion { get; init; }

    /// <summary>When the last event happened (its own instant, as the read model and the timeline show it).</summary>
    public DateTimeOffset LastChangedAt { get; init; }

    public static Resolution? Next(Resolution? state, object @event) =>
        Step(state, @event) is { } next
            ? next with
            {
                StreamVersion = (state?.StreamVersion ?? 0) + 1,
                LastChangedAt = EventInstant.Of(@event) ?? state?.LastChangedAt ?? default,
                SignatureNonces = Signing.ActSigning.SignatureOf(@event) is { } signature
                    ? next.SignatureNonces.Add(Signing.ActSigning.NonceKey(signature.CredentialId, signature.Nonce))
                    : next.SignatureNonces,
            }
            : null;

    private static Resolution? Step(Resolution? state, object @event) => (state, @event) switch
    {
        (null, ResolutionProposed e) => new Resolution(
            e.ResolutionId, e.Body, e.Title, [.. e.Paragraphs], e.TextVersion, e.TextHash,
            NextNumberAfter(1, e.Paragraphs), ResolutionStatus.UnderNegotiation,
            ImmutableDictionary<string, VoteCast>.Empty, ImmutableDictionary<Guid, CommentState>.Empty, e.ProposedBy.ActingFor, [[.. e.Paragraphs]],
            ImmutableDictionary<Guid, AmendmentState>.Empty, []) { RestrictedTo = e.RestrictedTo ?? [] },
        (not null, ResolutionRestrictionChanged e) => state with { RestrictedTo = e.RestrictedTo },
        (not null, ResolutionTextEdited e) => state with
        {
            Paragraphs = [.. e.Paragraphs],
            TextVersion = e.TextVersion,
            TextHash = e.TextHash,
            NextParagraphNumber = NextNumberAfter(state.NextParagraphNumber, e.Paragraphs),
            Texts = state.Texts.Add([.. e.Paragraphs]),
            Brackets = [.. state.Brackets.Select(b => b.Open ? b.Follow(state.Paragraphs, e.Paragraphs) : b)],
        },
        (not null, CommentAdded e) => state with { Comments = state.Comments.Add(e.CommentId, new CommentState(e.CommentId, e.CommentedBy.ActingFor, false)) },
        (not null, CommentReplied e) when state.Comments.TryGetValue(e.CommentId, out var thread) =>
            state with { Comments = state.Comments.SetItem(e.CommentId, thread with { Replies = thread.Replies + 1 }) },
        (not null, CommentResolved e) => state with { Comments = state.Comments.SetItem(e.CommentId, state.Comments[e.CommentId] with { Resolved = true }) },
        (not null, CommentReopened e) => state with { Comments = state.Comments.SetItem(e.CommentId, state.Comments[e.CommentId] with { Resolved = false }) },
        (not null, VoteCast e) => state with
        {
            Votes = state.Votes.SetItem(e.Land, e),
            OpenBallot = e.BallotId is { } ballot && state.OpenBallot?.Id == ballot
                ? state.OpenBallot with { Votes = state.OpenBallot.Votes.SetItem(e.Land, e.Choice) }
                : state.OpenBallot,
        },
        (not null, ResolutionAdopted) => state with { Status = ResolutionStatus.Adopted, OpenBallot = null },
        (not null, ResolutionRejected) => state with { Status = ResolutionStatus.Rejected, OpenBallot = null },
        (not null, BallotOpened e) => state with
        {
            OpenBallot = new BallotState(e.BallotId, e.Number, e.MatterType, e.Rule, [.. e.Members], e.TextVersion, e.TextHash,
                ImmutableDictionary<string, VoteChoice>.Empty) { Deadline = e.Deadline },
            BallotCount = state.BallotCount + 1,
        },
        (not null, BallotCancelled) => state with { OpenBallot = null },
        (not null, BallotDeadlineChanged e) when state.OpenBallot?.Id == e.BallotId => state with { OpenBallot = state.OpenBallot with { Deadline = e.NewDeadline } },
        (not null, WrittenProcedureStarted e) => state with
        {
            WrittenProcedure = new WrittenProcedureState(e.ProcedureId, e.Mode, e.Rule, [.. e.Members], e.TextVersion, e.TextHash, e.Deadline, []),
        },
        (not null, WrittenConsentGiven e) when state.WrittenProcedure?.Id == e.ProcedureId => state with
        {
            WrittenProcedure = state.WrittenProcedure with { Consents = state.WrittenProcedure.Consents.Add(e.Land) },
        },
        (not null, WrittenProcedureEnded) => state with { WrittenProcedure = null },
        (not null, DeclarationAttached e) => state with
        {
            Declarations = state.Declarations.SetItem(e.DeclarationId, [e.Land]),
            DeclarationHashes = state.DeclarationHashes.SetItem(e.DeclarationId, Audit.SignedActStatement.HashOfDeclaration(e.Text)),
        },
        (not null, DeclarationJoined e) when state.Declarations.ContainsKey(e.DeclarationId) => state with
        {
            Declarations = state.Declarations.SetItem(e.DeclarationId, state.Declarations[e.DeclarationId].Add(e.Land)),
        },
        (not null, ResolutionWithdrawn) => state with { Status = ResolutionStatus.Withdrawn },
        (not null, BallotClosed) => state with { OpenBallot = null },
        (not null, PassageBracketed e) => state with
        {
            Brackets = state.Brackets.Add(new BracketState(e.BracketId, e.Number, e.ParagraphId, e.Quote, e.QuoteStart, [.. e.Alternatives], true)),
        },
        (not null, BracketAlternativeProposed e) => state.WithBracket(e.BracketId, b => b with { Alternatives = b.Alternatives.Add(e.Wording) }),
        (not null, BracketResolved e) => state.WithBracket(e.BracketId, b => b with { Open = false }),
        (not null, AmendmentProposed e) => state with
        {
            Amendments = state.Amendments.Add(e.AmendmentId, new AmendmentState(
                e.AmendmentId, e.Number, e.ProposedBy.ActingFor, e.BaseTextVersion, [.. e.Changes], AmendmentStatus.Open, [])),
        },
        (not null, AmendmentSupported e) => state.WithAmendment(e.AmendmentId, a => a with { Supporters = a.Supporters.Add(e.SupportedBy.ActingFor ?? "") }),
        (not null, AmendmentRevised e) => state.WithAmendment(e.AmendmentId, a => a with { BaseTextVersion = e.BaseTextVersion, Changes = [.. e.Changes], Supporters = [] }),
        (not null, AmendmentAccepted e) => state.WithAmendment(e.AmendmentId, a => a with { Status = AmendmentStatus.Accepted }),
        (not null, AmendmentRejected e) => state.WithAmendment(e.AmendmentId, a => a with { Status = AmendmentStatus.Rejected }),
        _ => state,
    };

    private Resolution WithAmendment(Guid id, Func<AmendmentState, AmendmentState> change) =>
        this with { Amendments = Amendments.SetItem(id, change(Amendments[id])) };

    private Resolution WithBracket(Guid id, Func<BracketState, BracketState> change) =>
        this with { Brackets = [.. Brackets.Select(b => b.Id == id ? change(b) : b)] };

    public IEnumerable<BracketState> OpenBrackets => Brackets.Where(b => b.Open);

    public static Resolution? Fold(IEnumerable<object> events) => events.Aggregate((Resolution?)null, Next);

    /// <summary>The paragraphs as they read at a text version (1 to <see cref="TextVersion"/>).</summary>
    public ImmutableArray<Paragraph> TextAt(int textVersion) => Texts[textVersion - 1];

    public static string ParagraphId(int number) => "p" + number;

    // Ids of removed paragraphs are never handed out again, so the counter only grows.
    private static int NextNumberAfter(int current, IEnumerable<Paragraph> paragraphs) =>
        paragraphs.Select(p => int.TryParse(p.Id.AsSpan(1), out var n) ? n + 1 : 0).Append(current).Max();
}

/// <summary>An open ballot: the rule and members it recorded when it opened, the text it is on, and the votes cast in it.</summary>
public sealed record BallotState(
    Guid Id,
    int Number,
    string MatterType,
    VotingRule Rule,
    ImmutableArray<BodyMember> Members,
    int TextVersion,
    string TextHash,
    ImmutableDictionary<string, VoteChoice> Votes)
{
    /// <summary>When the ballot closes by itself, if it has a deadline (as opened or as the chair last moved it).</summary>
    public DateTimeOffset? Deadline { get; init; }
}

/// <summary>What the decisions need of an amendment: its author's Land, its current changes and base, its status.</summary>
public sealed record AmendmentState(
    Guid Id,
    int Number,
    string? Land,
    int BaseTextVersion,
    ImmutableArray<AmendmentChange> Changes,
    AmendmentStatus Status,
    ImmutableHashSet<string> Supporters);

/// <summary>What the decisions need of a comment thread: the Land its author acted for, and whether it is resolved.</summary>
public sealed record CommentState(Guid Id, string? Land, bool Resolved)
{
    public int Replies { get; init; }
}

/// <summary>A bracketed passage: where it stands in the current text while open, and the wordings proposed for it.</summary>
public sealed record BracketState(
    Guid Id,
    int Number,
    string ParagraphId,
    string Quote,
    int Start,
    ImmutableArray<string> Alternatives,
    bool Open)
{
    /// <summary>Its place after an edit; -1 when the edit touched it (which the decisions refuse while it is open).</summary>
    public BracketState Follow(IReadOnlyList<Paragraph> before, IReadOnlyList<Paragraph> after)
    {
        var older = before.FirstOrDefault(p => p.Id == ParagraphId)?.Text;
        var newer = after.FirstOrDefault(p => p.Id == ParagraphId)?.Text;
        var start = older is null || newer is null || Start < 0 ? null : Spans.Follow(older, newer, Start, Quote.Length);
        return this with { Start = start ?? -1 };
    }
}
