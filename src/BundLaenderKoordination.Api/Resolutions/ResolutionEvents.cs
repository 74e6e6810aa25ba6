using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;

namespace BundLaenderKoordination.Api.Resolutions;

// The events of a resolution stream. Each is a fact forever: its stored name (ResolutionsConfiguration) and its
// fields are a contract listed in docs/events.md. Every event names who acted, for whom, and when.

public sealed record ResolutionProposed(
    Guid ResolutionId,
    string Body,
    string Title,
    IReadOnlyList<Paragraph> Paragraphs,
    int TextVersion,
    string TextHash,
    Actor ProposedBy,
    DateTimeOffset ProposedAt,
    IReadOnlyList<string>? RestrictedTo = null);

/// <summary>
/// Who may read the resolution, widened (members kept, others added) or opened to all readers (<c>RestrictedTo</c>
/// empty). <c>Before</c> is the group until now.
/// </summary>
public sealed record ResolutionRestrictionChanged(
    Guid ResolutionId,
    IReadOnlyList<string> RestrictedTo,
    IReadOnlyList<string> Before,
    Actor ChangedBy,
    DateTimeOffset ChangedAt);

public sealed record ResolutionTextEdited(
    Guid ResolutionId,
    IReadOnlyList<Paragraph> Paragraphs,
    int TextVersion,
    string TextHash,
    Actor EditedBy,
    DateTimeOffset EditedAt,
    int? BaseTextVersion = null);

/// <summary>
/// A comment on the resolution, on a paragraph, or on a passage of a paragraph: <c>Quote</c> found at <c>QuoteStart</c>
/// (UTF-16 code units) in the paragraph at text version <c>TextVersion</c>. Comments written before passages could be
/// quoted carry neither.
/// </summary>
public sealed record CommentAdded(
    Guid ResolutionId,
    Guid CommentId,
    string? ParagraphId,
    string Text,
    int TextVersion,
    Actor CommentedBy,
    DateTimeOffset CommentedAt,
    string? Quote = null,
    int? QuoteStart = null);

/// <summary>A reply in the thread a comment opened; replies are not anchored themselves, they follow the comment.</summary>
public sealed record CommentReplied(
    Guid ResolutionId,
    Guid CommentId,
    Guid ReplyId,
    string Text,
    int TextVersion,
    Actor RepliedBy,
    DateTimeOffset RepliedAt);

public sealed record CommentResolved(
    Guid ResolutionId,
    Guid CommentId,
    Actor ResolvedBy,
    DateTimeOffset ResolvedAt);

public sealed record CommentReopened(
    Guid ResolutionId,
    Guid CommentId,
    Actor ReopenedBy,
    DateTimeOffset ReopenedAt);

public sealed record VoteCast(
    Guid ResolutionId,
    string Land,
    VoteChoice Choice,
    int TextVersion,
    string TextHash,
    Actor CastBy,
    DateTimeOffset CastAt,
    Guid? BallotId = null,
    // The author's passkey assertion over the act (Signing.ActSigning); absent on unsigned votes, also in the stored JSON.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    Signing.ActSignature? Signature = null);

public sealed record ResolutionAdopted(
    Guid ResolutionId,
    int TextVersion,
    string TextHash,
    string Rule,
    IReadOnlyList<string> YesVotes,
    IReadOnlyList<string> NoVotes,
    IReadOnlyList<string> Abstentions,
    Actor AdoptedBy,
    DateTimeOffset AdoptedAt,
    Guid? BallotId = null);

/// <summary>
/// The chair opens a ballot on the current text version. The rule in force for the matter type and the members with
/// their right to vote are copied in, so that a later change of the body's configuration never changes its judgement.
/// </summary>
public sealed record BallotOpened(
    Guid ResolutionId,
    Guid BallotId,
    int Number,
    string MatterType,
    VotingRule Rule,
    string RuleText,
    IReadOnlyList<BodyMember> Members,
    int TextVersion,
    string TextHash,
    Actor OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset? Deadline = null);

/// <summary>
/// The durable reminder that a ballot's deadline has come (a scheduled Wolverine message kept in PostgreSQL).
/// <c>Due</c> is the deadline it was scheduled for: when the chair has moved the deadline since, the reminder is void
/// (the one scheduled for the new deadline closes the ballot). Reminders stored before <c>Due</c> existed carry none.
/// </summary>
public sealed record BallotDeadline(Guid ResolutionId, Guid BallotId, DateTimeOffset? Due = null);

/// <summary>The chair moves the deadline of the open ballot; the ballot then closes by itself at the new one.</summary>
public sealed record BallotDeadlineChanged(
    Guid ResolutionId,
    Guid BallotId,
    DateTimeOffset? OldDeadline,
    DateTimeOffset NewDeadline,
    Actor ChangedBy,
    DateTimeOffset ChangedAt);

/// <summary>The chair cancels an open ballot (for instance to let the text be edited again); its votes are void.</summary>
public sealed record BallotCancelled(
    Guid ResolutionId,
    Guid BallotId,
    string Reason,
    Actor CancelledBy,
    DateTimeOffset CancelledAt);

/// <summary>The result of a ballot by the rule it recorded: the Länder per choice and whether the resolution is adopted.</summary>
public sealed record BallotClosed(
    Guid ResolutionId,
    Guid BallotId,
    int TextVersion,
    string TextHash,
    string MatterType,
    VotingRule Rule,
    string RuleText,
    IReadOnlyList<string> Yes,
    IReadOnlyList<string> No,
    IReadOnlyList<string> Abstain,
    bool Adopted,
    string Explanation,
    Actor ClosedBy,
    DateTimeOffset ClosedAt);

/// <summary>A ballot or a written procedure ended without the rule met; the text is frozen as it was voted on.</summary>
public sealed record ResolutionRejected(
    Guid ResolutionId,
    Guid? BallotId,
    int TextVersion,
    string TextHash,
    string Reason,
    Actor RejectedBy,
    DateTimeOffset RejectedAt);

/// <summary>
/// A Land's change proposal (Änderungsantrag) against the text as it read at <c>BaseTextVersion</c>. <c>Number</c>
/// counts the amendments of the resolution from 1 (as "Ä1, Ä2" in a session's papers).
/// </summary>
public sealed record AmendmentProposed(
    Guid ResolutionId,
    Guid AmendmentId,
    int Number,
    int BaseTextVersion,
    IReadOnlyList<AmendmentChange> Changes,
    string Rationale,
    Actor ProposedBy,
    DateTimeOffset ProposedAt);

public sealed record AmendmentSupported(
    Guid ResolutionId,
    Guid AmendmentId,
    Actor SupportedBy,
    DateTimeOffset SupportedAt);

/// <summary>The author's new wording, against a (usually newer) base; earlier support is withdrawn with it.</summary>
public sealed record AmendmentRevised(
    Guid ResolutionId,
    Guid AmendmentId,
    int BaseTextVersion,
    IReadOnlyList<AmendmentChange> Changes,
    string Rationale,
    Actor RevisedBy,
    DateTimeOffset RevisedAt);

/// <summary>
/// The amendment is accepted, as proposed or with the decider's changes (then against text version
/// <c>BaseTextVersion</c>); a <see cref="ResolutionTextEdited"/> with text version <c>TextVersion</c> follows it.
/// </summary>
public sealed record AmendmentAccepted(
    Guid ResolutionId,
    Guid AmendmentId,
    bool WithChanges,
    int BaseTextVersion,
    IReadOnlyList<AmendmentChange> AppliedChanges,
    int TextVersion,
    string TextHash,
    Actor AcceptedBy,
    DateTimeOffset AcceptedAt,
    string? Reason = null);

public sealed record AmendmentRejected(
    Guid ResolutionId,
    Guid AmendmentId,
    string? Reason,
    Actor RejectedBy,
    DateTimeOffset RejectedAt);

/// <summary>
/// A passage of a paragraph is in dispute (in square brackets) until resolved: <c>Quote</c> found at <c>QuoteStart</c>
/// (UTF-16 code units) in the paragraph at text version <c>TextVersion</c>, with the other wordings proposed so far.
/// </summary>
public sealed record PassageBracketed(
    Guid ResolutionId,
    Guid BracketId,
    int Number,
    string ParagraphId,
    int TextVersion,
    string Quote,
    int QuoteStart,
    IReadOnlyList<string> Alternatives,
    Actor BracketedBy,
    DateTimeOffset BracketedAt);

public sealed record BracketAlternativeProposed(
    Guid ResolutionId,
    Guid BracketId,
    string Wording,
    Actor ProposedBy,
    DateTimeOffset ProposedAt);

/// <summary>
/// The agreed wording replaces the bracketed passage. <c>ChosenAlternative</c>: 0 the bracketed wording itself, 1 and
/// up the alternatives in order, null a wording written at resolution. When the wording differs from the passage a
/// <see cref="ResolutionTextEdited"/> with text version <c>TextVersion</c> follows.
/// </summary>
public sealed record BracketResolved(
    Guid ResolutionId,
    Guid BracketId,
    string AgreedWording,
    int? ChosenAlternative,
    int TextVersion,
    string TextHash,
    Actor ResolvedBy,
    DateTimeOffset ResolvedAt);

public enum AmendmentChangeKind
{
    Replace,
    Insert,
    Delete,
    ReplaceSpan,
}

/// <summary>
/// One change of an amendment. Replace, Delete and ReplaceSpan name <c>ParagraphId</c> and carry its text at the base
/// (<c>BaseText</c>); Insert names the paragraph it follows in <c>After</c> (null: at the start). ReplaceSpan replaces
/// <c>Quote</c>, found at <c>QuoteStart</c> (UTF-16 code units) in the base text, with <c>Text</c>.
/// </summary>
public sealed record AmendmentChange(
    AmendmentChangeKind Kind,
    string? ParagraphId,
    string? After,
    string? BaseText,
    string? Quote,
    int? QuoteStart,
    string? Text);

public enum AmendmentStatus
{
    Open,
    Accepted,
    Rejected,
}

public enum VoteChoice
{
    Yes,
    No,
    Abstain,
}

public enum ResolutionStatus
{
    UnderNegotiation,
    Adopted,
    Rejected,
    Withdrawn,
}
