using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.LocalPostgres;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>
/// Everything a run needs, started once: a throwaway PostgreSQL (the same component the service and the tests use),
/// the service on a real Kestrel port against it, the raw baseline (tables of the same shape as the event store's and
/// a minimal raw-INSERT HTTP endpoint on a Kestrel port of its own), the framework floor (a minimal Wolverine + Marten
/// vote endpoint in a host of its own, <see cref="FrameworkFloor"/>) and development tokens for every Land.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    public const string RawSchema = "raw";
    public const string ServiceSchema = "blk";

    private LocalPostgresServer _postgres = null!;
    private WebApplicationFactory<Program> _service = null!;
    private RawEndpoint _raw = null!;
    private FrameworkFloor _floor = null!;
    private MeterListener _retryListener = null!;
    private long _retries;
    private string? _auditKeyFile;

    public string ConnectionString => _postgres.ConnectionString;
    public CpuMeter Cpu { get; private set; } = null!;
    public NpgsqlDataSource Raw { get; private set; } = null!;
    public IDocumentStore Store => _service.Services.GetRequiredService<IDocumentStore>();
    public IServiceProvider Services => _service.Services;
    public HttpClient Http { get; private set; } = null!;
    public Uri ServiceAddress { get; private set; } = null!;
    public Uri RawAddress => _raw.Address;
    public FrameworkFloor Floor => _floor;
    public bool Durable { get; private set; }
    public IReadOnlyDictionary<string, string> Tokens { get; private set; } = null!;
    public string ChairToken { get; private set; } = null!;
    public IConfiguration Configuration => _service.Services.GetRequiredService<IConfiguration>();

    /// <summary>Commands the service retried on fresh state after a lost race (its own counter).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<BenchEnvironment> StartAsync(Action<string> log, bool durable = true)
    {
        var env = new BenchEnvironment { Durable = durable };
        try
        {
            await env.StartPartsAsync(log);
            return env;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync(Action<string> log)
    {
        var env = this;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "blk-bench-" + Guid.NewGuid().ToString("N"));
        env.Cpu = new CpuMeter(dataDirectory);
        env._postgres = await LocalPostgresServer.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = dataDirectory,
            Throwaway = true,
            // Production durability unless the run asks for the CPU-cost line without it (--durability off).
            Durable = env.Durable,
        }, message => log("  " + message));
        // Read by the service's Program before its host is built. The audit log's signing key and the state it keeps
        // next to it belong to this throwaway database.
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", env._postgres.ConnectionString);
        env._auditKeyFile = dataDirectory + "-audit.key";
        Environment.SetEnvironmentVariable("Audit__KeyFile", env._auditKeyFile);
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        // The per-person limit on commands (120 a minute) guards against abuse; a load test from one token per Land
        // would hit it within a second, and it is the cost of the commands that is measured here.
        Environment.SetEnvironmentVariable("Hardening__CommandsPerWindow", "0");
        JasperFxEnvironment.AutoStartHost = true;

        env._service = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSolutionRelativeContentRoot("src/BundLaenderKoordination.Api");
            // A free port: a fixed default (5000) collides with any other run of the service or of this benchmark.
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        });
        // A free port picked here: Kestrel's "any free port" (0) is not available for localhost.
        env._service.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, FreePort()));
        env._service.StartServer();
        var addresses = env._service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        env.ServiceAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        log($"  the service listens on {string.Join(", ", addresses.Addresses)}");

        env._retryListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == Telemetry.ServiceName && instrument.Name == "blk.commands.retries")
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        env._retryListener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref env._retries, value));
        env._retryListener.Start();

        env.Raw = NpgsqlDataSource.Create(env._postgres.ConnectionString);
        await env.CreateRawTablesAsync();
        env._raw = await RawEndpoint.StartAsync(env.Raw);
        env._floor = await FrameworkFloor.StartAsync(env._postgres.ConnectionString);
        log($"  the framework floor listens on {env._floor.Address}");

        env.Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        var tokens = new Dictionary<string, string>();
        foreach (var land in Lands.Laender) tokens[land] = await env.TokenAsync($"Vertretung {land}", land, "representative");
        env.Tokens = tokens;
        env.ChairToken = await env.TokenAsync("Vorsitz", "DE-BY", "chair");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<string> TokenAsync(string name, string land, string role)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(ServiceAddress, "/api/dev/tokens"), new { name, land, roles = new[] { role } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>
    /// Waits (untimed) until the service's audit sealer has sealed every stored event, so that sealing the events one
    /// side wrote does not run during the next side's segment. Gives up after <paramref name="timeout"/>.
    /// </summary>
    public async Task SettleAsync(TimeSpan? timeout = null)
    {
        var sealer = Services.GetRequiredService<AuditLog>();
        await using var command = Raw.CreateCommand("select coalesce(max(seq_id), 0) from blk.mt_events");
        var last = (long)(await command.ExecuteScalarAsync())!;
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        while (sealer.TreeSize < last && System.Diagnostics.Stopwatch.GetElapsedTime(began) < (timeout ?? TimeSpan.FromSeconds(60)))
            await Task.Delay(10);
    }

    public HttpRequestMessage Request(HttpMethod method, Uri baseAddress, string path, string? token, string? json)
    {
        var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Sends and answers whether the status was 2xx; the body is read and dropped, as a client would.</summary>
    public async Task<(bool Ok, string Body)> SendAsync(HttpRequestMessage request, bool keepBody = false)
    {
        using (request)
        using (var response = await Http.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            return (response.IsSuccessStatusCode, keepBody || !response.IsSuccessStatusCode ? body : "");
        }
    }

    /// <summary>
    /// The baseline tables: <c>raw.events</c> has the shape of the event store's table (columns, defaults, keys), and
    /// <c>raw.documents</c> that of a document table, for the one-row read.
    /// </summary>
    private async Task CreateRawTablesAsync()
    {
        await using var command = Raw.CreateCommand($"""
            create schema if not exists {RawSchema};
            drop table if exists {RawSchema}.events;
            create table {RawSchema}.events (like {ServiceSchema}.mt_events including all);
            -- The event store draws seq_id from its sequence inside its append function; the raw INSERT from a default.
            create sequence if not exists {RawSchema}.events_seq;
            alter table {RawSchema}.events alter column seq_id set default nextval('{RawSchema}.events_seq');
            drop table if exists {RawSchema}.documents;
            create table {RawSchema}.documents (like {ServiceSchema}.mt_doc_resolutionview including all);
            """);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _retryListener?.Dispose();
        Http?.Dispose();
        if (_raw is not null) await _raw.DisposeAsync();
        if (_floor is not null) await _floor.DisposeAsync();
        if (_service is not null) await _service.DisposeAsync();
        if (Raw is not null) await Raw.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_auditKeyFile is not null)
        {
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(_auditKeyFile)!, Path.GetFileName(_auditKeyFile) + "*"))
                File.Delete(file);
        }
    }
}
