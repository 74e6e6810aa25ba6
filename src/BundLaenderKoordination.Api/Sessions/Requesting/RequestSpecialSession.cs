using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Attributes;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace BundLaenderKoordination.Api.Sessions.Requesting;

public sealed record RequestSpecialSession(string? Reason);

public static class RequestSpecialSessionEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(RequestSpecialSession command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(RequestSpecialSession command) =>
        Resolutions.TextRules.CheckShort(command.Reason, "the reason for a special session", 2000) ?? WolverineContinue.NoProblems;

    /// <summary>The body the route names by its code (in any case, as its stream id does).</summary>
    public static Guid BodyStream(string code) => Body.StreamIdFor(code);

    /// <summary>A representative of a voting member asks for a special session; their Land is its first supporter.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/bodies/{code}/special-session-requests", OperationId = "requestSpecialSession"), Tags("Sessions")]
    [ProducesResponseType<SpecialSessionRequestView>(201), Transactional]
    public static IResult Post(string code, RequestSpecialSession command,
        [Entity(Required = false, FromMethod = nameof(BodyStream))] Body? body, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var id = Guid.CreateVersion7();
        return SessionCommand.Start<SpecialSessionRequestView>(id, code, body, session, Caller.From(user),
            (b, acting) => SessionDecisions.Request(id, b, command.Reason!.Trim(), acting, clock.GetUtcNow()),
            view => Results.Created($"/api/special-session-requests/{id}", view), SpecialSessionRequestView.Next);
    }
}

public static class SupportSpecialSessionEndpoint
{
    /// <summary>Access, with the mandates read in the same round trip as the stream.</summary>
    public static ProblemDetails Validate(PersonMandates? mandates, HttpContext context) => AccessControl.CheckInCommand(context, mandates);

    /// <summary>
    /// A representative of a voting member supports the request; the majority's support convenes the special session.
    /// Supports of different Länder commute, so the request is loaded with its stream locked: they queue instead of
    /// racing, and exactly the support that makes the majority convenes it.
    /// </summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/special-session-requests/{id}/support", OperationId = "supportSpecialSession"), Tags("Sessions")]
    [ProducesResponseType<SpecialSessionRequestView>(200)]
    public static IResult Post(Guid id,
        [WriteAggregate(Required = false, LoadStyle = Wolverine.Marten.ConcurrencyStyle.Exclusive)] IEventStream<SpecialSessionRequestView> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock) =>
        SessionCommand.Decide(stream, bodies, session, Caller.From(user), "special-session request", r => r.Body,
            (state, body, acting) => SessionDecisions.Support(state, body, acting, clock.GetUtcNow()),
            Results.Ok, SpecialSessionRequestView.Next);
}
