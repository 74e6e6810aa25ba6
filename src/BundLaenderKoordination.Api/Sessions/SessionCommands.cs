using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Marten;

namespace BundLaenderKoordination.Api.Sessions;

/// <summary>
/// The one path by which a command changes a session or a special-session request stream: load its state and its
/// body, decide, append. A refused command appends nothing; a lost race is answered 409 by the global handler.
/// </summary>
public static class SessionCommands
{
    public static async Task<IResult> Execute<TState>(IDocumentStore store, Guid id, Caller caller, Func<TState, string> bodyOf,
        Func<TState, Body, IDocumentSession, Task<Decision>> decide, Func<TState, IResult> respond, Func<TState?, object, TState?> next, string what,
        CancellationToken ct) where TState : class
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = caller.PersonId;
        var stream = await session.Events.FetchForWriting<TState>(id, ct);
        if (stream.Aggregate is not { } state) return Problems.Missing($"There is no {what} {id}.").ToResult();
        var body = await session.LoadBodyAsync(bodyOf(state), ct)
                   ?? throw new InvalidOperationException($"The body of {what} {id} is missing.");
        var decision = await decide(state, body, session);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        if (decision.Events.Count > 0)
        {
            stream.AppendMany(decision.Events);
            await session.SaveChangesAsync(ct);
        }
        return respond(decision.Events.Aggregate((TState?)state, next)!);
    }

    public static async Task<IResult> Start<TState>(IDocumentStore store, Guid id, string bodyCode, Caller caller,
        Func<Body, IDocumentSession, Task<Decision>> decide, Func<TState, IResult> respond, Func<TState?, object, TState?> next, CancellationToken ct)
        where TState : class
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = caller.PersonId;
        var body = await session.LoadBodyAsync(bodyCode, ct);
        if (body is null) return Problems.Missing($"There is no body '{bodyCode}'.").ToResult();
        var decision = await decide(body, session);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        session.Events.StartStream<TState>(id, decision.Events.ToArray());
        await session.SaveChangesAsync(ct);
        return respond(decision.Events.Aggregate((TState?)null, next)!);
    }
}
