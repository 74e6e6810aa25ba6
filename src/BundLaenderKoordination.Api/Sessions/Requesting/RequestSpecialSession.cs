using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Sessions.Requesting;

public sealed record RequestSpecialSession(string? Reason);

public static class RequestSpecialSessionEndpoint
{
    public static ProblemDetails Validate(RequestSpecialSession command) =>
        Resolutions.TextRules.CheckShort(command.Reason, "the reason for a special session", 2000) ?? WolverineContinue.NoProblems;

    /// <summary>A representative of a voting member asks for a special session; their Land is its first supporter.</summary>
    [WolverinePost("/api/bodies/{code}/special-session-requests", OperationId = "requestSpecialSession"), Tags("Sessions")]
    [ProducesResponseType<SpecialSessionRequestView>(201)]
    public static Task<IResult> Post(string code, RequestSpecialSession command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var id = Guid.CreateVersion7();
        return SessionCommands.Start<SpecialSessionRequestView>(store, id, code, caller,
            (body, _) => Task.FromResult(SessionDecisions.Request(id, body, command.Reason!.Trim(), caller, clock.GetUtcNow())),
            view => Results.Created($"/api/special-session-requests/{id}", view), SpecialSessionRequestView.Next, ct);
    }
}

public static class SupportSpecialSessionEndpoint
{
    /// <summary>A representative of a voting member supports the request; the majority's support convenes the special session.</summary>
    [WolverinePost("/api/special-session-requests/{id}/support", OperationId = "supportSpecialSession"), Tags("Sessions")]
    [ProducesResponseType<SpecialSessionRequestView>(200)]
    public static Task<IResult> Post(Guid id, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        return SessionCommands.Execute<SpecialSessionRequestView>(store, id, caller, r => r.Body,
            (state, body, _) => Task.FromResult(SessionDecisions.Support(state, body, caller, clock.GetUtcNow())),
            Results.Ok, SpecialSessionRequestView.Next, "special-session request", ct);
    }
}
