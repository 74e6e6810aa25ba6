using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Bodies;
using Marten;
using Wolverine.Persistence;
using Wolverine;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Amending;

public static class SupportAmendmentEndpoint
{
    /// <summary>Access, with the mandates read in the same round trip as the resolution.</summary>
    public static ProblemDetails Validate(PersonMandates? mandates, HttpContext context) => AccessControl.CheckInCommand(context, mandates);

    /// <summary>The caller's Land supports the amendment; supporting twice changes nothing.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/amendments/{amendmentId}/support", OperationId = "supportAmendment"), Tags("Amendments")]
    [ProducesResponseType<AmendmentWritten>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, Guid amendmentId, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => AmendmentDecisions.Support(state, body, amendmentId, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new AmendmentWritten(id, amendmentId, outcome.State.Amendments[amendmentId].Number, outcome.Version)));
    }
}
