using System.Collections.Immutable;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions.WrittenProcedures;

/// <summary>
/// The written procedure (Umlaufverfahren) as pure functions: the chair starts it with a deadline; in explicit mode it
/// adopts when the rule is met by consents at the deadline, in silence mode at the deadline unless someone objected.
/// Any objection ends it at once and sends the matter to the next session.
/// </summary>
public static class WrittenProcedureDecisions
{
    public static Decision Start(Resolution state, Body body, Guid procedureId, DateTimeOffset deadline, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.StartWrittenProcedure, body, caller, now, ResolutionFacts.Of(state)) is { } notChair) return notChair;
        if (Confidentiality.BodyDecidesInTheOpen(state) is { } restricted) return restricted;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (state.OpenBallot is { } ballot) return BallotDecisions.BallotAlreadyOpen(ballot);
        if (state.WrittenProcedure is { } running) return Running(running);
        if (deadline <= now) return Problems.Invalid($"The deadline {deadline:O} has passed; give one in the future.");
        if (BracketDecisions.NoneOpen(state) is { } bracketsOpen) return bracketsOpen;
        var rule = body.RuleFor(Body.DefaultMatterType);
        return Decision.Accept(new WrittenProcedureStarted(state.Id, procedureId, body.WrittenProcedure.Mode, Body.DefaultMatterType, rule, rule.ToString(),
                body.Members, state.TextVersion, state.TextHash, deadline, caller.ActingAs(Roles.Chair), now))
            .Schedule(new WrittenProcedureDeadline(state.Id, procedureId), deadline);
    }

    public static Decision Consent(Resolution state, Body body, Caller caller, DateTimeOffset now)
    {
        if (state.WrittenProcedure is not { } procedure) return NoneRunning();
        if (AllowedActions.Refusal(ResolutionAction.AnswerWrittenProcedure, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (procedure.Consents.Contains(caller.Land!)) return Decision.Accept();
        return Decision.Accept(new WrittenConsentGiven(state.Id, procedure.Id, caller.Land!, procedure.TextVersion, procedure.TextHash,
            caller.ActingAs(Roles.Representative), now));
    }

    /// <summary>An objection ends the procedure at once; the resolution goes back to negotiation and onto the next session's agenda.</summary>
    public static Decision Object(Resolution state, Body body, string reason, Guid? nextSession, Caller caller, DateTimeOffset now)
    {
        if (state.WrittenProcedure is not { } procedure) return NoneRunning();
        if (AllowedActions.Refusal(ResolutionAction.AnswerWrittenProcedure, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        var actor = caller.ActingAs(Roles.Representative);
        return Decision.Accept(
            new WrittenObjectionRaised(state.Id, procedure.Id, caller.Land!, reason, actor, now),
            new WrittenProcedureEnded(state.Id, procedure.Id, WrittenProcedureOutcome.Objected, [.. procedure.Consents.Order(StringComparer.Ordinal)],
                [caller.Land!], $"{Lands.NameOf(caller.Land!)} objected: the matter goes to a session.", nextSession, actor, now));
    }

    /// <summary>What happens at the deadline; nothing when the procedure has ended meanwhile (the message may come late or twice).</summary>
    public static Decision EndAtDeadline(Resolution state, Guid procedureId, Guid? nextSession, Actor deadline, DateTimeOffset now)
    {
        if (state.WrittenProcedure is not { } procedure || procedure.Id != procedureId) return Decision.Accept();
        var voting = procedure.Members.Where(m => m.Voting).Select(m => m.Land).Order(StringComparer.Ordinal).ToList();
        if (procedure.Mode == WrittenProcedureMode.Silence)
        {
            var ended = new WrittenProcedureEnded(state.Id, procedure.Id, WrittenProcedureOutcome.Adopted, [.. procedure.Consents.Order(StringComparer.Ordinal)], [],
                "No objection before the deadline: silence counts as consent.", null, deadline, now);
            return Decision.Accept(ended, new ResolutionAdopted(state.Id, procedure.TextVersion, procedure.TextHash, "silenceProcedure", voting, [], [], deadline, now));
        }

        var count = RuleEvaluator.Evaluate(procedure.Rule, procedure.Members, procedure.Consents.ToDictionary(land => land, _ => VoteChoice.Yes));
        if (count.Adopted)
            return Decision.Accept(
                new WrittenProcedureEnded(state.Id, procedure.Id, WrittenProcedureOutcome.Adopted, count.Yes, [], count.Explanation, null, deadline, now),
                new ResolutionAdopted(state.Id, procedure.TextVersion, procedure.TextHash, procedure.Rule.ToString(), count.Yes, [], [], deadline, now));
        return Decision.Accept(new WrittenProcedureEnded(state.Id, procedure.Id, WrittenProcedureOutcome.NotAdopted, count.Yes, [],
            $"{procedure.Rule} not met by the deadline ({count.Explanation}): the matter goes to a session.", nextSession, deadline, now));
    }

    internal static ProblemDetails Running(WrittenProcedureState procedure) =>
        Problems.Make(Problems.WrittenProcedureRunning, 409, "A written procedure is running.",
            $"The written procedure on text version {procedure.TextVersion} runs until {procedure.Deadline:O}; the text cannot change and no ballot can open until it ends.",
            ("procedureId", procedure.Id), ("deadline", procedure.Deadline));

    private static ProblemDetails NoneRunning() =>
        Problems.Make(Problems.NoWrittenProcedure, 409, "No written procedure is running.", "Consent and objection answer a running written procedure.");
}

/// <summary>The written procedure now running: what it recorded when it started, and the consents so far.</summary>
public sealed record WrittenProcedureState(
    Guid Id,
    WrittenProcedureMode Mode,
    VotingRule Rule,
    ImmutableArray<BodyMember> Members,
    int TextVersion,
    string TextHash,
    DateTimeOffset Deadline,
    ImmutableHashSet<string> Consents);
