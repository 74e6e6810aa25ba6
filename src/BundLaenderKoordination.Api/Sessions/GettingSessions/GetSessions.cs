using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Sessions.GettingSessions;

/// <summary>An agenda item with the outcome so far of the resolution it points to.</summary>
public sealed record AgendaItemRead(Guid Id, int Number, Guid? ResolutionId, string Title, string? Note, ResolutionStatus? Outcome);

public sealed record SessionRead(SessionView Session, IReadOnlyList<AgendaItemRead> Agenda);

public static class GetSessionsEndpoint
{
    [WolverineGet("/api/sessions/{id}", OperationId = "getSession"), Tags("Sessions")]
    [ProducesResponseType<SessionRead>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var view = await session.LoadAsync<SessionView>(id, ct);
        if (view is null) return Problems.Missing($"There is no session {id}.").ToResult();
        var ids = view.Agenda.Where(i => i.ResolutionId is not null).Select(i => i.ResolutionId!.Value).ToArray();
        var resolutions = ids.Length == 0 ? [] : await session.LoadManyAsync<ResolutionView>(ct, ids);
        var status = resolutions.ToDictionary(r => r.Id, r => r.Status);
        return Results.Ok(new SessionRead(view, [.. view.Agenda.Select(i => new AgendaItemRead(i.Id, i.Number, i.ResolutionId, i.Title, i.Note,
            i.ResolutionId is { } rid && status.TryGetValue(rid, out var s) ? s : null))]));
    }

    [WolverineGet("/api/bodies/{code}/sessions", OperationId = "listSessions"), Tags("Sessions")]
    [ProducesResponseType<IReadOnlyList<SessionView>>(200)]
    public static async Task<IResult> List(string code, IQuerySession session, CancellationToken ct)
    {
        var body = await session.LoadBodyAsync(code, ct);
        if (body is null) return Problems.Missing($"There is no body '{code}'.").ToResult();
        var sessions = await session.Query<SessionView>().Where(s => s.Body == body.Id).ToListAsync(ct);
        return Results.Ok(sessions.OrderBy(s => s.StartsAt).ToList());
    }

    /// <summary>The body's requests for a special session, latest first, with their supporters and whether each was convened.</summary>
    [WolverineGet("/api/bodies/{code}/special-session-requests", OperationId = "listSpecialSessionRequests"), Tags("Sessions")]
    [ProducesResponseType<IReadOnlyList<SpecialSessionRequestView>>(200)]
    public static async Task<IResult> ListRequests(string code, IQuerySession session, CancellationToken ct)
    {
        var body = await session.LoadBodyAsync(code, ct);
        if (body is null) return Problems.Missing($"There is no body '{code}'.").ToResult();
        var requests = await session.Query<SpecialSessionRequestView>().Where(r => r.Body == body.Id).ToListAsync(ct);
        return Results.Ok(requests.OrderByDescending(r => r.RequestedAt).ToList());
    }

    [WolverineGet("/api/special-session-requests/{id}", OperationId = "getSpecialSessionRequest"), Tags("Sessions")]
    [ProducesResponseType<SpecialSessionRequestView>(200)]
    public static async Task<IResult> GetRequest(Guid id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<SpecialSessionRequestView>(id, ct) is { } view
            ? Results.Ok(view)
            : Problems.Missing($"There is no special-session request {id}.").ToResult();
}
