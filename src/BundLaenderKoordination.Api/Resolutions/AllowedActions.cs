using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>What a person may do on a resolution; each action names the decide function(s) that perform it.</summary>
public enum ResolutionAction
{
    /// <summary><see cref="ResolutionDecisions.EditText"/>, <see cref="ResolutionDecisions.EditFromBase"/>.</summary>
    Edit,
    /// <summary>Adding, replying to, resolving and reopening comments (<see cref="CommentDecisions"/>).</summary>
    Comment,
    /// <summary>Proposing and revising amendments (<see cref="AmendmentDecisions.Propose"/>, <see cref="AmendmentDecisions.Revise"/>).</summary>
    Amend,
    /// <summary><see cref="AmendmentDecisions.Support"/>.</summary>
    SupportAmendment,
    /// <summary><see cref="AmendmentDecisions.Accept"/>, <see cref="AmendmentDecisions.Reject"/>.</summary>
    DecideAmendment,
    /// <summary>Bracketing a passage and proposing an alternative wording (<see cref="BracketDecisions"/>).</summary>
    Bracket,
    /// <summary><see cref="BracketDecisions.Resolve"/>.</summary>
    ResolveBracket,
    /// <summary><see cref="ResolutionDecisions.Vote"/>.</summary>
    Vote,
    /// <summary><see cref="BallotDecisions.Open"/>.</summary>
    OpenBallot,
    /// <summary><see cref="BallotDecisions.Close"/>, <see cref="BallotDecisions.Cancel"/>.</summary>
    CloseBallot,
    /// <summary><see cref="BallotDecisions.Adopt"/>.</summary>
    Adopt,
    /// <summary><see cref="WrittenProcedures.WrittenProcedureDecisions.Start"/>.</summary>
    StartWrittenProcedure,
    /// <summary>Consent and objection (<see cref="WrittenProcedures.WrittenProcedureDecisions"/>).</summary>
    AnswerWrittenProcedure,
    /// <summary><see cref="Positions.PositionDecisions.Record"/>.</summary>
    RecordPosition,
    /// <summary>Attaching and joining a Protokollerklärung (<see cref="Positions.PositionDecisions"/>).</summary>
    Declare,
    /// <summary><see cref="Positions.PositionDecisions.Withdraw"/>.</summary>
    Withdraw,
    /// <summary><see cref="ResolutionDecisions.ChangeRestriction"/>.</summary>
    ChangeRestriction,
}

/// <summary>
/// The few facts of a resolution's state that decide whether a person may act on it now, taken from the write model
/// (<see cref="Of(Resolution)"/>) or from the read model the pages have (<see cref="Of(ResolutionView, Body)"/>), so
/// that the API and the pages ask <see cref="AllowedActions.For"/> the same question with the same answer.
/// </summary>
/// <param name="Status">Under negotiation, adopted, rejected or withdrawn.</param>
/// <param name="ProposingLand">The Land (or the Bund) that proposed the resolution: it withdraws, consolidates and may widen a restriction.</param>
/// <param name="Restricted">Readable by a group only: the body decides only on an open resolution.</param>
/// <param name="BallotMembers">The members (with their vote) the open ballot recorded; null when no ballot is open.</param>
/// <param name="ProcedureMembers">The members the running written procedure recorded; null when none is running.</param>
/// <param name="ProcedureConsents">The Länder that consented in the running written procedure.</param>
public sealed record ResolutionFacts(
    ResolutionStatus Status,
    string? ProposingLand,
    bool Restricted,
    IReadOnlyList<BodyMember>? BallotMembers,
    IReadOnlyList<BodyMember>? ProcedureMembers,
    IReadOnlySet<string> ProcedureConsents)
{
    public bool UnderNegotiation => Status == ResolutionStatus.UnderNegotiation;
    public bool BallotOpen => BallotMembers is not null;
    public bool ProcedureRunning => ProcedureMembers is not null;

    /// <summary>Whether a Land has answered the running written procedure (an objection ends it, so only consents remain).</summary>
    public bool Answered(string? land) => land is not null && ProcedureConsents.Contains(land);

    public static ResolutionFacts Of(Resolution state) => new(
        state.Status, state.ProposingLand, state.RestrictedTo.Count > 0,
        state.OpenBallot is { } ballot ? ballot.Members : null,
        state.WrittenProcedure is { } procedure ? procedure.Members : null,
        state.WrittenProcedure?.Consents ?? (IReadOnlySet<string>)new HashSet<string>());

    /// <summary>
    /// The same facts from the read model. It does not keep the members a ballot or written procedure recorded when it
    /// opened; they are the body's members unless the body was reconfigured meanwhile, so the body's members stand in.
    /// </summary>
    public static ResolutionFacts Of(ResolutionView view, Body body)
    {
        var procedure = view.WrittenProcedures.LastOrDefault(p => p.Status == WrittenProcedureStatus.Running);
        return new(
            view.Status, view.ProposedBy.ActingFor, view.RestrictedTo.Count > 0,
            view.Ballots.Any(b => b.Status == BallotStatus.Open) ? body.Members : null,
            procedure is null ? null : body.Members,
            procedure is null ? new HashSet<string>() : procedure.Consents.ToHashSet());
    }
}

/// <summary>
/// The one answer to "may this person do this on this resolution now": who the caller is in the body (their mandate's
/// Land and role, the chair in office on this date) combined with the state the action needs (negotiation still open,
/// no ballot or written procedure in the way). The decide functions take their refusal for who the caller is from
/// <see cref="Refusal"/>, so the pages, which offer a form exactly when its flag here is set, cannot drift from what
/// the API accepts. Rules about the input (the text version voted on is current, no passage in brackets, the adoption
/// rule is met) stay in the decide functions: they are not about the person.
/// </summary>
public sealed record AllowedActions(
    bool Edit,
    bool Comment,
    bool Amend,
    bool SupportAmendment,
    bool DecideAmendment,
    bool Bracket,
    bool ResolveBracket,
    bool Vote,
    bool OpenBallot,
    bool CloseBallot,
    bool Adopt,
    bool StartWrittenProcedure,
    bool AnswerWrittenProcedure,
    bool RecordPosition,
    bool Declare,
    bool Withdraw,
    bool ChangeRestriction)
{
    /// <summary>Nothing allowed: for a reader whose body could not be read.</summary>
    public static readonly AllowedActions None = new(false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false);

    /// <param name="body">The resolution's body.</param>
    /// <param name="caller">The caller as they act in that body (<see cref="Caller.In"/>): Land and role from their mandate there.</param>
    /// <param name="now">Decides the chair in office.</param>
    /// <param name="facts">The resolution's state as far as these rules need it.</param>
    public static AllowedActions For(Body body, Caller caller, DateTimeOffset now, ResolutionFacts facts)
    {
        bool May(ResolutionAction action) => Refusal(action, body, caller, now, facts) is null && StateAllows(action, caller, facts);
        return new(
            May(ResolutionAction.Edit), May(ResolutionAction.Comment), May(ResolutionAction.Amend), May(ResolutionAction.SupportAmendment),
            May(ResolutionAction.DecideAmendment), May(ResolutionAction.Bracket), May(ResolutionAction.ResolveBracket), May(ResolutionAction.Vote),
            May(ResolutionAction.OpenBallot), May(ResolutionAction.CloseBallot), May(ResolutionAction.Adopt), May(ResolutionAction.StartWrittenProcedure),
            May(ResolutionAction.AnswerWrittenProcedure), May(ResolutionAction.RecordPosition), May(ResolutionAction.Declare),
            May(ResolutionAction.Withdraw), May(ResolutionAction.ChangeRestriction));
    }

    /// <summary>The flag of one action.</summary>
    public bool Allows(ResolutionAction action) => action switch
    {
        ResolutionAction.Edit => Edit,
        ResolutionAction.Comment => Comment,
        ResolutionAction.Amend => Amend,
        ResolutionAction.SupportAmendment => SupportAmendment,
        ResolutionAction.DecideAmendment => DecideAmendment,
        ResolutionAction.Bracket => Bracket,
        ResolutionAction.ResolveBracket => ResolveBracket,
        ResolutionAction.Vote => Vote,
        ResolutionAction.OpenBallot => OpenBallot,
        ResolutionAction.CloseBallot => CloseBallot,
        ResolutionAction.Adopt => Adopt,
        ResolutionAction.StartWrittenProcedure => StartWrittenProcedure,
        ResolutionAction.AnswerWrittenProcedure => AnswerWrittenProcedure,
        ResolutionAction.RecordPosition => RecordPosition,
        ResolutionAction.Declare => Declare,
        ResolutionAction.Withdraw => Withdraw,
        ResolutionAction.ChangeRestriction => ChangeRestriction,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>
    /// Why the caller, being who they are, may not do this; null when they may. This is the refusal the decide
    /// functions return (403, with the reason in the detail), each at the point where it always stood among their checks.
    /// </summary>
    public static ProblemDetails? Refusal(ResolutionAction action, Body body, Caller caller, DateTimeOffset now, ResolutionFacts facts) => action switch
    {
        ResolutionAction.Edit or ResolutionAction.Comment or ResolutionAction.Amend or ResolutionAction.SupportAmendment or ResolutionAction.Bracket
            => Negotiator(body, caller),
        ResolutionAction.DecideAmendment or ResolutionAction.ResolveBracket => Consolidator(body, caller, facts.ProposingLand),
        ResolutionAction.Vote => Voter(body, caller),
        ResolutionAction.OpenBallot or ResolutionAction.CloseBallot or ResolutionAction.Adopt or ResolutionAction.StartWrittenProcedure
            => Chairing.ActingChair(body, caller, now),
        ResolutionAction.AnswerWrittenProcedure => ProcedureMember(facts.ProcedureMembers ?? [], caller),
        ResolutionAction.RecordPosition or ResolutionAction.Declare => MemberRepresentative(body, caller),
        ResolutionAction.Withdraw => ProposingRepresentative(caller, facts.ProposingLand),
        ResolutionAction.ChangeRestriction => RestrictionChanger(body, caller, now, facts.ProposingLand),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>The state an action needs, as the decide functions check it after who the caller is.</summary>
    private static bool StateAllows(ResolutionAction action, Caller caller, ResolutionFacts facts) => action switch
    {
        // Comments stay possible after adoption: they are the record of why. Support is not checked against the status.
        ResolutionAction.Comment or ResolutionAction.SupportAmendment => true,
        ResolutionAction.Edit or ResolutionAction.Bracket or ResolutionAction.Withdraw
            => facts.UnderNegotiation && !facts.BallotOpen && !facts.ProcedureRunning,
        ResolutionAction.Amend or ResolutionAction.DecideAmendment or ResolutionAction.ResolveBracket or ResolutionAction.RecordPosition
            => facts.UnderNegotiation,
        ResolutionAction.Vote => facts.UnderNegotiation && !facts.ProcedureRunning
                                 && (facts.BallotMembers is not { } members || VotesIn(members, caller.Land)),
        ResolutionAction.OpenBallot or ResolutionAction.StartWrittenProcedure
            => !facts.Restricted && facts.UnderNegotiation && !facts.BallotOpen && !facts.ProcedureRunning,
        ResolutionAction.CloseBallot => facts.BallotOpen,
        ResolutionAction.Adopt => !facts.Restricted && facts.UnderNegotiation && !facts.ProcedureRunning,
        ResolutionAction.AnswerWrittenProcedure => facts.ProcedureRunning,
        ResolutionAction.Declare => facts.Status == ResolutionStatus.Adopted,
        ResolutionAction.ChangeRestriction => facts.Restricted,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Whether a Land has a vote among these members (the body's, or those a ballot or procedure recorded).</summary>
    public static bool VotesIn(IEnumerable<BodyMember> members, string? land) =>
        land is not null && members.FirstOrDefault(m => m.Land == land) is { Voting: true };

    /// <summary>Representatives and the chair write texts and comments, each for the Land they act for, if it sits in the body.</summary>
    public static ProblemDetails? Negotiator(Body body, Caller caller)
    {
        if (!caller.Has(Roles.Representative) && !caller.Has(Roles.Chair))
            return Problems.Forbid("Only representatives and the chair write; observers, auditors and administrators read.");
        if (caller.Land is null)
            return Problems.Forbid("Your identity names no Land or Bund you act for.");
        if (body.MemberFor(caller.Land) is null)
            return Problems.Forbid($"{Lands.NameOf(caller.Land)} is not a member of {body.Id}.");
        return null;
    }

    /// <summary>A representative casts the vote of a member with a vote; the chair votes through a representative mandate.</summary>
    public static ProblemDetails? Voter(Body body, Caller caller)
    {
        if (!caller.Has(Roles.Representative))
            return Problems.Forbid("Only a representative casts the vote of their Land; the chair votes through a representative mandate.");
        if (caller.Land is null)
            return Problems.Forbid("Your identity names no Land you act for.");
        var member = body.MemberFor(caller.Land);
        if (member is null)
            return Problems.Forbid($"{Lands.NameOf(caller.Land)} is not a member of {body.Id}.");
        if (!member.Voting)
            return Problems.Forbid($"{Lands.NameOf(caller.Land)} sits in {body.Id} without a vote.");
        return null;
    }

    /// <summary>
    /// The chair consolidates (amendments, brackets). Sessions are not modelled yet, so the time "before a session" is
    /// always now: a representative of the Land that proposed the resolution decides as well.
    /// </summary>
    public static ProblemDetails? Consolidator(Body body, Caller caller, string? proposingLand)
    {
        if (caller.Has(Roles.Chair) && caller.Land is not null && body.MemberFor(caller.Land) is not null) return null;
        if (caller.Has(Roles.Representative) && caller.Land is not null && caller.Land == proposingLand) return null;
        return Problems.Forbid($"Only the chair of {body.Id} or, before a session, the proposing Land ({Lands.NameOf(proposingLand ?? "")}) decides on amendments.");
    }

    /// <summary>A written procedure is answered by a representative of a member that had a vote when it started.</summary>
    public static ProblemDetails? ProcedureMember(IReadOnlyList<BodyMember> members, Caller caller)
    {
        if (!caller.Has(Roles.Representative))
            return Problems.Forbid("Only a representative answers a written procedure, for the Land they act for.");
        if (!VotesIn(members, caller.Land))
            return Problems.Forbid($"{(caller.Land is null ? "You act for no Land" : Lands.NameOf(caller.Land) + " has no vote in this written procedure")}.");
        return null;
    }

    /// <summary>Positions and Protokollerklärungen are a member's, stated by its representative, vote or not.</summary>
    public static ProblemDetails? MemberRepresentative(Body body, Caller caller)
    {
        if (!caller.Has(Roles.Representative))
            return Problems.Forbid("Only a representative states the position of their Land.");
        if (caller.Land is null || body.MemberFor(caller.Land) is null)
            return Problems.Forbid($"{(caller.Land is null ? "You act for no Land" : Lands.NameOf(caller.Land) + " is not a member of " + body.Id)}.");
        return null;
    }

    /// <summary>Only the Land that proposed a resolution withdraws it, through a representative.</summary>
    public static ProblemDetails? ProposingRepresentative(Caller caller, string? proposingLand) =>
        !caller.Has(Roles.Representative) || caller.Land is null || caller.Land != proposingLand
            ? Problems.Forbid($"Only a representative of the proposing Land ({Lands.NameOf(proposingLand ?? "")}) withdraws the resolution.")
            : null;

    /// <summary>Who may read a restricted resolution is widened by the proposing Land or the chair in office.</summary>
    public static ProblemDetails? RestrictionChanger(Body body, Caller caller, DateTimeOffset now, string? proposingLand)
    {
        var proposing = caller.Land is not null && caller.Land == proposingLand;
        if (!proposing && Chairing.ActingChair(body, caller, now) is not null)
            return Problems.Forbid($"Only the proposing Land ({(proposingLand is { } land ? Lands.NameOf(land) : "unknown")}) or the chair in office changes who may read this resolution.");
        return null;
    }
}
