using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>
/// The framework floor: the least a vote costs on Wolverine's aggregate handler workflow with Marten, without any of
/// the service's rules, identity or projections. A host of its own (its own Kestrel port, its own Marten store on the
/// schema <see cref="Schema"/> of the same PostgreSQL, Wolverine HTTP), so that none of the service's policies and
/// middleware apply. Its one endpoint loads a tiny aggregate with <c>[WriteAggregate]</c> (FetchForWriting of an
/// inline snapshot), returns one <see cref="VoteCast"/> (the service's own event type, serialised with the service's
/// settings) that Wolverine appends, and commits.
/// </summary>
public sealed class FrameworkFloor : IAsyncDisposable
{
    public const string Schema = "floor";

    private readonly WebApplication _app;

    private FrameworkFloor(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IDocumentStore Store => _app.Services.GetRequiredService<IDocumentStore>();

    public static async Task<FrameworkFloor> StartAsync(string connectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FrameworkFloor).Assembly.GetName().Name,
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMarten(options =>
            {
                options.Connection(connectionString);
                options.DatabaseSchemaName = Schema;
                // The service's serialiser settings and event metadata columns, so that the same event is stored as
                // the same JSON in a row of the same shape.
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.Events.MetadataConfig.UserNameEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Projections.Snapshot<FloorTally>(SnapshotLifecycle.Inline);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine();
        builder.Host.UseWolverine(options =>
        {
            // Only this assembly's endpoint (the floor's); the service's handlers and policies are not part of it.
            options.ApplicationAssembly = typeof(FrameworkFloor).Assembly;
            options.ServiceName = "blk-bench-floor";
            options.Durability.Mode = DurabilityMode.Solo;
            options.Policies.AutoApplyTransactions();
        });
        builder.Services.DisableAllExternalWolverineTransports();
        builder.Services.AddWolverineHttp();
        var app = builder.Build();
        app.MapWolverineEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FrameworkFloor(app, new Uri(address));
    }

    /// <summary>The vote event as the service appends it (see <c>Workloads.VoteJson</c>), for the given stream.</summary>
    public static VoteCast Vote(Guid id, VoteChoice choice, int textVersion) => new(
        id, "DE-BY", choice, textVersion, new string('a', 64),
        new Actor("dev:bench-de-by", "Vertretung DE-BY", "DE-BY", Roles.Representative), DateTimeOffset.UtcNow);

    /// <summary>Starts a stream for one client to vote on, with one vote (what the endpoint's aggregate needs to exist).</summary>
    public async Task<Guid> StartStreamAsync()
    {
        var id = Guid.CreateVersion7();
        await using var session = Store.LightweightSession();
        session.Events.StartStream<FloorTally>(id, Vote(id, VoteChoice.Yes, 1));
        await session.SaveChangesAsync();
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The floor's aggregate: as small as an aggregate gets. Stored inline as a snapshot, so that loading it for a
/// command is one read by key whatever the stream's length (as the service's write model is).</summary>
public sealed record FloorTally(Guid Id, int Votes)
{
    public static FloorTally Create(VoteCast e) => new(e.ResolutionId, 1);

    public FloorTally Apply(VoteCast e) => this with { Votes = Votes + 1 };
}

/// <summary>The request body of a floor vote: the same JSON the service's vote endpoint takes.</summary>
public sealed record FloorVote(string? Choice, int? TextVersion);

/// <summary>The framework floor's one endpoint (see <see cref="FrameworkFloor"/>).</summary>
public static class FrameworkFloorEndpoint
{
    /// <summary>Wolverine's aggregate handler workflow: <c>[WriteAggregate]</c> fetches the stream for writing, the
    /// returned event is appended to it and the session committed; the answer is 204.</summary>
    [WolverinePost("/floor/resolutions/{id}/votes"), EmptyResponse]
    public static VoteCast Post(FloorVote command, [WriteAggregate] FloorTally tally) =>
        FrameworkFloor.Vote(tally.Id, command.Choice == "yes" ? VoteChoice.Yes : VoteChoice.No, command.TextVersion ?? 1);
}
