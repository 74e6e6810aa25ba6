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
    /// <summary>The state after the command, its version, and the caller as they acted in the resolution's body.</summary>
    public sealed record Outcome(Resolution State, long Version, Caller Acting);

    public static (IResult, OutgoingMessages) Decide(
        IEventStream<Resolution> stream, IReadOnlyList<Body> bodies, IDocumentSession session, Caller caller, long? expectedVersion,
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

        var messages = new OutgoingMessages();
        if (decision.Events.Count > 0)
        {
            // Stored in the event rows' metadata next to the actor in the event body, for operators tracing a request.
            session.LastModifiedBy = caller.PersonId;
            session.CorrelationId ??= Activity.Current?.TraceId.ToString();
            stream.AppendMany(decision.Events);
            // Appends to other streams that follow from these events commit in the same transaction.
            alongside?.Invoke(session, state, decision.Events);
            foreach (var scheduled in decision.Scheduled) messages.Schedule(scheduled.Message, scheduled.At);
        }
        var after = decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
        return (respond(new Outcome(after, version + decision.Events.Count, acting)), messages);
    }
}
