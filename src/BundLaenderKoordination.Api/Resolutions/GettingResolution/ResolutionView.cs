using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions.Positions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using JasperFx.Events;
using Marten;
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
    IReadOnlyList<AmendmentView> Amendments,
    IReadOnlyList<BracketView> Brackets)
{
    /// <summary>Every ballot on the resolution, the open one last, with its recorded rule and, once closed, its result.</summary>
    public IReadOnlyList<BallotView> Ballots { get; init; } = [];

    /// <summary>Every written procedure on the resolution, the running one last.</summary>
    public IReadOnlyList<WrittenProcedureView> WrittenProcedures { get; init; } = [];

    /// <summary>The latest position of each Land on the draft (not votes), by Land.</summary>
    public IReadOnlyList<PositionView> Positions { get; init; } = [];

    /// <summary>Protokollerklärungen attached after adoption; they change no count.</summary>
    public IReadOnlyList<DeclarationView> Declarations { get; init; } = [];

    public WithdrawalView? Withdrawal { get; init; }

    /// <summary>The group that alone may read the resolution (Land codes, "chair"); empty when it is open to all readers.</summary>
    public IReadOnlyList<string> RestrictedTo { get; init; } = [];
}

public sealed record PositionView(string Land, Position Position, string? Remark, int TextVersion, PersonView RecordedBy, DateTimeOffset RecordedAt);

public sealed record DeclarationView(Guid Id, IReadOnlyList<string> Lands, string Text, PersonView AttachedBy, DateTimeOffset AttachedAt);

public sealed record WithdrawalView(string Reason, PersonView WithdrawnBy, DateTimeOffset WithdrawnAt);

public enum WrittenProcedureStatus
{
    Running,
    Adopted,
    NotAdopted,
    Objected,
}

public sealed record WrittenProcedureView(
    Guid Id,
    WrittenProcedureMode Mode,
    string RuleText,
    int TextVersion,
    string TextHash,
    DateTimeOffset Deadline,
    WrittenProcedureStatus Status,
    IReadOnlyList<string> Consents,
    IReadOnlyList<string> Objections,
    string? Explanation,
    Guid? ReferredToSession,
    PersonView StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt)
{
    /// <summary>The Länder whose consent or objection carries its author's passkey signature (docs/audit.md, signed acts).</summary>
    public IReadOnlyList<string> Signed { get; init; } = [];
}

public enum BallotStatus
{
    Open,
    Closed,
    Cancelled,
}

public sealed record BallotView(
    Guid Id,
    int Number,
    string MatterType,
    VotingRule Rule,
    string RuleText,
    int TextVersion,
    string TextHash,
    BallotStatus Status,
    IReadOnlyList<BallotVoteView> Votes,
    PersonView OpenedBy,
    DateTimeOffset OpenedAt,
    BallotResultView? Result,
    string? CancellationReason)
{
    public DateTimeOffset? Deadline { get; init; }
}

public sealed record BallotVoteView(string Land, VoteChoice Choice, PersonView CastBy, DateTimeOffset CastAt);

public sealed record BallotResultView(IReadOnlyList<string> Yes, IReadOnlyList<string> No, IReadOnlyList<string> Abstain, bool Adopted, string Explanation,
    PersonView ClosedBy, DateTimeOffset ClosedAt);

public sealed record PersonView(string PersonId, string Name, string? ActingFor, string Role)
{
    public static PersonView Of(Actor actor) => new(actor.PersonId, actor.PersonName, actor.ActingFor, actor.Role);
}

/// <summary>The latest vote of one Land; <see cref="OnCurrentText"/> is false once the text has changed since.</summary>
public sealed record LandVoteView(string Land, string LandName, VoteChoice Choice, int TextVersion, string TextHash, bool OnCurrentText, PersonView CastBy, DateTimeOffset CastAt)
{
    /// <summary>The vote carries its author's passkey signature, verified when it was recorded (docs/audit.md, signed acts).</summary>
    public bool Signed { get; init; }
}

/// <summary>
/// A comment and its thread. It follows its paragraph (<see cref="ParagraphId"/>) into later text versions. Anchored to a
/// passage, <see cref="QuoteStart"/> is where <see cref="Quote"/> stands in the paragraph of the current text (UTF-16
/// code units); once an edit changed the passage (or, without a quote, the paragraph) or removed the paragraph, the
/// comment is <see cref="Outdated"/>, and <see cref="WrittenAgainst"/> shows the paragraph as it read when written.
/// </summary>
public sealed record CommentView(
    Guid Id,
    string? ParagraphId,
    string Text,
    int TextVersion,
    PersonView By,
    DateTimeOffset At,
    string? Quote = null,
    int? QuoteStart = null,
    bool Outdated = false,
    string? WrittenAgainst = null,
    IReadOnlyList<CommentReplyView>? Replies = null,
    bool Resolved = false,
    CommentResolutionView? Resolution = null);

public sealed record CommentReplyView(Guid Id, string Text, int TextVersion, PersonView By, DateTimeOffset At);

/// <summary>Who settled the thread and when; cleared when it is reopened (the events keep both).</summary>
public sealed record CommentResolutionView(PersonView ResolvedBy, DateTimeOffset ResolvedAt);

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

public sealed record AmendmentDecisionView(AmendmentStatus Outcome, bool WithChanges, string? Reason, int? TextVersion, PersonView By, DateTimeOffset At)
{
    /// <summary>Accepted with changes: the changes as applied, one for each proposed change and in the same order.</summary>
    public IReadOnlyList<AmendmentChange>? Applied { get; init; }
}

/// <summary>
/// A bracketed passage. While <see cref="Open"/>, <see cref="Start"/> is where <see cref="Quote"/> stands in its
/// paragraph of the current text (UTF-16 code units), so a reader can show it in square brackets with the alternatives.
/// </summary>
public sealed record BracketView(
    Guid Id,
    int Number,
    bool Open,
    string ParagraphId,
    string Quote,
    int Start,
    IReadOnlyList<BracketAlternativeView> Alternatives,
    PersonView BracketedBy,
    DateTimeOffset BracketedAt,
    BracketResolutionView? Resolution);

/// <summary>A proposed wording; number 0 is never listed, it stands for the bracketed wording itself.</summary>
public sealed record BracketAlternativeView(int Number, string Wording, PersonView ProposedBy);

public sealed record BracketResolutionView(string AgreedWording, int? ChosenAlternative, int TextVersion, PersonView ResolvedBy, DateTimeOffset ResolvedAt);

public sealed class ResolutionViewProjection : SingleStreamProjection<ResolutionView, Guid>
{
    public override ResolutionView? Evolve(ResolutionView? view, Guid id, IEvent e) => Next(view, e.Data);

    /// <summary>
    /// The read model as of the stream's last commit, although the projection daemon keeps it off the command path: the
    /// stored view and the stream's version in one round trip; only when the daemon has not caught up yet, the events
    /// after the stored view in a second one, folded on top (decision 30). A caller so always reads their own write.
    /// </summary>
    public static async Task<ResolutionView?> LatestAsync(IQuerySession session, Guid id, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var loading = batch.Load<ResolutionView>(id);
        var stating = batch.Events.FetchStreamState(id);
        await batch.Execute(ct);
        var (view, stream) = (await loading, await stating);
        if (stream is null) return null;
        // The daemon may write a newer view between the two reads; a newer view is as good.
        if (view is not null && view.Version >= stream.Version) return view;
        var events = await session.Events.FetchStreamAsync(id, version: stream.Version, fromVersion: (view?.Version ?? 0) + 1, token: ct);
        foreach (var e in events) view = Next(view, e.Data);
        return view;
    }

    /// <summary>
    /// One event further. The view counts its own version (every event of the stream is one step), so it is right
    /// whichever way the events were appended, including appends whose versions the server assigns.
    /// </summary>
    public static ResolutionView? Next(ResolutionView? view, object data) => Step(view, data, (view?.Version ?? 0) + 1);

    private static ResolutionView? Step(ResolutionView? view, object data, long version) => (view, data) switch
    {
        (null, ResolutionProposed p) => new ResolutionView(
            p.ResolutionId, p.Body, p.Title, ResolutionStatus.UnderNegotiation, version, p.TextVersion, p.TextHash,
            p.Paragraphs, [], [], PersonView.Of(p.ProposedBy), p.ProposedAt, p.ProposedAt, null, [], []) { RestrictedTo = p.RestrictedTo ?? [] },
        (not null, ResolutionRestrictionChanged r) => view with { Version = version, RestrictedTo = r.RestrictedTo, LastChangedAt = r.ChangedAt },
        (not null, ResolutionTextEdited t) => view with
        {
            Version = version,
            TextVersion = t.TextVersion,
            TextHash = t.TextHash,
            Paragraphs = t.Paragraphs,
            Votes = [.. view.Votes.Select(v => v with { OnCurrentText = v.TextVersion == t.TextVersion })],
            Amendments = [.. view.Amendments.Select(a => Recheck(a, t.Paragraphs))],
            Brackets = [.. view.Brackets.Select(b => b.Open ? b with { Start = Follow(b.ParagraphId, b.Start, b.Quote.Length, view.Paragraphs, t.Paragraphs) } : b)],
            Comments = FollowComments(view.Comments, view.Paragraphs, t.Paragraphs),
            LastChangedAt = t.EditedAt,
        },
        (not null, PassageBracketed b) => view with
        {
            Version = version,
            Brackets = [.. view.Brackets, new BracketView(b.BracketId, b.Number, true, b.ParagraphId, b.Quote, b.QuoteStart,
                [.. b.Alternatives.Select((w, i) => new BracketAlternativeView(i + 1, w, PersonView.Of(b.BracketedBy)))],
                PersonView.Of(b.BracketedBy), b.BracketedAt, null)],
            LastChangedAt = b.BracketedAt,
        },
        (not null, BracketAlternativeProposed b) => WithBracket(view, version, b.BracketId, b.ProposedAt,
            x => x with { Alternatives = [.. x.Alternatives, new BracketAlternativeView(x.Alternatives.Count + 1, b.Wording, PersonView.Of(b.ProposedBy))] }),
        (not null, BracketResolved b) => WithBracket(view, version, b.BracketId, b.ResolvedAt,
            x => x with { Open = false, Resolution = new BracketResolutionView(b.AgreedWording, b.ChosenAlternative, b.TextVersion, PersonView.Of(b.ResolvedBy), b.ResolvedAt) }),
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
                Decision = new AmendmentDecisionView(AmendmentStatus.Accepted, a.WithChanges, a.Reason, a.TextVersion, PersonView.Of(a.AcceptedBy), a.AcceptedAt)
                {
                    Applied = a.WithChanges ? a.AppliedChanges : null,
                },
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
            Comments = [.. view.Comments, new CommentView(c.CommentId, c.ParagraphId, c.Text, c.TextVersion, PersonView.Of(c.CommentedBy), c.CommentedAt,
                c.Quote, c.QuoteStart, false, view.Paragraphs.FirstOrDefault(p => p.Id == c.ParagraphId)?.Text, [], false, null)],
            LastChangedAt = c.CommentedAt,
        },
        (not null, CommentReplied r) => WithComment(view, version, r.CommentId, r.RepliedAt,
            x => x with { Replies = [.. x.Replies ?? [], new CommentReplyView(r.ReplyId, r.Text, r.TextVersion, PersonView.Of(r.RepliedBy), r.RepliedAt)] }),
        (not null, CommentResolved r) => WithComment(view, version, r.CommentId, r.ResolvedAt,
            x => x with { Resolved = true, Resolution = new CommentResolutionView(PersonView.Of(r.ResolvedBy), r.ResolvedAt) }),
        (not null, CommentReopened r) => WithComment(view, version, r.CommentId, r.ReopenedAt,
            x => x with { Resolved = false, Resolution = null }),
        (not null, VoteCast v) => view with
        {
            Version = version,
            Ballots = v.BallotId is { } ballotId
                ? [.. view.Ballots.Select(b => b.Id == ballotId
                    ? b with { Votes = [.. b.Votes.Where(x => x.Land != v.Land).Append(new BallotVoteView(v.Land, v.Choice, PersonView.Of(v.CastBy), v.CastAt)).OrderBy(x => x.Land, StringComparer.Ordinal)] }
                    : b)]
                : view.Ballots,
            Votes = [.. view.Votes.Where(x => x.Land != v.Land)
                .Append(new LandVoteView(v.Land, Lands.NameOf(v.Land), v.Choice, v.TextVersion, v.TextHash, v.TextVersion == view.TextVersion, PersonView.Of(v.CastBy), v.CastAt)
                    { Signed = v.Signature is not null })
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
        (not null, BallotOpened b) => view with
        {
            Version = version,
            Ballots = [.. view.Ballots, new BallotView(b.BallotId, b.Number, b.MatterType, b.Rule, b.RuleText, b.TextVersion, b.TextHash, BallotStatus.Open,
                [], PersonView.Of(b.OpenedBy), b.OpenedAt, null, null) { Deadline = b.Deadline }],
            LastChangedAt = b.OpenedAt,
        },
        (not null, BallotCancelled b) => WithBallot(view, version, b.BallotId, b.CancelledAt,
            x => x with { Status = BallotStatus.Cancelled, CancellationReason = b.Reason }),
        (not null, BallotDeadlineChanged b) => WithBallot(view, version, b.BallotId, b.ChangedAt, x => x with { Deadline = b.NewDeadline }),
        (not null, BallotClosed b) => WithBallot(view, version, b.BallotId, b.ClosedAt,
            x => x with { Status = BallotStatus.Closed, Result = new BallotResultView(b.Yes, b.No, b.Abstain, b.Adopted, b.Explanation, PersonView.Of(b.ClosedBy), b.ClosedAt) }),
        (not null, WrittenProcedureStarted w) => view with
        {
            Version = version,
            WrittenProcedures = [.. view.WrittenProcedures, new WrittenProcedureView(w.ProcedureId, w.Mode, w.RuleText, w.TextVersion, w.TextHash, w.Deadline,
                WrittenProcedureStatus.Running, [], [], null, null, PersonView.Of(w.StartedBy), w.StartedAt, null)],
            LastChangedAt = w.StartedAt,
        },
        (not null, WrittenConsentGiven w) => WithProcedure(view, version, w.ProcedureId, w.GivenAt,
            x => x with
            {
                Consents = [.. x.Consents.Append(w.Land).Distinct().Order(StringComparer.Ordinal)],
                Signed = w.Signature is null ? x.Signed : [.. x.Signed.Append(w.Land).Distinct().Order(StringComparer.Ordinal)],
            }),
        (not null, WrittenObjectionRaised w) => WithProcedure(view, version, w.ProcedureId, w.RaisedAt,
            x => x with
            {
                Objections = [.. x.Objections.Append(w.Land).Distinct().Order(StringComparer.Ordinal)],
                Signed = w.Signature is null ? x.Signed : [.. x.Signed.Append(w.Land).Distinct().Order(StringComparer.Ordinal)],
            }),
        (not null, WrittenProcedureEnded w) => WithProcedure(view, version, w.ProcedureId, w.EndedAt,
            x => x with
            {
                Status = w.Outcome switch
                {
                    WrittenProcedureOutcome.Adopted => WrittenProcedureStatus.Adopted,
                    WrittenProcedureOutcome.Objected => WrittenProcedureStatus.Objected,
                    _ => WrittenProcedureStatus.NotAdopted,
                },
                Explanation = w.Explanation,
                ReferredToSession = w.ReferredToSession,
                EndedAt = w.EndedAt,
            }),
        (not null, PositionRecorded p) => view with
        {
            Version = version,
            Positions = [.. view.Positions.Where(x => x.Land != p.Land)
                .Append(new PositionView(p.Land, p.Position, p.Remark, p.TextVersion, PersonView.Of(p.RecordedBy), p.RecordedAt))
                .OrderBy(x => x.Land, StringComparer.Ordinal)],
            LastChangedAt = p.RecordedAt,
        },
        (not null, DeclarationAttached d) => view with
        {
            Version = version,
            Declarations = [.. view.Declarations, new DeclarationView(d.DeclarationId, [d.Land], d.Text, PersonView.Of(d.AttachedBy), d.AttachedAt)],
            LastChangedAt = d.AttachedAt,
        },
        (not null, DeclarationJoined d) => view with
        {
            Version = version,
            Declarations = [.. view.Declarations.Select(x => x.Id == d.DeclarationId
                ? x with { Lands = [.. x.Lands.Append(d.Land).Distinct().Order(StringComparer.Ordinal)] }
                : x)],
            LastChangedAt = d.JoinedAt,
        },
        (not null, ResolutionWithdrawn w) => view with
        {
            Version = version,
            Status = ResolutionStatus.Withdrawn,
            Withdrawal = new WithdrawalView(w.Reason, PersonView.Of(w.WithdrawnBy), w.WithdrawnAt),
            LastChangedAt = w.WithdrawnAt,
        },
        (not null, ResolutionRejected r) => view with { Version = version, Status = ResolutionStatus.Rejected, LastChangedAt = r.RejectedAt },
        _ => view is null ? null : view with { Version = version },
    };

    private static ResolutionView WithAmendment(ResolutionView view, long version, Guid id, DateTimeOffset at, Func<AmendmentView, AmendmentView> change) =>
        view with
        {
            Version = version,
            Amendments = [.. view.Amendments.Select(a => a.Id == id ? change(a) : a)],
            LastChangedAt = at,
        };

    private static ResolutionView WithProcedure(ResolutionView view, long version, Guid id, DateTimeOffset at, Func<WrittenProcedureView, WrittenProcedureView> change) =>
        view with
        {
            Version = version,
            WrittenProcedures = [.. view.WrittenProcedures.Select(p => p.Id == id ? change(p) : p)],
            LastChangedAt = at,
        };

    private static ResolutionView WithBallot(ResolutionView view, long version, Guid id, DateTimeOffset at, Func<BallotView, BallotView> change) =>
        view with
        {
            Version = version,
            Ballots = [.. view.Ballots.Select(b => b.Id == id ? change(b) : b)],
            LastChangedAt = at,
        };

    private static ResolutionView WithComment(ResolutionView view, long version, Guid id, DateTimeOffset at, Func<CommentView, CommentView> change) =>
        view with
        {
            Version = version,
            Comments = [.. view.Comments.Select(c => c.Id == id ? change(c) : c)],
            LastChangedAt = at,
        };

    /// <summary>
    /// The comments after an edit: a quoted passage moved along, or the comment outdated for good once the edit touched
    /// its anchor. The word diff of a changed paragraph is computed once, however many comments quote it.
    /// </summary>
    private static IReadOnlyList<CommentView> FollowComments(IReadOnlyList<CommentView> comments, IReadOnlyList<Paragraph> before, IReadOnlyList<Paragraph> after)
    {
        if (comments.Count == 0) return comments;
        var older = before.ToDictionary(p => p.Id, p => p.Text, StringComparer.Ordinal);
        var newer = after.ToDictionary(p => p.Id, p => p.Text, StringComparer.Ordinal);
        var runs = new Dictionary<string, IReadOnlyList<DiffRun>>(StringComparer.Ordinal);
        return [.. comments.Select(comment =>
        {
            if (comment.ParagraphId is not { } id || comment.Outdated) return comment;
            if (!older.TryGetValue(id, out var was) || !newer.TryGetValue(id, out var @is)) return comment with { Outdated = true, QuoteStart = null };
            if (was == @is) return comment;
            if (comment.Quote is not { } quote || comment.QuoteStart is not { } start) return comment with { Outdated = true };
            if (!runs.TryGetValue(id, out var paragraphRuns)) runs[id] = paragraphRuns = TextDiff.Words(was, @is);
            return Spans.Follow(paragraphRuns, start, quote.Length) is { } moved
                ? comment with { QuoteStart = moved }
                : comment with { Outdated = true, QuoteStart = null };
        })];
    }

    private static AmendmentView Recheck(AmendmentView amendment, IReadOnlyList<Paragraph> current)
    {
        if (amendment.Status != AmendmentStatus.Open) return amendment;
        var conflicts = TextMerge.Conflicts(current, AmendmentDecisions.ToTextChanges(amendment.Changes));
        return amendment with { Conflicting = conflicts.Count > 0, Conflicts = conflicts };
    }

    private static ResolutionView WithBracket(ResolutionView view, long version, Guid id, DateTimeOffset at, Func<BracketView, BracketView> change) =>
        view with
        {
            Version = version,
            Brackets = [.. view.Brackets.Select(b => b.Id == id ? change(b) : b)],
            LastChangedAt = at,
        };

    /// <summary>Where a span of a paragraph stands after an edit; -1 once the edit touched it or removed the paragraph.</summary>
    internal static int Follow(string paragraphId, int start, int length, IReadOnlyList<Paragraph> before, IReadOnlyList<Paragraph> after)
    {
        var older = before.FirstOrDefault(p => p.Id == paragraphId)?.Text;
        var newer = after.FirstOrDefault(p => p.Id == paragraphId)?.Text;
        return older is null || newer is null || start < 0 ? -1 : Spans.Follow(older, newer, start, length) ?? -1;
    }
}
