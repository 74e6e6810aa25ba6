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
    AdoptionView? Adoption,
    IReadOnlyList<AmendmentView> Amendments);

public sealed record PersonView(string PersonId, string Name, string? ActingFor, string Role)
{
    public static PersonView Of(Actor actor) => new(actor.PersonId, actor.PersonName, actor.ActingFor, actor.Role);
}

/// <summary>The latest vote of one Land; <see cref="OnCurrentText"/> is false once the text has changed since.</summary>
public sealed record LandVoteView(string Land, string LandName, VoteChoice Choice, int TextVersion, string TextHash, bool OnCurrentText, PersonView CastBy, DateTimeOffset CastAt);

public sealed record CommentView(Guid Id, string? ParagraphId, string Text, int TextVersion, PersonView By, DateTimeOffset At);

public sealed record AdoptionView(int TextVersion, string TextHash, string Rule, IReadOnlyList<string> Yes, IReadOnlyList<string> No, IReadOnlyList<string> Abstain, PersonView AdoptedBy, DateTimeOffset AdoptedAt);

/// <summary>
/// An amendment with its state. While open, <see cref="Conflicting"/> says whether a paragraph it touches changed since
/// its base; <see cref="Conflicts"/> then holds base, current and proposed text of each such paragraph side by side.
/// </summary>
public sealed record AmendmentView(
    Guid Id,
    int Number,
    AmendmentStatus Status,
    int BaseTextVersion,
    IReadOnlyList<AmendmentChange> Changes,
    string Rationale,
    PersonView ProposedBy,
    DateTimeOffset ProposedAt,
    IReadOnlyList<string> Supporters,
    bool Conflicting,
    IReadOnlyList<ParagraphConflict> Conflicts,
    AmendmentDecisionView? Decision);

public sealed record AmendmentDecisionView(AmendmentStatus Outcome, bool WithChanges, string? Reason, int? TextVersion, PersonView By, DateTimeOffset At);

public sealed class ResolutionViewProjection : SingleStreamProjection<ResolutionView, Guid>
{
    public override ResolutionView? Evolve(ResolutionView? view, Guid id, IEvent e) => Apply(view, e.Data, e.Version);

    public static ResolutionView? Apply(ResolutionView? view, object data, long version) => (view, data) switch
    {
        (null, ResolutionProposed p) => new ResolutionView(
            p.ResolutionId, p.Body, p.Title, ResolutionStatus.UnderNegotiation, version, p.TextVersion, p.TextHash,
            p.Paragraphs, [], [], PersonView.Of(p.ProposedBy), p.ProposedAt, p.ProposedAt, null, []),
        (not null, ResolutionTextEdited t) => view with
        {
            Version = version,
            TextVersion = t.TextVersion,
            TextHash = t.TextHash,
            Paragraphs = t.Paragraphs,
            Votes = [.. view.Votes.Select(v => v with { OnCurrentText = v.TextVersion == t.TextVersion })],
            Amendments = [.. view.Amendments.Select(a => Recheck(a, t.Paragraphs))],
            LastChangedAt = t.EditedAt,
        },
        (not null, AmendmentProposed a) => view with
        {
            Version = version,
            Amendments = [.. view.Amendments, Recheck(new AmendmentView(a.AmendmentId, a.Number, AmendmentStatus.Open, a.BaseTextVersion, a.Changes,
                a.Rationale, PersonView.Of(a.ProposedBy), a.ProposedAt, [], false, [], null), view.Paragraphs)],
            LastChangedAt = a.ProposedAt,
        },
        (not null, AmendmentSupported a) => WithAmendment(view, version, a.AmendmentId, a.SupportedAt,
            x => x with { Supporters = [.. x.Supporters.Append(a.SupportedBy.ActingFor ?? "").Distinct().Order(StringComparer.Ordinal)] }),
        (not null, AmendmentRevised a) => WithAmendment(view, version, a.AmendmentId, a.RevisedAt,
            x => Recheck(x with { BaseTextVersion = a.BaseTextVersion, Changes = a.Changes, Rationale = a.Rationale, Supporters = [] }, view.Paragraphs)),
        (not null, AmendmentAccepted a) => WithAmendment(view, version, a.AmendmentId, a.AcceptedAt,
            x => x with
            {
                Status = AmendmentStatus.Accepted, Conflicting = false, Conflicts = [],
                Decision = new AmendmentDecisionView(AmendmentStatus.Accepted, a.WithChanges, null, a.TextVersion, PersonView.Of(a.AcceptedBy), a.AcceptedAt),
            }),
        (not null, AmendmentRejected a) => WithAmendment(view, version, a.AmendmentId, a.RejectedAt,
            x => x with
            {
                Status = AmendmentStatus.Rejected, Conflicting = false, Conflicts = [],
                Decision = new AmendmentDecisionView(AmendmentStatus.Rejected, false, a.Reason, null, PersonView.Of(a.RejectedBy), a.RejectedAt),
            }),
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

    private static ResolutionView WithAmendment(ResolutionView view, long version, Guid id, DateTimeOffset at, Func<AmendmentView, AmendmentView> change) =>
        view with
        {
            Version = version,
            Amendments = [.. view.Amendments.Select(a => a.Id == id ? change(a) : a)],
            LastChangedAt = at,
        };

    private static AmendmentView Recheck(AmendmentView amendment, IReadOnlyList<Paragraph> current)
    {
        if (amendment.Status != AmendmentStatus.Open) return amendment;
        var conflicts = TextMerge.Conflicts(current, AmendmentDecisions.ToTextChanges(amendment.Changes));
        return amendment with { Conflicting = conflicts.Count > 0, Conflicts = conflicts };
    }
}
