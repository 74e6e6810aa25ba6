using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.History;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Sessions.GettingSessions;

/// <summary>An agenda item with the outcome so far of the resolution it points to.</summary>
public sealed record AgendaItemRead(Guid Id, int Number, Guid? ResolutionId, string Title, string? Note, ResolutionStatus? Outcome);

public sealed record SessionRead(SessionView Session, IReadOnlyList<AgendaItemRead> Agenda);

public static class GetSessionsEndpoint
{
    /// <summary>
    /// A session now, or as it stood at a version of its stream (<c>?version=n</c>), with the outcome each agenda item's
    /// resolution had at that moment.
    /// </summary>
    [WolverineGet("/api/sessions/{id}", OperationId = "getSession"), Tags("Sessions")]
    [ProducesResponseType<SessionRead>(200)]
    public static async Task<IResult> Get(Guid id, long? version, IQuerySession session, CancellationToken ct)
    {
        var view = await session.LoadAsync<SessionView>(id, ct);
        if (view is null) return Problems.Missing($"There is no session {id}.").ToResult();
        if (version is not { } v) return Results.Ok(await ReadAsync(session, view, null, ct));
        if (v < 1 || v > view.Version)
            return Problems.Missing($"Session {id} has versions 1 to {view.Version}; there is no version {v}.").ToResult();
        var events = await session.Events.FetchStreamAsync(id, v, token: ct);
        return Results.Ok(await ReadAsync(session, SessionView.Fold(events.Select(e => e.Data))!, events[^1].Timestamp, ct));
    }

    private static async Task<SessionRead> ReadAsync(IQuerySession session, SessionView view, DateTimeOffset? then, CancellationToken ct)
    {
        var ids = view.Agenda.Where(i => i.ResolutionId is not null).Select(i => i.ResolutionId!.Value).Distinct().ToArray();
        var status = new Dictionary<Guid, ResolutionStatus>();
        if (then is null)
        {
            foreach (var r in ids.Length == 0 ? [] : await session.LoadManyAsync<Resolution>(ct, ids)) status[r.Id] = r.Status;
        }
        else
        {
            foreach (var rid in ids)
            {
                var atThen = await ResolutionHistory.VersionAtAsync(session, rid, then.Value, ct);
                if ((await ResolutionHistory.FoldAsync(session, rid, atThen, ct)).View is { } r) status[rid] = r.Status;
            }
        }
        return new SessionRead(view, [.. view.Agenda.Select(i => new AgendaItemRead(i.Id, i.Number, i.ResolutionId, i.Title, i.Note,
            i.ResolutionId is { } rid && status.TryGetValue(rid, out var s) ? s : null))]);
    }

    /// <summary>The sessions of a body in the order they start.</summary>
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

    /// <summary>A request for a special session now, or as it stood at a version of its stream (<c>?version=n</c>).</summary>
    [WolverineGet("/api/special-session-requests/{id}", OperationId = "getSpecialSessionRequest"), Tags("Sessions")]
    [ProducesResponseType<SpecialSessionRequestView>(200)]
    public static async Task<IResult> GetRequest(Guid id, long? version, IQuerySession session, CancellationToken ct)
    {
        var view = await session.LoadAsync<SpecialSessionRequestView>(id, ct);
        if (view is null) return Problems.Missing($"There is no special-session request {id}.").ToResult();
        if (version is not { } v) return Results.Ok(view);
        if (v < 1 || v > view.Version)
            return Problems.Missing($"Special-session request {id} has versions 1 to {view.Version}; there is no version {v}.").ToResult();
        var events = await session.Events.FetchStreamAsync(id, v, token: ct);
        return Results.Ok(events.Aggregate((SpecialSessionRequestView?)null, (state, e) => SpecialSessionRequestView.Next(state, e.Data)));
    }
}
