using System.Text.Json;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Wolverine.Http;

using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.History;

/// <summary>Wakes the live streams of this process as soon as a session commits, instead of at the next poll.</summary>
public sealed class CommitSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next commit. Take it before reading, so that a commit during the read is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

public sealed class CommitSignalListener(CommitSignal signal) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetEvents().Any()) signal.Pulse();
        return Task.CompletedTask;
    }
}

public sealed class LiveUpdatesMartenConfiguration(CommitSignal signal) : IConfigureMarten
{
    public void Configure(IServiceProvider services, StoreOptions options) => options.Listeners.Add(new CommitSignalListener(signal));
}

/// <summary>
/// Server-Sent Events of new timeline entries. Each entry's SSE id is its position (the stream version of a
/// resolution, the global sequence for a body); a client that reconnects with <c>Last-Event-ID</c> gets exactly the
/// entries after it. New entries arrive as soon as they are committed in this process, and within a second when
/// another instance wrote them.
/// </summary>
public static class LiveUpdates
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static void AddLiveUpdates(this IServiceCollection services)
    {
        services.AddSingleton<CommitSignal>();
        services.AddSingleton<IConfigureMarten, LiveUpdatesMartenConfiguration>();
    }

    public static long? LastEventId(HttpRequest request, long? lastEventId)
    {
        if (lastEventId is not null) return lastEventId;
        var header = request.Headers["Last-Event-ID"].ToString();
        return long.TryParse(header, out var id) ? id : null;
    }

    public static void StartStream(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    public static async Task WriteAsync(HttpResponse response, long id, TimelineEntry entry, JsonSerializerOptions json, CancellationToken ct)
    {
        await response.WriteAsync($"id: {id}\nevent: timeline\ndata: {JsonSerializer.Serialize(entry, json)}\n\n", ct);
    }

    /// <summary>Waits for the next commit in this process or the poll interval; sends a keep-alive comment now and then.</summary>
    public static async Task WaitAsync(Task nextCommit, HttpResponse response, Func<DateTimeOffset> now, Ref<DateTimeOffset> lastWrite, CancellationToken ct)
    {
        try
        {
            await nextCommit.WaitAsync(PollInterval, ct);
        }
        catch (TimeoutException)
        {
        }
        if (now() - lastWrite.Value > KeepAliveInterval)
        {
            await response.WriteAsync(": keep-alive\n\n", ct);
            await response.Body.FlushAsync(ct);
            lastWrite.Value = now();
        }
    }

    public sealed class Ref<T>(T value)
    {
        public T Value { get; set; } = value;
    }
}

public static class ResolutionLiveEndpoint
{
    /// <summary>
    /// New timeline entries of a resolution as Server-Sent Events (id = stream version). Starts after
    /// <c>Last-Event-ID</c> (or <c>?lastEventId=</c>), or at the beginning.
    /// </summary>
    [WolverineGet("/api/resolutions/{id}/live", OperationId = "streamResolutionTimeline"), Tags("History")]
    public static async Task Get(Guid id, long? lastEventId, HttpContext context, IDocumentStore store, CommitSignal signal,
        IOptions<JsonOptions> json, TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var caller = Caller.From(context.User);
        if (await Confidentiality.FindAsync(session, id, caller, ct) is not { } view)
        {
            await Confidentiality.NotFound(id).ToResult().ExecuteAsync(context);
            return;
        }

        var language = EventDescriptions.FromRequest(context.Request);
        var last = LiveUpdates.LastEventId(context.Request, lastEventId) ?? 0;
        LiveUpdates.StartStream(context.Response);
        await context.Response.Body.FlushAsync(ct);
        var lastWrite = new LiveUpdates.Ref<DateTimeOffset>(clock.GetUtcNow());
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var nextCommit = signal.Next;
                // A member whose mandate was revoked while listening reads no further.
                if (view.RestrictedTo.Count > 0 && !Confidentiality.MaySee(await Confidentiality.RefreshAsync(session, caller, ct), view.Body, view.RestrictedTo))
                    return;
                var events = await session.Events.FetchStreamAsync(id, fromVersion: last + 1, token: ct);
                foreach (var e in events)
                {
                    await LiveUpdates.WriteAsync(context.Response, e.Version, Timeline.Entry(e, language), json.Value.SerializerOptions, ct);
                    last = e.Version;
                }
                if (events.Count > 0)
                {
                    await context.Response.Body.FlushAsync(ct);
                    lastWrite.Value = clock.GetUtcNow();
                }
                await LiveUpdates.WaitAsync(nextCommit, context.Response, clock.GetUtcNow, lastWrite, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}

public static class BodyLiveEndpoint
{
    /// <summary>
    /// New entries of a body's timeline (its own steps, its sessions', its special-session requests' and its
    /// resolutions') as Server-Sent Events (id = global sequence), in the order they were committed; resumable with
    /// <c>Last-Event-ID</c>.
    /// </summary>
    [WolverineGet("/api/bodies/{bodyId}/live", OperationId = "streamBodyTimeline"), Tags("History")]
    public static async Task Get(string bodyId, long? lastEventId, HttpContext context, IDocumentStore store, CommitSignal signal,
        IOptions<JsonOptions> json, TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var schema = store.Options.Events.DatabaseSchemaName;
        if (await session.LoadBodyAsync(bodyId, ct) is not { } body)
        {
            await Problems.Missing($"There is no body '{bodyId}'.").ToResult().ExecuteAsync(context);
            return;
        }

        var language = EventDescriptions.FromRequest(context.Request);
        var caller = Caller.From(context.User);
        var last = LiveUpdates.LastEventId(context.Request, lastEventId) ?? 0;
        LiveUpdates.StartStream(context.Response);
        await context.Response.Body.FlushAsync(ct);
        var lastWrite = new LiveUpdates.Ref<DateTimeOffset>(clock.GetUtcNow());
        // Missing numbers below `fenceBelow` are settled once the appends that were open when it was taken have ended.
        PendingAppends.Fence? fence = null;
        var fenceBelow = 0L;
        // Opened at the first gap and kept: a listener on a quiet body never needs it.
        NpgsqlConnection? locks = null;
        async Task<NpgsqlConnection> Locks()
        {
            if (locks is not null) return locks;
            locks = store.Storage.Database.CreateConnection();
            await locks.OpenAsync(ct);
            return locks;
        }
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var nextCommit = signal.Next;
                // Before the events: a fence found drained here means the read below sees all its commits.
                var holders = fence is null ? null : await PendingAppends.HoldersAsync(await Locks(), schema, ct);
                // All events after the last one sent, to see gaps in the global order: a sequence number is taken
                // when an append starts, so a lower one can still be committing while a higher one is visible.
                var events = await session.Events.QueryAllRawEvents()
                    .Where(e => e.Sequence > last).OrderBy(e => e.Sequence).Take(1000).ToListAsync(ct);
                // Read after the events: a stream's read model commits with its first event, so every stream
                // of the body among those events is known by now.
                HashSet<Guid> inBody = events.Count == 0 ? [] : [.. await BodyEvents.StreamsAsync(session, body, ct)];
                // With the mandates in effect now: a member revoked while listening reads no further entries of the group's resolutions.
                var visible = events.Count == 0
                    ? _ => false
                    : await TimelineVisibility.ForAsync(session, caller = await Confidentiality.RefreshAsync(session, caller, ct), body.Id, ct);
                var wrote = false;
                var waiting = false;
                foreach (var e in events)
                {
                    if (e.Sequence != last + 1)
                    {
                        // A lower number can still be committing while a higher one is visible: wait until no append
                        // that could fill the gap is open any more.
                        var settled = fence is not null && holders is not null && e.Sequence <= fenceBelow && fence.DrainedBy(holders);
                        if (!settled)
                        {
                            waiting = true;
                            break;
                        }
                    }
                    if (inBody.Contains(e.StreamId) && Timeline.Entry(e, language) is var entry && visible(entry))
                    {
                        await LiveUpdates.WriteAsync(context.Response, e.Sequence, entry, json.Value.SerializerOptions, ct);
                        wrote = true;
                    }
                    last = e.Sequence;
                }
                if (wrote)
                {
                    await context.Response.Body.FlushAsync(ct);
                    lastWrite.Value = clock.GetUtcNow();
                }
                if (waiting)
                {
                    // Taken after the read that showed the gap; covers every number below the highest one read.
                    fence = await PendingAppends.TakeAsync(await Locks(), schema, clock.GetUtcNow(), ct);
                    fenceBelow = events[^1].Sequence;
                    if (fence.Empty) continue;
                }
                await LiveUpdates.WaitAsync(nextCommit, context.Response, clock.GetUtcNow, lastWrite, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            if (locks is not null) await locks.DisposeAsync();
        }
    }
}
