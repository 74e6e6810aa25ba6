using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Bodies;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace BundLaenderKoordination.Api.Sessions.Running;

public static class OpenSessionEndpoint
{
    /// <summary>Access, with the mandates read in the same round trip as the stream.</summary>
    public static ProblemDetails Validate(PersonMandates? mandates, HttpContext context) => AccessControl.CheckInCommand(context, mandates);

    /// <summary>The chair opens a scheduled session.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/sessions/{id}/opening", OperationId = "openSession"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(200)]
    public static IResult Post(Guid id, [WriteAggregate(Required = false)] IEventStream<SessionView> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return SessionCommand.Decide(stream, bodies, session, caller, "session", s => s.Body,
            (state, body, acting) => SessionDecisions.Open(state, body, acting, clock.GetUtcNow()),
            Results.Ok, SessionView.Next);
    }
}

public static class CloseSessionEndpoint
{
    /// <summary>Access, with the mandates read in the same round trip as the stream.</summary>
    public static ProblemDetails Validate(PersonMandates? mandates, HttpContext context) => AccessControl.CheckInCommand(context, mandates);

    /// <summary>The chair closes an open session.</summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/sessions/{id}/closing", OperationId = "closeSession"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(200)]
    public static IResult Post(Guid id, [WriteAggregate(Required = false)] IEventStream<SessionView> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        return SessionCommand.Decide(stream, bodies, session, caller, "session", s => s.Body,
            (state, body, acting) => SessionDecisions.Close(state, body, acting, clock.GetUtcNow()),
            Results.Ok, SessionView.Next);
    }
}

/// <summary>The members present (Länder codes, or <c>BUND</c>); replaces an earlier record.</summary>
public sealed record RecordAttendance(IReadOnlyList<string?>? Present);

public static class RecordAttendanceEndpoint
{
    /// <summary>Access first (the mandates read with the command), then the input.</summary>
    public static ProblemDetails Validate(RecordAttendance command, PersonMandates? mandates, HttpContext context) =>
        AccessControl.CheckInCommand(context, mandates, ValidateInput(command));

    private static ProblemDetails ValidateInput(RecordAttendance command)
    {
        if (command.Present is null) return Problems.Invalid("List the members present as present: [\"DE-BY\", ...].");
        if (command.Present.FirstOrDefault(land => Lands.Normalize(land) is null) is { } unknown) return Problems.Invalid($"'{unknown}' is not a Land or the Bund.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>
    /// The chair records who is present while the session is open. A record replaces the one before, so records queue on
    /// the session's stream lock instead of failing each other.
    /// </summary>
    [MandatesReadWithCommand]
    [WolverinePost("/api/sessions/{id}/attendance", OperationId = "recordAttendance"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(200)]
    public static IResult Post(Guid id, RecordAttendance command,
        [WriteAggregate(Required = false, LoadStyle = Wolverine.Marten.ConcurrencyStyle.Exclusive)] IEventStream<SessionView> stream,
        [All] IReadOnlyList<Body> bodies, [Entity(FromClaim = Caller.SubjectClaim, Required = false)] PersonMandates? mandates, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        var present = command.Present!.Select(land => Lands.Normalize(land)!).ToList();
        return SessionCommand.Decide(stream, bodies, session, caller, "session", s => s.Body,
            (state, body, acting) => SessionDecisions.RecordAttendance(state, body, present, acting, clock.GetUtcNow()),
            Results.Ok, SessionView.Next);
    }
}
