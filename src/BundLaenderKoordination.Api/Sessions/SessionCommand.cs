using System.Diagnostics;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using JasperFx.Events;
using Marten;

namespace BundLaenderKoordination.Api.Sessions;

/// <summary>
/// The step every command on a session or a special-session request shares, between Wolverine loading the write model
/// (the aggregate handler workflow: <c>[WriteAggregate] IEventStream&lt;TState&gt;</c>, the bodies in the same round
/// trip) and Wolverine committing what it appended (transactional middleware). An unknown stream is 404, a refused
/// decision appends nothing, a lost race is answered 409 by the global handler; the answer is built from the state
/// after the events.
/// </summary>
public static class SessionCommand
{
    public static IResult Decide<TState>(IEventStream<TState> stream, IReadOnlyList<Body> bodies, IDocumentSession session, Caller caller,
        string what, Func<TState, string> bodyOf, Func<TState, Body, Caller, Decision> decide, Func<TState, IResult> respond,
        Func<TState?, object, TState?> next) where TState : class
    {
        if (stream.Aggregate is not { } state) return Problems.Missing($"There is no {what} {stream.Id}.").ToResult();
        var body = bodies.FirstOrDefault(b => b.Id == bodyOf(state))
                   ?? throw new InvalidOperationException($"The body of {what} {stream.Id} is missing.");
        var decision = decide(state, body, caller.In(body.Id));
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        if (decision.Events.Count > 0)
        {
            Attribute(session, caller);
            stream.AppendMany(decision.Events);
        }
        return respond(decision.Events.Aggregate((TState?)state, next)!);
    }

    /// <summary>
    /// A command that starts a new stream in a body (a session, a special-session request): the body is loaded by
    /// Wolverine (<c>[Entity]</c>), the stream started on the session Wolverine commits (<c>[Transactional]</c>).
    /// </summary>
    public static IResult Start<TState>(Guid id, string bodyCode, Body? body, IDocumentSession session, Caller caller,
        Func<Body, Caller, Decision> decide, Func<TState, IResult> respond, Func<TState?, object, TState?> next) where TState : class
    {
        if (body is null) return Problems.Missing($"There is no body '{bodyCode}'.").ToResult();
        var decision = decide(body, caller.In(body.Id));
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        Attribute(session, caller);
        session.Events.StartStream<TState>(id, decision.Events.ToArray());
        return respond(decision.Events.Aggregate((TState?)null, next)!);
    }

    // Stored in the event rows' metadata next to the actor in the event body, for operators tracing a request.
    private static void Attribute(IDocumentSession session, Caller caller)
    {
        session.LastModifiedBy = caller.PersonId;
        session.CorrelationId ??= Activity.Current?.TraceId.ToString();
    }
}
