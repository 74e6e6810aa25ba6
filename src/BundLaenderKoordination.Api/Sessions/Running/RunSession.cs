using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Sessions.Running;

public static class OpenSessionEndpoint
{
    /// <summary>The chair opens a scheduled session.</summary>
    [WolverinePost("/api/sessions/{id}/opening", OperationId = "openSession"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(200)]
    public static Task<IResult> Post(Guid id, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return SessionCommands.Execute<SessionView>(store, id, caller, s => s.Body,
            (state, body, _) => Task.FromResult(SessionDecisions.Open(state, body, caller, clock.GetUtcNow())),
            Results.Ok, SessionView.Next, "session", ct);
    }
}

public static class CloseSessionEndpoint
{
    /// <summary>The chair closes an open session.</summary>
    [WolverinePost("/api/sessions/{id}/closing", OperationId = "closeSession"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(200)]
    public static Task<IResult> Post(Guid id, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return SessionCommands.Execute<SessionView>(store, id, caller, s => s.Body,
            (state, body, _) => Task.FromResult(SessionDecisions.Close(state, body, caller, clock.GetUtcNow())),
            Results.Ok, SessionView.Next, "session", ct);
    }
}

/// <summary>The members present (Länder codes, or <c>BUND</c>); replaces an earlier record.</summary>
public sealed record RecordAttendance(IReadOnlyList<string?>? Present);

public static class RecordAttendanceEndpoint
{
    public static ProblemDetails Validate(RecordAttendance command)
    {
        if (command.Present is null) return Problems.Invalid("List the members present as present: [\"DE-BY\", ...].");
        if (command.Present.FirstOrDefault(land => Lands.Normalize(land) is null) is { } unknown) return Problems.Invalid($"'{unknown}' is not a Land or the Bund.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>The chair records who is present while the session is open.</summary>
    [WolverinePost("/api/sessions/{id}/attendance", OperationId = "recordAttendance"), Tags("Sessions")]
    [ProducesResponseType<SessionView>(200)]
    public static Task<IResult> Post(Guid id, RecordAttendance command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var present = command.Present!.Select(land => Lands.Normalize(land)!).ToList();
        return SessionCommands.Execute<SessionView>(store, id, caller, s => s.Body,
            (state, body, _) => Task.FromResult(SessionDecisions.RecordAttendance(state, body, present, caller, clock.GetUtcNow())),
            Results.Ok, SessionView.Next, "session", ct);
    }
}
