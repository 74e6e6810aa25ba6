using System.Diagnostics;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using JasperFx.Events;
using Marten;
using Wolverine;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// The step every command on a resolution shares, between Wolverine loading the write model (the aggregate handler
/// workflow: <c>[WriteAggregate] IEventStream&lt;Resolution&gt;</c>) and Wolverine committing what it appended together
/// with the outgoing messages (transactional middleware, Marten outbox). A non-member learns nothing (404 before the
/// version check), a stale expected version is 409, a refused decision appends nothing; the answer is built from the
/// state after the events, with the version the caller reads their own write by.
/// </summary>
public static class ResolutionCommand
{
    /// <summary>The state after the command, its version, the caller as they acted in the resolution's body, and the events appended.</summary>
    public sealed record Outcome(Resolution State, long Version, Caller Acting, IReadOnlyList<object> Events);

    public static (IResult, OutgoingMessages) Decide(
        IEventStream<Resolution> stream, IReadOnlyList<Body> bodies, IDocumentSession session, long? expectedVersion, Caller caller,
        Func<Resolution, Body, Caller, Decision> decide, Func<Outcome, IResult> respond,
        Action<IDocumentSession, Resolution, IReadOnlyList<object>>? alongside = null)
    {
        var none = new OutgoingMessages();
        // Before the version check: a non-member learns nothing, not even that the stream moved on.
        if (stream.Aggregate is not { } state || !Confidentiality.MaySee(caller, state.Body, state.RestrictedTo))
            return (Confidentiality.NotFound(stream.Id).ToResult(), none);
        var version = stream.CurrentVersion ?? 0;
        if (expectedVersion is { } expected && expected != version)
            return (Problems.Stale(expected, version).ToResult(), none);

        var body = bodies.FirstOrDefault(b => b.Id == state.Body)
                   ?? throw new InvalidOperationException($"Body {state.Body} of resolution {stream.Id} is missing.");
        var acting = caller.In(body.Id);
        var decision = decide(state, body, acting);
        if (decision.Refusal is { } refusal) return (refusal.ToResult(), none);

        var messages = Append(stream, session, state, decision, caller.PersonId, alongside);
        var after = decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
        return (respond(new Outcome(after, version + decision.Events.Count, acting, decision.Events)), messages);
    }

    /// <summary>The first command of a resolution: it starts the stream, in the body named by the command.</summary>
    public static IResult Start(IDocumentSession session, IReadOnlyList<Body> bodies, Guid id, string bodyCode, Caller caller,
        Func<Body, Caller, Decision> decide, Func<Outcome, IResult> respond)
    {
        var streamId = Body.StreamIdFor(bodyCode);
        if (bodies.FirstOrDefault(b => b.StreamId == streamId) is not { } body) return Problems.Invalid($"There is no body '{bodyCode}'.").ToResult();
        var acting = caller.In(body.Id);
        var decision = decide(body, acting);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        session.LastModifiedBy = caller.PersonId;
        session.CorrelationId ??= Activity.Current?.TraceId.ToString();
        session.Events.StartStream<Resolution>(id, decision.Events.ToArray());
        return respond(new Outcome(Resolution.Fold(decision.Events)!, decision.Events.Count, acting, decision.Events));
    }

    /// <summary>
    /// The same step for a message the service sends itself (a deadline): no caller to check, nothing to answer; a
    /// resolution that is gone or a decision that appends nothing leaves the stream as it is.
    /// </summary>
    public static OutgoingMessages Apply(IEventStream<Resolution> stream, IReadOnlyList<Body> bodies, IDocumentSession session, Actor system,
        Func<Resolution, Body, Decision> decide, Action<IDocumentSession, Resolution, IReadOnlyList<object>>? alongside = null)
    {
        if (stream.Aggregate is not { } state || bodies.FirstOrDefault(b => b.Id == state.Body) is not { } body) return new OutgoingMessages();
        var decision = decide(state, body);
        return decision.Refusal is not null ? new OutgoingMessages() : Append(stream, session, state, decision, system.PersonId, alongside);
    }

    /// <summary>Appends an accepted decision's events (and what follows from them on other streams); its messages go out with the commit.</summary>
    private static OutgoingMessages Append(IEventStream<Resolution> stream, IDocumentSession session, Resolution state, Decision decision,
        string personId, Action<IDocumentSession, Resolution, IReadOnlyList<object>>? alongside)
    {
        var messages = new OutgoingMessages();
        if (decision.Events.Count == 0) return messages;
        // Stored in the event rows' metadata next to the actor in the event body, for operators tracing a request.
        session.LastModifiedBy = personId;
        session.CorrelationId ??= Activity.Current?.TraceId.ToString();
        stream.AppendMany(decision.Events);
        // Appends to other streams that follow from these events commit in the same transaction.
        alongside?.Invoke(session, state, decision.Events);
        foreach (var scheduled in decision.Scheduled) messages.Schedule(scheduled.Message, scheduled.At);
        return messages;
    }
}

/// <summary>
/// The resolution a command writes to, loaded by Wolverine's aggregate handler workflow with the stream's row locked
/// (<c>SELECT … FOR UPDATE</c>) until the command commits: commands on one resolution queue instead of racing, so a
/// vote or a comment never loses a race and nothing is retried; a stale expected version is still answered 409 by
/// <see cref="ResolutionCommand.Decide"/>. Missing or invisible resolutions are answered 404 there, not by Wolverine.
/// The write model is the only document a command writes; the read models follow through the projection daemon.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ResolutionStreamAttribute : Wolverine.Marten.WriteAggregateAttribute
{
    public ResolutionStreamAttribute()
    {
        LoadStyle = Wolverine.Marten.ConcurrencyStyle.Exclusive;
        Required = false;
    }
}
