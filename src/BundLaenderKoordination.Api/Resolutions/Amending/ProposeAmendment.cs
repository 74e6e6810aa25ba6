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

public sealed record ProposeAmendment(int? BaseTextVersion, IReadOnlyList<AmendmentChangeRequest?>? Changes, string? Rationale);

public static class ProposeAmendmentEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(ProposeAmendment command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(ProposeAmendment command)
    {
        if (command.BaseTextVersion is null or < 1) return Problems.Invalid("Name the text version your changes are against as baseTextVersion.");
        return AmendmentInput.Problem(AmendmentInput.Check(command.Changes) ?? AmendmentInput.CheckRationale(command.Rationale))
               ?? WolverineContinue.NoProblems;
    }

    /// <summary>Proposes replacing, inserting or deleting paragraphs, or a passage inside one, against a text version, with a rationale.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/amendments", OperationId = "proposeAmendment"), Tags("Amendments")]
    [ProducesResponseType<AmendmentWritten>(201)]
    public static (IResult, OutgoingMessages) Post(Guid id, ProposeAmendment command, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        var amendmentId = Guid.CreateVersion7();
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => AmendmentDecisions.Propose(state, body, amendmentId, command.BaseTextVersion!.Value,
                AmendmentInput.Parse(command.Changes!), command.Rationale!, caller, clock.GetUtcNow()),
            outcome => Results.Created($"/api/resolutions/{id}/amendments/{amendmentId}",
                new AmendmentWritten(id, amendmentId, outcome.State.Amendments[amendmentId].Number, outcome.Version)));
    }
}
