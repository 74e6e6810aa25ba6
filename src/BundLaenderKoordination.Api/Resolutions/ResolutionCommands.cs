using System.Diagnostics;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// The one path by which a command changes a resolution: load the write model, check the expected version, decide,
/// append, commit. A refused command appends nothing. Commands without an expected version (a vote, a comment) are
/// commutative with others' writes, so a lost race is retried on fresh state instead of being reported as a conflict.
/// </summary>
public static class ResolutionCommands
{
    // Every lost race means another writer succeeded, so 17 concurrent writers on one stream (16 Länder and the
    // Bund) all get through within this many attempts; the jitter spreads out the retries.
    private const int AttemptsForCommutativeCommands = 20;

    /// <summary>The state after the command, its version, and the caller as they acted in the resolution's body.</summary>
    public sealed record Outcome(Resolution State, long Version, Caller Acting);

    public static async Task<IResult> Execute(
        IDocumentStore store, Guid id, long? expectedVersion, Caller caller,
        Func<Resolution, Body, Caller, Decision> decide, Func<Outcome, IResult> respond, CancellationToken ct,
        Func<IDocumentSession, Resolution, IReadOnlyList<object>, Task>? alongside = null, IWolverineRuntime? messaging = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession(store, caller);
            // One round trip for the write model and the bodies (a handful of small documents) instead of two in a row.
            var batch = session.CreateBatchQuery();
            var fetching = batch.Events.FetchForWriting<Resolution>(id);
            var loadingBodies = batch.Query<Body>().ToList();
            _ = batch.Load<GettingResolution.ResolutionView>(id);
            _ = batch.Load<History.ResolutionSearchEntry>(id);
            await batch.Execute(ct);
            var stream = await fetching;
            // Before the version check: a non-member learns nothing, not even that the stream moved on.
            if (stream.Aggregate is not { } state || !Confidentiality.MaySee(caller, state.Body, state.RestrictedTo))
                return Confidentiality.NotFound(id).ToResult();
            if (expectedVersion is { } expected && expected != stream.CurrentVersion)
                return Problems.Stale(expected, stream.CurrentVersion ?? 0).ToResult();

            var body = (await loadingBodies).FirstOrDefault(b => b.Id == state.Body)
                       ?? throw new InvalidOperationException($"Body {state.Body} of resolution {id} is missing.");
            var acting = caller.In(body.Id);
            var decision = decide(state, body, acting);
            if (decision.Refusal is { } refusal) return refusal.ToResult();

            var version = stream.CurrentVersion ?? 0;
            if (decision.Events.Count > 0)
            {
                stream.AppendMany(decision.Events);
                // Appends to other streams that follow from these events commit in the same transaction.
                if (alongside is not null) await alongside(session, state, decision.Events);
                await ScheduleAsync(session, decision, messaging);
                try
                {
                    await session.SaveChangesAsync(ct);
                }
                catch (Exception ex) when (expectedVersion is null && Concurrency.IsConflict(ex) && attempt < AttemptsForCommutativeCommands)
                {
                    Telemetry.CommandRetries.Add(1);
                    await Task.Delay(Random.Shared.Next(1, 5 * Math.Min(attempt, 6)), ct);
                    continue;
                }
            }

            var after = decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
            return respond(new Outcome(after, version + decision.Events.Count, acting));
        }
    }

    public static async Task<IResult> Start(
        IDocumentStore store, Guid id, string bodyId, Caller caller,
        Func<Body, Caller, Decision> decide, Func<Outcome, IResult> respond, CancellationToken ct)
    {
        await using var session = OpenSession(store, caller);
        var body = await session.LoadBodyAsync(bodyId, ct);
        if (body is null) return Problems.Invalid($"There is no body '{bodyId}'.").ToResult();
        var acting = caller.In(body.Id);
        var decision = decide(body, acting);
        if (decision.Refusal is { } refusal) return refusal.ToResult();

        session.Events.StartStream<Resolution>(id, decision.Events.ToArray());
        await session.SaveChangesAsync(ct);
        return respond(new Outcome(Resolution.Fold(decision.Events)!, decision.Events.Count, acting));
    }

    /// <summary>
    /// Messages that follow from the decision go through Wolverine's outbox enrolled in this session: they are stored
    /// in the same transaction as the events and handed to their queue only after it commits.
    /// </summary>
    private static async Task ScheduleAsync(IDocumentSession session, Decision decision, IWolverineRuntime? messaging)
    {
        if (decision.Scheduled.Count == 0) return;
        if (messaging is null) throw new InvalidOperationException("This command schedules messages; pass the Wolverine runtime.");
        var outbox = new MartenOutbox(messaging, session);
        foreach (var scheduled in decision.Scheduled) await outbox.ScheduleAsync(scheduled.Message, scheduled.At);
    }

    private static IDocumentSession OpenSession(IDocumentStore store, Caller caller)
    {
        var session = store.IdentitySession();
        // Stored in the event rows' metadata next to the actor in the event body, for operators tracing a request.
        session.LastModifiedBy = caller.PersonId;
        session.CorrelationId = Activity.Current?.TraceId.ToString();
        return session;
    }
}
