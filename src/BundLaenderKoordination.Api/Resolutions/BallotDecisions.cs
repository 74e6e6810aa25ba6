using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// Ballots as pure functions of (state, body, caller, time): the chair opens one on the current text version with the
/// rule in force for the matter type, votes count only in it, and its result decides adoption or rejection.
/// </summary>
public static class BallotDecisions
{
    public static Decision Open(Resolution state, Body body, string matterType, Guid ballotId, Caller caller, DateTimeOffset now, DateTimeOffset? deadline = null)
    {
        if (AllowedActions.Refusal(ResolutionAction.OpenBallot, body, caller, now, ResolutionFacts.Of(state)) is { } notChair) return notChair;
        if (Confidentiality.BodyDecidesInTheOpen(state) is { } restricted) return restricted;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (state.OpenBallot is { } open) return BallotAlreadyOpen(open);
        if (state.WrittenProcedure is { } procedure) return WrittenProcedures.WrittenProcedureDecisions.Running(procedure);
        if (!body.Rules.ContainsKey(matterType))
            return Problems.Make(Problems.UnknownMatterType, 422, "The body has no rule for this matter type.",
                $"{body.Id} decides the matter types {string.Join(", ", body.Rules.Keys.Order(StringComparer.Ordinal))}; '{matterType}' is none of them.",
                ("matterTypes", body.Rules.Keys.Order(StringComparer.Ordinal).ToList()));
        if (deadline is { } due && due <= now) return Problems.Invalid($"The deadline {due:O} has passed; give one in the future.");
        if (BracketDecisions.NoneOpen(state) is { } bracketsOpen) return bracketsOpen;
        var rule = body.RuleFor(matterType);
        var opened = Decision.Accept(new BallotOpened(state.Id, ballotId, state.BallotCount + 1, matterType, rule, rule.ToString(),
            body.Members, state.TextVersion, state.TextHash, caller.ActingAs(Roles.Chair), now, deadline));
        return deadline is { } at ? opened.Schedule(new BallotDeadline(state.Id, ballotId, at), at) : opened;
    }

    /// <summary>The ballot's deadline: it closes as the chair would close it; nothing when it was closed or cancelled before.</summary>
    public static Decision CloseAtDeadline(Resolution state, Guid ballotId, Actor deadline, DateTimeOffset now, DateTimeOffset? due = null)
    {
        if (state.OpenBallot is not { } ballot || ballot.Id != ballotId) return Decision.Accept();
        if (!IsCurrentDeadline(ballot, due, now)) return Decision.Accept();
        var closed = Closed(state, ballot, deadline, now);
        return Decision.Accept(closed, closed.Adopted ? Adopted(state, closed, deadline, now) : Rejected(state, closed, deadline, now));
    }

    /// <summary>
    /// A reminder closes the ballot only for the deadline in force: one scheduled for a deadline the chair has moved
    /// since is void. A reminder without its due time (stored before it carried one) counts once the deadline in force has come.
    /// </summary>
    private static bool IsCurrentDeadline(BallotState ballot, DateTimeOffset? due, DateTimeOffset now) => due is { } scheduled
        ? ballot.Deadline is not { } current || Math.Abs((current - scheduled).TotalMilliseconds) < 1
        : ballot.Deadline is not { } inForce || inForce <= now;

    /// <summary>
    /// The chair in office moves the deadline of the open ballot (earlier or later, to a time still to come); the ballot
    /// then closes by itself at the new deadline, and the reminder of the old one is void.
    /// </summary>
    public static Decision ChangeDeadline(Resolution state, Body body, DateTimeOffset deadline, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.CloseBallot, body, caller, now, ResolutionFacts.Of(state)) is { } notChair) return notChair;
        if (state.OpenBallot is not { } ballot)
            return Problems.Make(Problems.BallotDeadlineRule, 422, "No ballot is open.",
                state.Status == ResolutionStatus.UnderNegotiation
                    ? "Only the deadline of an open ballot can change; no ballot is open."
                    : "The resolution has been decided; no ballot is open whose deadline could change.");
        if (deadline <= now)
            return Problems.Make(Problems.BallotDeadlineRule, 422, "The deadline has passed.",
                $"The new deadline {deadline:O} is not in the future; give one after {now:O}.");
        var changed = new BallotDeadlineChanged(state.Id, ballot.Id, ballot.Deadline, deadline, caller.ActingAs(Roles.Chair), now);
        return Decision.Accept(changed).Schedule(new BallotDeadline(state.Id, ballot.Id, deadline), deadline);
    }

    /// <summary>Closes the open ballot: its result is recorded, and the resolution is adopted or rejected by it.</summary>
    public static Decision Close(Resolution state, Body body, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.CloseBallot, body, caller, now, ResolutionFacts.Of(state)) is { } notChair) return notChair;
        if (state.OpenBallot is not { } ballot) return NoBallot(state);
        var actor = caller.ActingAs(Roles.Chair);
        var closed = Closed(state, ballot, actor, now);
        return Decision.Accept(closed, closed.Adopted ? Adopted(state, closed, actor, now) : Rejected(state, closed, actor, now));
    }

    public static Decision Cancel(Resolution state, Body body, string reason, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.CloseBallot, body, caller, now, ResolutionFacts.Of(state)) is { } notChair) return notChair;
        if (state.OpenBallot is not { } ballot) return NoBallot(state);
        return Decision.Accept(new BallotCancelled(state.Id, ballot.Id, reason, caller.ActingAs(Roles.Chair), now));
    }

    /// <summary>
    /// The chair declares the resolution adopted. With a ballot open, it closes that ballot. Without one, the votes cast
    /// on the current text version are counted in a ballot opened and closed at once under the body's default rule.
    /// Either way nothing is written unless the rule is met.
    /// </summary>
    public static Decision Adopt(Resolution state, Body body, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Adopt, body, caller, now, ResolutionFacts.Of(state)) is { } notChair) return notChair;
        if (Confidentiality.BodyDecidesInTheOpen(state) is { } restricted) return restricted;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (state.WrittenProcedure is { } procedure) return WrittenProcedures.WrittenProcedureDecisions.Running(procedure);
        if (BracketDecisions.NoneOpen(state) is { } bracketsOpen) return bracketsOpen;
        var actor = caller.ActingAs(Roles.Chair);

        var opened = new List<object>();
        var ballot = state.OpenBallot;
        if (ballot is null)
        {
            var rule = body.RuleFor(Body.DefaultMatterType);
            var open = new BallotOpened(state.Id, Guid.CreateVersion7(), state.BallotCount + 1, Body.DefaultMatterType, rule, rule.ToString(),
                body.Members, state.TextVersion, state.TextHash, actor, now);
            opened.Add(open);
            var votes = state.Votes.Values.Where(v => v.TextVersion == state.TextVersion).ToDictionary(v => v.Land, v => v.Choice);
            ballot = new BallotState(open.BallotId, open.Number, open.MatterType, rule, [.. body.Members], state.TextVersion, state.TextHash,
                System.Collections.Immutable.ImmutableDictionary.CreateRange(votes));
        }

        var closed = Closed(state, ballot, actor, now);
        if (!closed.Adopted) return RuleNotMet(body, ballot, closed);
        return Decision.Accept([.. opened, closed, Adopted(state, closed, actor, now)]);
    }

    // Stryker disable once all : the text and figures of the refusal are for people; Stryker's mutant of a list's Count
    // inside a tuple argument does not compile and would switch off every mutant of Adopt.
    private static ProblemDetails RuleNotMet(Body body, BallotState ballot, BallotClosed closed) =>
        Problems.Make(Problems.AdoptionRuleNotMet, 422, "The adoption rule is not met.",
            $"{closed.Yes.Count} of {ballot.Members.Count(m => m.Voting)} voting members voted yes on text version {ballot.TextVersion}; " +
            $"{body.Id} decides by {closed.RuleText}: {closed.Explanation}",
            ("yes", closed.Yes.Count), ("no", closed.No.Count), ("abstain", closed.Abstain.Count), ("rule", closed.RuleText),
            ("required", closed.Rule.Count), ("textVersion", ballot.TextVersion));

    /// <summary>A vote counts in the open ballot only on its text version and only from a member that had a vote when it opened.</summary>
    internal static ProblemDetails? CheckBallotVote(BallotState ballot, string land, int textVersion)
    {
        if (!AllowedActions.VotesIn(ballot.Members, land))
            return Problems.Forbid($"{Lands.NameOf(land)} has no vote in ballot {ballot.Number}.");
        return null;
    }

    private static BallotClosed Closed(Resolution state, BallotState ballot, Actor actor, DateTimeOffset now)
    {
        var count = RuleEvaluator.Evaluate(ballot.Rule, ballot.Members, ballot.Votes);
        return new BallotClosed(state.Id, ballot.Id, ballot.TextVersion, ballot.TextHash, ballot.MatterType, ballot.Rule, ballot.Rule.ToString(),
            count.Yes, count.No, count.Abstain, count.Adopted, count.Explanation, actor, now);
    }

    private static ResolutionAdopted Adopted(Resolution state, BallotClosed closed, Actor actor, DateTimeOffset now) =>
        new(state.Id, closed.TextVersion, closed.TextHash, closed.RuleText, closed.Yes, closed.No, closed.Abstain, actor, now, closed.BallotId);

    private static ResolutionRejected Rejected(Resolution state, BallotClosed closed, Actor actor, DateTimeOffset now) =>
        new(state.Id, closed.BallotId, closed.TextVersion, closed.TextHash, $"{closed.RuleText} not met: {closed.Explanation}", actor, now);

    internal static ProblemDetails BallotAlreadyOpen(BallotState open) =>
        Problems.Make(Problems.BallotOpen, 409, "A ballot is open.",
            $"Ballot {open.Number} on text version {open.TextVersion} is open; the text cannot change and no other ballot can open until the chair closes or cancels it.",
            ("ballotId", open.Id), ("textVersion", open.TextVersion));

    private static ProblemDetails NoBallot(Resolution state) =>
        Problems.Make(Problems.NoOpenBallot, 409, "No ballot is open.",
            state.Status == ResolutionStatus.UnderNegotiation
                ? "The chair opens a ballot first."
                : "The resolution has been decided; no ballot is open.");
}
