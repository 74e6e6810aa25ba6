using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.Amending;

public static class SupportAmendmentEndpoint
{
    /// <summary>The caller's Land supports the amendment; supporting twice changes nothing.</summary>
    [WolverinePost("/api/resolutions/{id}/amendments/{amendmentId}/support", OperationId = "supportAmendment"), Tags("Amendments")]
    [ProducesResponseType<AmendmentWritten>(200)]
    public static Task<IResult> Post(Guid id, Guid amendmentId, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return ResolutionCommands.Execute(store, id, null, caller,
            (state, body, caller) => AmendmentDecisions.Support(state, body, amendmentId, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new AmendmentWritten(id, amendmentId, outcome.State.Amendments[amendmentId].Number, outcome.Version)),
            ct);
    }
}
