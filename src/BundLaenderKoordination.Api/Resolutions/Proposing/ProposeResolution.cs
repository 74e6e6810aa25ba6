using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Proposing;

/// <summary>A proposal; <c>RestrictedTo</c> (Land codes, "chair") makes it readable by that group only, the proposer included.</summary>
public sealed record ProposeResolution(string? Body, string? Title, IReadOnlyList<string?>? Paragraphs, IReadOnlyList<string?>? RestrictedTo = null);

public sealed record ResolutionWritten(Guid Id, long Version, int TextVersion, string TextHash);

public static class ProposeResolutionEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ProposeResolution command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ProposeResolution command)
    {
        if (string.IsNullOrWhiteSpace(command.Body)) return Problems.Invalid("Name the body that is to decide, e.g. \"D16\".");
        if (TextRules.CheckTitle(command.Title) is { } titleProblem) return TextRules.Refusal(titleProblem);
        if (TextRules.CheckParagraphs(command.Title!, command.Paragraphs) is { } textProblem) return TextRules.Refusal(textProblem);
        if (Confidentiality.Parse(command.RestrictedTo, out _) is { } groupProblem) return groupProblem;
        return WolverineContinue.NoProblems;
    }

    /// <summary>Proposes a resolution to a body; the service gives each paragraph a stable id.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions", OperationId = "proposeResolution"), Tags("Resolutions")]
    [ProducesResponseType<ResolutionWritten>(201)]
    public static IResult Post(ProposeResolution command, ClaimsPrincipal user, [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        var id = Guid.CreateVersion7();
        Confidentiality.Parse(command.RestrictedTo, out var group);
        return ResolutionCommand.Start(session, bodies, id, command.Body!.Trim(), caller,
            (body, caller) => ResolutionDecisions.Propose(id, body, command.Title!, command.Paragraphs!.Select(p => p!).ToList(), caller, clock.GetUtcNow(), group),
            outcome => Results.Created($"/api/resolutions/{id}",
                new ResolutionWritten(id, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash)));
    }
}
