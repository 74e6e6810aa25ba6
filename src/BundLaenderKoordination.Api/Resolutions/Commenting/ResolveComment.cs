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

namespace BundLaenderKoordination.Api.Resolutions.Commenting;

public sealed record CommentThreadState(Guid ResolutionId, Guid CommentId, bool Resolved, long Version);

public static class ResolveCommentEndpoint
{
    /// <summary>Access, with the mandates read in the same round trip as the resolution.</summary>
    public static ProblemDetails Validate(PersonMandates? mandates, HttpContext context) => AccessControl.CheckInCommand(context, mandates);

    /// <summary>Marks a comment thread as resolved (settled); it stays readable with all its replies.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/resolutions/{id}/comments/{commentId}/resolution", OperationId = "resolveComment"), Tags("Comments")]
    [ProducesResponseType<CommentThreadState>(200)]
    public static (IResult, OutgoingMessages) Post(Guid id, Guid commentId, ClaimsPrincipal user, [ResolutionStream] IEventStream<Resolution> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return ResolutionCommand.Decide(stream, bodies, session, null, caller,
            (state, body, caller) => CommentDecisions.Resolve(state, body, commentId, caller, clock.GetUtcNow()),
            outcome => Results.Ok(new CommentThreadState(id, commentId, outcome.State.Comments[commentId].Resolved, outcome.Version)));
    }
}
