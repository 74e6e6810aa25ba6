using BundLaenderKoordination.Api.Identity;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace BundLaenderKoordination.Api.Resolutions.GettingResolution;

/// <summary>
/// What a reader sees of a resolution: the current text with paragraph ids, the current vote of each Land, comments.
/// Kept current inline with every append; the same projection folds the stream up to a version or instant for history.
/// </summary>
public sealed record ResolutionView(
    Guid Id,
    string Body,
    string Title,
    ResolutionStatus Status,
    long Version,
    int TextVersion,
    string TextHash,
    IReadOnlyList<Paragraph> Paragraphs,
    IReadOnlyList<LandVoteView> Votes,
    IReadOnlyList<CommentView> Comments,
    PersonView ProposedBy,
    DateTimeOffset ProposedAt,
    DateTimeOffset LastChangedAt,
    AdoptionView? Adoption);

public sealed record PersonView(string PersonId, string Name, string? ActingFor, string Role)
{
    public static PersonView Of(Actor actor) => new(actor.PersonId, actor.PersonName, actor.ActingFor, actor.Role);
}

/// <summary>The latest vote of one Land; <see cref="OnCurrentText"/> is false once the text has changed since.</summary>
public sealed record LandVoteView(string Land, string LandName, VoteChoice Choice, int TextVersion, string TextHash, bool OnCurrentText, PersonView CastBy, DateTimeOffset CastAt);

public sealed record CommentView(Guid Id, string? ParagraphId, string Text, int TextVersion, PersonView By, DateTimeOffset At);

public sealed record AdoptionView(int TextVersion, string TextHash, string Rule, IReadOnlyList<string> Yes, IReadOnlyList<string> No, IReadOnlyList<string> Abstain, PersonView AdoptedBy, DateTimeOffset AdoptedAt);

public sealed class ResolutionViewProjection : SingleStreamProjection<ResolutionView, Guid>
{
    public override ResolutionView? Evolve(ResolutionView? view, Guid id, IEvent e) => Next(view, e.Data);

    /// <summary>
    /// One event further. The view counts its own version (every event of the stream is one step), so it is right
    /// whichever way the events were appended, including appends whose versions the server assigns.
    /// </summary>
    public static ResolutionView? Next(ResolutionView? view, object data) => Step(view, data, (view?.Version ?? 0) + 1);

    private static ResolutionView? Step(ResolutionView? view, object data, long version) => (view, data) switch
    {
        (null, ResolutionProposed p) => new ResolutionView(
            p.ResolutionId, p.Body, p.Title, ResolutionStatus.UnderNegotiation, version, p.TextVersion, p.TextHash,
            p.Paragraphs, [], [], PersonView.Of(p.ProposedBy), p.ProposedAt, p.ProposedAt, null),
        (not null, ResolutionTextEdited t) => view with
        {
            Version = version,
            TextVersion = t.TextVersion,
            TextHash = t.TextHash,
            Paragraphs = t.Paragraphs,
            Votes = [.. view.Votes.Select(v => v with { OnCurrentText = v.TextVersion == t.TextVersion })],
            LastChangedAt = t.EditedAt,
        },
        (not null, CommentAdded c) => view with
        {
            Version = version,
            Comments = [.. view.Comments, new CommentView(c.CommentId, c.ParagraphId, c.Text, c.TextVersion, PersonView.Of(c.CommentedBy), c.CommentedAt)],
            LastChangedAt = c.CommentedAt,
        },
        (not null, VoteCast v) => view with
        {
            Version = version,
            Votes = [.. view.Votes.Where(x => x.Land != v.Land)
                .Append(new LandVoteView(v.Land, Lands.NameOf(v.Land), v.Choice, v.TextVersion, v.TextHash, v.TextVersion == view.TextVersion, PersonView.Of(v.CastBy), v.CastAt))
                .OrderBy(x => x.Land, StringComparer.Ordinal)],
            LastChangedAt = v.CastAt,
        },
        (not null, ResolutionAdopted a) => view with
        {
            Version = version,
            Status = ResolutionStatus.Adopted,
            Adoption = new AdoptionView(a.TextVersion, a.TextHash, a.Rule, a.YesVotes, a.NoVotes, a.Abstentions, PersonView.Of(a.AdoptedBy), a.AdoptedAt),
            LastChangedAt = a.AdoptedAt,
        },
        _ => view is null ? null : view with { Version = version },
    };
}
