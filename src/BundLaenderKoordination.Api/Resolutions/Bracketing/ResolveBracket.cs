using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Bracketing;

/// <summary>Either <c>alternative</c> (0: keep the bracketed wording, 1 and up: a proposed alternative) or <c>wording</c>.</summary>
public sealed record ResolveBracket(int? Alternative, string? Wording);

public static class ResolveBracketEndpoint
{
    public static ProblemDetails Validate(ResolveBracket command)
    {
        if ((command.Alternative is null) == (command.Wording is null))
            return Problems.Invalid("Send either alternative (the number of a proposed wording, 0 for the bracketed one) or wording (the agreed text).");
        if (command.Wording is not null && TextRules.CheckSpan(command.Wording) is { } problem) return TextRules.Refusal(problem);
        return WolverineContinue.NoProblems;
    }

    /// <summary>Resolves a bracket: the agreed wording replaces the passage in a new text version.</summary>
    [WolverinePost("/api/resolutions/{id}/brackets/{bracketId}/resolution", OperationId = "resolveBracket"), Tags("Brackets")]
    [ProducesResponseType<BracketWritten>(200)]
    public static Task<IResult> Post(Guid id, Guid bracketId, ResolveBracket command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return ResolutionCommands.Execute(store, id, null, caller,
            (state, body) => BracketDecisions.Resolve(state, body, bracketId, command.Alternative, command.Wording, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new BracketWritten(id, bracketId, outcome.State.Brackets.Single(b => b.Id == bracketId).Number, outcome.Version, outcome.State.TextVersion)),
            ct);
    }
}
