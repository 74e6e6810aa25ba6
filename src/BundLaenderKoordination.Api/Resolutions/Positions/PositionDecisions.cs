using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions.Positions;

/// <summary>Positions, Protokollerklärungen and withdrawal as pure functions of (command, state, body, caller, time).</summary>
public static class PositionDecisions
{
    public static Decision Record(Resolution state, Body body, Position position, string? remark, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.RecordPosition, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        return Decision.Accept(new PositionRecorded(state.Id, caller.Land!, position, remark, state.TextVersion, caller.ActingAs(Roles.Representative), now));
    }

    public static Decision Attach(Resolution state, Body body, Guid declarationId, string text, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Declare, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.Adopted)
            return Problems.Make(Problems.DeclarationRule, 422, "A Protokollerklärung belongs to an adopted resolution.", "Attach it once the resolution is adopted.");
        if (state.Declarations.Values.Count(lands => lands.Contains(caller.Land!)) is var own && own >= ResolutionLimits.MaxDeclarationsPerLand)
            return ResolutionLimits.Reached("Protokollerklärungen per Land", ResolutionLimits.MaxDeclarationsPerLand,
                $"{Lands.NameOf(caller.Land!)} has made or joined {own} Protokollerklärungen to this resolution.");
        return Decision.Accept(new DeclarationAttached(state.Id, declarationId, caller.Land!, text, caller.ActingAs(Roles.Representative), now));
    }

    public static Decision Join(Resolution state, Body body, Guid declarationId, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Declare, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (!state.Declarations.TryGetValue(declarationId, out var lands))
            return Problems.Missing($"Resolution {state.Id} has no Protokollerklärung {declarationId}.");
        if (lands.Contains(caller.Land!)) return Decision.Accept();
        return Decision.Accept(new DeclarationJoined(state.Id, declarationId, caller.Land!, caller.ActingAs(Roles.Representative), now));
    }

    public static Decision Withdraw(Resolution state, string reason, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.ProposingRepresentative(caller, state.ProposingLand) is { } refusal) return refusal;
        if (state.Status != ResolutionStatus.UnderNegotiation) return ResolutionDecisions.FrozenAfterAdoption();
        if (state.OpenBallot is { } ballot) return BallotDecisions.BallotAlreadyOpen(ballot);
        if (state.WrittenProcedure is { } procedure) return WrittenProcedures.WrittenProcedureDecisions.Running(procedure);
        return Decision.Accept(new ResolutionWithdrawn(state.Id, reason, caller.ActingAs(Roles.Representative), now));
    }
}
