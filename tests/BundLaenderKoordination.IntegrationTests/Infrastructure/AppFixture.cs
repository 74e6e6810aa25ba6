using Alba;
using BundLaenderKoordination.LocalPostgres;
using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Shouldly;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace BundLaenderKoordination.IntegrationTests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL for the whole run (started from the installed binaries by the same component the service
/// uses) and one service host on it, in the Development environment.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private LocalPostgresServer? _postgres;

    public IAlbaHost Host { get; private set; } = null!;
    public ApiClient Api { get; private set; } = null!;
    public string ConnectionString => _postgres!.ConnectionString;

    /// <summary>The checkpoint signing key of this run, outside the database as in production.</summary>
    public string AuditKeyFile { get; } = Path.Combine(Path.GetTempPath(), "blk-tests-audit-" + Guid.NewGuid().ToString("N") + ".key");

    /// <summary>The certificate that encrypts the DataProtection keys of this run, configured as in production.</summary>
    public string KeyCertificateFile { get; } = Path.Combine(Path.GetTempPath(), "blk-tests-keys-" + Guid.NewGuid().ToString("N") + ".pfx");

    public async Task InitializeAsync()
    {
        BundLaenderKoordination.Api.Infrastructure.KeyStorage.CreateCertificateFile(KeyCertificateFile);
        _postgres = await LocalPostgresServer.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "blk-tests-" + Guid.NewGuid().ToString("N")),
            Throwaway = true,
        });
        JasperFxEnvironment.AutoStartHost = true;
        Host = await StartHost("Development", settings: new Dictionary<string, string> { ["Marten:Schema"] = "blk" });
        Api = new ApiClient(Host);
    }

    /// <summary>
    /// A service host on this run's database and key file. <paramref name="settings"/> (configuration keys such as
    /// <c>Marten:Schema</c>) are given to that host alone, as its command-line arguments, so that the service's Program
    /// reads them before the host is built; nothing is set for the whole process. Every host but the fixture's own gets
    /// a schema of its own unless one is named: each host runs the projection daemon's shards (Wolverine in solo mode),
    /// and two hosts must never run the same shard on one schema (a second host on the fixture's schema is started with
    /// <c>Projections:Run=false</c>). <paramref name="without"/> leaves settings out, such as the connection string.
    /// </summary>
    public Task<IAlbaHost> StartHost(string environment, Action<IServiceCollection>? configure = null,
        IReadOnlyDictionary<string, string>? settings = null, IEnumerable<string>? without = null)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Marten"] = ConnectionString,
            ["Audit:KeyFile"] = AuditKeyFile,
            ["DataProtection:CertificateFile"] = KeyCertificateFile,
            ["Marten:Schema"] = "host_" + Guid.NewGuid().ToString("N")[..12],
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        foreach (var key in without ?? []) all.Remove(key);
        return AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment(environment);
            foreach (var (key, value) in all) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
                configure?.Invoke(services);
            });
        });
    }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>
    /// Until the projection daemon has applied every committed event: search and snapshots are kept by it, off the
    /// command path (a read of one resolution never waits; it adds the events the daemon has not applied yet).
    /// </summary>
    public Task ProjectionsCaughtUp() => Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    /// <summary>Runs SQL on the test database directly, as an operator or an attacker with database access would.</summary>
    public async Task Sql(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> StreamVersion(Guid id)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(id))?.Version ?? 0;
    }

    /// <summary>
    /// Events of everything but mandates: the development token route records a person's mandates the first time a
    /// test signs them in, which is not part of what the test's commands did.
    /// </summary>
    public async Task<int> EventCount()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => !e.EventTypeName.StartsWith("mandate_")).CountAsync();
    }

    /// <summary>
    /// Runs a command that must be refused and checks that it appended nothing: the stream it targets keeps its version
    /// and no event was appended anywhere (mandate events aside). Returns the refusal for further checks.
    /// </summary>
    public async Task<Response> ShouldAppendNothing(Func<Task<Response>> command, Guid? stream = null)
    {
        var before = await Api.AppendState(stream);
        var response = await command();
        response.Status.ShouldBeInRange(400, 499, response.Body);
        (await Api.AppendState(stream)).ShouldBe(before, $"a refused command ({response.Status}) appends no event");
        return response;
    }

    public async Task<int> MandateEventCount()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName.StartsWith("mandate_")).CountAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        File.Delete(AuditKeyFile);
        File.Delete(KeyCertificateFile);
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "service with PostgreSQL";
}
