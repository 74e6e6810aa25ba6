using BundLaenderKoordination.LocalPostgres;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Where the events live: the configured database (<c>ConnectionStrings:Marten</c>) as is, or, in Development only and
/// when none is configured, a private PostgreSQL started from the installed server binaries with its data kept under
/// <c>.data/postgres</c>. The service connects to it as the role <see cref="ServiceRole"/>, which owns the service's
/// schema and nothing else (see docs/security.md, "The embedded database").
/// </summary>
public static class Database
{
    public const string ServiceRole = "blk_app";

    public const string MissingConnectionString =
        "No database is configured. Outside Development the service needs ConnectionStrings__Marten (an Npgsql connection " +
        "string to a PostgreSQL server for a role that owns the service's schema, see docs/operations.md); the embedded " +
        "PostgreSQL is for Development only.";

    public static async Task<string> ConnectionStringAsync(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Marten");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        if (!builder.Environment.IsDevelopment())
            throw new InvalidOperationException(MissingConnectionString);

        var configuredDirectory = builder.Configuration["LocalPostgres:DataDirectory"];
        var dataDirectory = configuredDirectory ?? DefaultDataDirectory(builder.Environment.ContentRootPath);
        Console.WriteLine($"No ConnectionStrings__Marten configured: starting a local PostgreSQL in {dataDirectory}");
        var server = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions
            {
                DataDirectory = dataDirectory,
                DatabaseName = "blk",
                ServiceRole = ServiceRole,
                ServiceSchema = builder.Configuration["Marten:Schema"] ?? "blk",
                // .data belongs to the service (keys and cluster); a configured folder's surroundings are the operator's.
                OwnsParentDirectory = configuredDirectory is null,
            },
            message => Console.WriteLine("  " + message));
        // A local cluster of several nodes (ops/cluster.sh) shares the server: no node stops it, the script does.
        if (builder.Configuration.GetValue("LocalPostgres:KeepRunning", false))
            return server.ConnectionString;
        // Registered through a factory so that the container disposes (stops) it also when start-up fails later on.
        builder.Services.AddSingleton(_ => server);
        builder.Services.AddHostedService<LocalPostgresLifetime>();
        return server.ConnectionString;
    }

    private static string DefaultDataDirectory(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln")))
                return Path.Combine(dir.FullName, ".data", "postgres");
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "bund-laender-koordination", "postgres");
    }

    /// <summary>Stops the local server with the service, so that no PostgreSQL is left behind.</summary>
    private sealed class LocalPostgresLifetime(LocalPostgresServer server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
    }
}
