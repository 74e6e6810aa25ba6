using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>
/// The physical baseline of a write: one single-row INSERT through Npgsql into a table of the event store's shape.
/// Used directly (in-process baseline) and behind <see cref="RawEndpoint"/> (HTTP baseline).
/// </summary>
public sealed class RawInsert(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<Guid, long> _versions = new();

    public async Task InsertAsync(Guid streamId, string type, string json, CancellationToken ct = default)
    {
        var version = _versions.AddOrUpdate(streamId, 1, (_, v) => v + 1);
        await using var command = dataSource.CreateCommand(
            $"insert into {BenchEnvironment.RawSchema}.events (id, stream_id, version, data, type, mt_dotnet_type, correlation_id, user_name) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8)");
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        command.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        command.Parameters.Add(new NpgsqlParameter { Value = "BundLaenderKoordination.Api.Resolutions." + type });
        command.Parameters.Add(new NpgsqlParameter { Value = "00000000000000000000000000000000" });
        command.Parameters.Add(new NpgsqlParameter { Value = "dev:bench" });
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// The HTTP baseline: a minimal endpoint on its own Kestrel port that stores the request body with one raw INSERT and
/// answers 200. No identity check, no rules, no projection: the least a write over HTTP can cost here.
/// </summary>
public sealed class RawEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RawEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<RawEndpoint> StartAsync(NpgsqlDataSource dataSource)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new RawInsert(dataSource));
        var app = builder.Build();
        app.MapPost("/raw/streams/{id:guid}/{type}", async (Guid id, string type, HttpRequest request, RawInsert insert, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var json = await reader.ReadToEndAsync(ct);
            await insert.InsertAsync(id, type, json, ct);
            return Results.Ok();
        });
        // The least a read of one resolution's page or of two of its text versions can cost: the stored JSON, read with
        // one SELECT and sent as it is.
        app.MapGet("/raw/views/{id:guid}", async (Guid id, CancellationToken ct) =>
        {
            await using var command = dataSource.CreateCommand($"select data from {BenchEnvironment.ServiceSchema}.mt_doc_resolutionview where id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            return await command.ExecuteScalarAsync(ct) is string json ? Results.Text(json, "application/json") : Results.NotFound();
        });
        app.MapGet("/raw/events/{id:guid}/{from:int}/{to:int}", async (Guid id, int from, int to, CancellationToken ct) =>
        {
            await using var command = dataSource.CreateCommand(
                $"select data from {BenchEnvironment.ServiceSchema}.mt_events where stream_id = $1 and version in ($2, $3) order by version");
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)from });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)to });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var texts = new List<string>();
            while (await reader.ReadAsync(ct)) texts.Add(reader.GetString(0));
            return texts.Count == 2 ? Results.Text("[" + string.Join(",", texts) + "]", "application/json") : Results.NotFound();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RawEndpoint(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
