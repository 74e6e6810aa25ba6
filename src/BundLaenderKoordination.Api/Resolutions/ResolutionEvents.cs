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
    DateTimeOffset ProposedAt);

public sealed record ResolutionTextEdited(
    Guid ResolutionId,
    IReadOnlyList<Paragraph> Paragraphs,
    int TextVersion,
    string TextHash,
    Actor EditedBy,
    DateTimeOffset EditedAt,
    int? BaseTextVersion = null);

public sealed record CommentAdded(
    Guid ResolutionId,
    Guid CommentId,
    string? ParagraphId,
    string Text,
    int TextVersion,
    Actor CommentedBy,
    DateTimeOffset CommentedAt);

public sealed record VoteCast(
    Guid ResolutionId,
    string Land,
    VoteChoice Choice,
    int TextVersion,
    string TextHash,
    Actor CastBy,
    DateTimeOffset CastAt);

public sealed record ResolutionAdopted(
    Guid ResolutionId,
    int TextVersion,
    string TextHash,
    string Rule,
    IReadOnlyList<string> YesVotes,
    IReadOnlyList<string> NoVotes,
    IReadOnlyList<string> Abstentions,
    Actor AdoptedBy,
    DateTimeOffset AdoptedAt);

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
}
