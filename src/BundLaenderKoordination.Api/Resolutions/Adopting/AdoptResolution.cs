using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions.Proposing;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Wolverine;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Adopting;

public sealed record AdoptResolution(long? ExpectedVersion);

public static class AdoptResolutionEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(AdoptResolution command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(AdoptResolution command) =>
        command.ExpectedVersion is null or < 1
            ? Problems.Invalid("Send the version you read as expectedVersion (a positive integer).")
            : WolverineContinue.NoProblems;

    /// <summary>Declares the resolution adopted when the body's rule is met on the current text version; the text is then frozen.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/adoption", OperationId = "adoptResolution"), Tags("Resolutions")]
    [ProducesResponseType<ResolutionWritten>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, AdoptResolution command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, command.ExpectedVersion, caller,
            (state, body, caller) => ResolutionDecisions.Adopt(state, body, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new ResolutionWritten(id, outcome.Version, outcome.State.TextVersion, outcome.State.TextHash)));
    }
}
