using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Wolverine;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Amending;

public sealed record ReviseAmendment(int? BaseTextVersion, IReadOnlyList<AmendmentChangeRequest?>? Changes, string? Rationale);

public static class ReviseAmendmentEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ReviseAmendment command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ReviseAmendment command)
    {
        if (command.BaseTextVersion is null or < 1) return Problems.Invalid("Name the text version your changes are against as baseTextVersion.");
        return AmendmentInput.Problem(AmendmentInput.Check(command.Changes) ?? AmendmentInput.CheckRationale(command.Rationale))
               ?? WolverineContinue.NoProblems;
    }

    /// <summary>The author replaces the amendment's changes, usually against the current text after a conflict; support is withdrawn.</summary>
    [MandatesReadWithCommand]
    [WolverinePut("/api/resolutions/{id}/amendments/{amendmentId}", OperationId = "reviseAmendment"), Tags("Amendments")]
    [ProducesResponseType<AmendmentWritten>(200)]
    public static (IResult, OutgoingMessages) Put(Guid id, Guid amendmentId, ReviseAmendment command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => AmendmentDecisions.Revise(state, body, amendmentId, command.BaseTextVersion!.Value,
                AmendmentInput.Parse(command.Changes!), command.Rationale!, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new AmendmentWritten(id, amendmentId, outcome.State.Amendments[amendmentId].Number, outcome.Version)));
    }
}
