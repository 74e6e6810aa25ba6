using System.Text.Json;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
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

/// <summary>How many live streams one person may hold open, and how many of all streams may read the database at once.</summary>
public sealed class LiveUpdatesOptions
{
    public const string Section = "LiveUpdates";

    /// <summary>Open streams per person on one instance; one more is refused with 429.</summary>
    public int MaxStreamsPerPerson { get; set; } = 5;

    /// <summary>Streams of one instance reading the database at the same time: the most connections they take together.</summary>
    public int MaxConcurrentReads { get; set; } = 4;

    /// <summary>Seconds a refused client waits before it tries again.</summary>
    public int RetryAfterSeconds { get; set; } = 30;
}

/// <summary>
/// The live streams of this instance: who holds how many open, and a gate that lets only a few of them read the
/// database at once. Streams read nothing between changes (they wait for <see cref="CommitSignal"/>) and open a short
/// session per read, so hundreds of open streams take no more than <see cref="LiveUpdatesOptions.MaxConcurrentReads"/>
/// connections, and none while nothing changes.
/// </summary>
public sealed class LiveStreams(IOptions<LiveUpdatesOptions> options)
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reads = new(Math.Max(1, options.Value.MaxConcurrentReads));

    public LiveUpdatesOptions Options => options.Value;

    /// <summary>A place for one more stream of the person, or null when they hold the most they may.</summary>
    public IDisposable? TryOpen(string personId)
    {
        lock (_open)
        {
            var count = _open.GetValueOrDefault(personId);
            if (count >= options.Value.MaxStreamsPerPerson) return null;
            _open[personId] = count + 1;
        }
        return new Lease(this, personId);
    }

    public int OpenCount(string personId)
    {
        lock (_open) return _open.GetValueOrDefault(personId);
    }

    private void Close(string personId)
    {
        lock (_open)
        {
            if (_open.GetValueOrDefault(personId) <= 1) _open.Remove(personId);
            else _open[personId]--;
        }
    }

    /// <summary>Runs one read of a stream when it is its turn; nothing is written to the client meanwhile.</summary>
    public async Task<T> ReadAsync<T>(Func<Task<T>> read, CancellationToken ct)
    {
        await _reads.WaitAsync(ct);
        try
        {
            return await read();
        }
        finally
        {
            _reads.Release();
        }
    }

    public ProblemDetails TooMany() =>
        Problems.Make(Problems.TooManyStreams, 429, "Too many live streams open.",
            $"You may hold {options.Value.MaxStreamsPerPerson} live streams open at once. Close one (a tab or window with a live view) " +
            $"or wait {options.Value.RetryAfterSeconds} seconds (Retry-After) and try again.",
            ("maxStreams", options.Value.MaxStreamsPerPerson), ("retryAfterSeconds", options.Value.RetryAfterSeconds));

    public async Task RefuseAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await TooMany().ToResult().ExecuteAsync(context);
    }

    private sealed class Lease(LiveStreams streams, string personId) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) streams.Close(personId);
        }
    }
}

/// <summary>
/// The one database listener of this instance for its live streams: once per poll interval it reads the event store's
/// high-water mark on one short connection and wakes the streams when another instance appended. Commits of this
/// instance wake them at once through the session listener.
/// </summary>
public sealed class EventStoreWatcher(IDocumentStore store, CommitSignal signal, ILogger<EventStoreWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sql = $"SELECT coalesce(max(seq_id), 0) FROM {store.Options.Events.DatabaseSchemaName}.mt_events";
        long? seen = null;
        using var timer = new PeriodicTimer(LiveUpdates.PollInterval);
        try
        {
            do
            {
                try
                {
                    await using var connection = store.Storage.Database.CreateConnection();
                    await connection.OpenAsync(stoppingToken);
                    await using var command = new NpgsqlCommand(sql, connection);
                    var now = Convert.ToInt64(await command.ExecuteScalarAsync(stoppingToken));
                    if (seen is not null && now != seen) signal.Pulse();
                    seen = now;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // An outage: the streams wait; they are woken once the database answers again.
                    logger.LogDebug(ex, "The live streams' watcher could not read the event store");
                    seen = null;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
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
        services.AddOptions<LiveUpdatesOptions>().BindConfiguration(LiveUpdatesOptions.Section);
        services.AddSingleton<LiveStreams>();
        services.AddHostedService<EventStoreWatcher>();
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

    /// <summary>
    /// Waits for the next commit (of this process, or of another one as the <see cref="EventStoreWatcher"/> sees it) or
    /// the poll interval; sends a keep-alive comment now and then. True when something was committed.
    /// </summary>
    public static async Task<bool> WaitAsync(Task nextCommit, HttpResponse response, Func<DateTimeOffset> now, Ref<DateTimeOffset> lastWrite, CancellationToken ct)
    {
        var committed = true;
        try
        {
            await nextCommit.WaitAsync(PollInterval, ct);
        }
        catch (TimeoutException)
        {
            committed = false;
        }
        if (now() - lastWrite.Value > KeepAliveInterval)
        {
            await response.WriteAsync(": keep-alive\n\n", ct);
            await response.Body.FlushAsync(ct);
            lastWrite.Value = now();
        }
        return committed;
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
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<string>(200, "text/event-stream")]
    public static async Task Get(Guid id, long? lastEventId, HttpContext context, IDocumentStore store, CommitSignal signal,
        LiveStreams streams, IOptions<JsonOptions> json, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(context.User);
        using var place = streams.TryOpen(caller.PersonId);
        if (place is null)
        {
            await streams.RefuseAsync(context);
            return;
        }
        // A session for each read, closed right after it: the resolution is read with the events the projection daemon
        // has not applied yet, and an open stream holds no connection between reads.
        var view = await streams.ReadAsync(async () =>
        {
            await using var session = store.QuerySession();
            return await Confidentiality.FindAsync(session, id, caller, ct);
        }, ct);
        if (view is null)
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
            var committed = true;
            while (!ct.IsCancellationRequested)
            {
                var nextCommit = signal.Next;
                // Nothing is read while nothing was committed.
                if (committed)
                {
                    var events = await streams.ReadAsync<IReadOnlyList<IEvent>?>(async () =>
                    {
                        await using var session = store.QuerySession();
                        // A member whose mandate was revoked while listening reads no further.
                        if (view.RestrictedTo.Count > 0 && !Confidentiality.MaySee(await Confidentiality.RefreshAsync(session, caller, ct), view.Body, view.RestrictedTo))
                            return null;
                        return await session.Events.FetchStreamAsync(id, fromVersion: last + 1, token: ct);
                    }, ct);
                    if (events is null) return;
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
                }
                committed = await LiveUpdates.WaitAsync(nextCommit, context.Response, clock.GetUtcNow, lastWrite, ct);
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
    private const int Batch = 1000;

    private sealed record Read(
        IReadOnlyList<IEvent> Events, IReadOnlySet<string>? Holders, HashSet<Guid> InBody, Func<TimelineEntry, bool> Visible);

    /// <summary>
    /// New entries of a body's timeline (its own steps, its sessions', its special-session requests' and its
    /// resolutions') as Server-Sent Events (id = global sequence), in the order they were committed; resumable with
    /// <c>Last-Event-ID</c>.
    /// </summary>
    [WolverineGet("/api/bodies/{bodyId}/live", OperationId = "streamBodyTimeline"), Tags("History")]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<string>(200, "text/event-stream")]
    public static async Task Get(string bodyId, long? lastEventId, HttpContext context, IDocumentStore store, CommitSignal signal,
        LiveStreams streams, IOptions<JsonOptions> json, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(context.User);
        using var place = streams.TryOpen(caller.PersonId);
        if (place is null)
        {
            await streams.RefuseAsync(context);
            return;
        }
        var schema = store.Options.Events.DatabaseSchemaName;
        var body = await streams.ReadAsync(async () =>
        {
            await using var session = store.QuerySession();
            return await session.LoadBodyAsync(bodyId, ct);
        }, ct);
        if (body is null)
        {
            await Problems.Missing($"There is no body '{bodyId}'.").ToResult().ExecuteAsync(context);
            return;
        }

        var language = EventDescriptions.FromRequest(context.Request);
        var last = LiveUpdates.LastEventId(context.Request, lastEventId) ?? 0;
        LiveUpdates.StartStream(context.Response);
        await context.Response.Body.FlushAsync(ct);
        var lastWrite = new LiveUpdates.Ref<DateTimeOffset>(clock.GetUtcNow());
        // Missing numbers below `fenceBelow` are settled once the appends that were open when it was taken have ended.
        PendingAppends.Fence? fence = null;
        var fenceBelow = 0L;
        try
        {
            // Read when something was committed, while a gap waits to settle, and while a full batch says there is more.
            var again = true;
            while (!ct.IsCancellationRequested)
            {
                var nextCommit = signal.Next;
                var waiting = false;
                if (again)
                {
                    // All database work of one round in one turn, on one short session and connection, none of it while
                    // writing to the client.
                    var read = await streams.ReadAsync(async () =>
                    {
                        await using var session = store.QuerySession();
                        // Before the events: a fence found drained here means the read below sees all its commits.
                        IReadOnlySet<string>? holders = null;
                        if (fence is not null)
                        {
                            await using var connection = store.Storage.Database.CreateConnection();
                            await connection.OpenAsync(ct);
                            holders = await PendingAppends.HoldersAsync(connection, schema, ct);
                        }
                        // All events after the last one sent, to see gaps in the global order: a sequence number is taken
                        // when an append starts, so a lower one can still be committing while a higher one is visible.
                        var events = await session.Events.QueryAllRawEvents()
                            .Where(e => e.Sequence > last).OrderBy(e => e.Sequence).Take(Batch).ToListAsync(ct);
                        // Read after the events: a stream's read model commits with its first event, so every stream
                        // of the body among those events is known by now.
                        HashSet<Guid> inBody = events.Count == 0 ? [] : [.. await BodyEvents.StreamsAsync(session, body, ct)];
                        // With the mandates in effect now: a member revoked while listening reads no further entries of the group's resolutions.
                        var visible = events.Count == 0
                            ? _ => false
                            : await TimelineVisibility.ForAsync(session, caller = await Confidentiality.RefreshAsync(session, caller, ct), body.Id, ct);
                        return new Read(events, holders, inBody, visible);
                    }, ct);

                    var wrote = false;
                    foreach (var e in read.Events)
                    {
                        if (e.Sequence != last + 1)
                        {
                            // A lower number can still be committing while a higher one is visible: wait until no append
                            // that could fill the gap is open any more.
                            var settled = fence is not null && read.Holders is not null && e.Sequence <= fenceBelow && fence.DrainedBy(read.Holders);
                            if (!settled)
                            {
                                waiting = true;
                                break;
                            }
                        }
                        if (read.InBody.Contains(e.StreamId) && Timeline.Entry(e, language) is var entry && read.Visible(entry))
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
                        fence = await streams.ReadAsync(async () =>
                        {
                            await using var connection = store.Storage.Database.CreateConnection();
                            await connection.OpenAsync(ct);
                            return await PendingAppends.TakeAsync(connection, schema, clock.GetUtcNow(), ct);
                        }, ct);
                        fenceBelow = read.Events[^1].Sequence;
                        if (fence.Empty) continue;
                    }
                    else if (read.Events.Count == Batch) continue;
                }
                again = await LiveUpdates.WaitAsync(nextCommit, context.Response, clock.GetUtcNow, lastWrite, ct) || waiting;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
