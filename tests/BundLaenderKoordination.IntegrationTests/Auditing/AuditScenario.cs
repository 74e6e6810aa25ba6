using System.Text.Json;
using Alba;
using Marten;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>A full negotiation, sealed and signed, and what an auditor and the representatives keep of it.</summary>
public sealed record Negotiation(Guid Id, string OlderCheckpoint, long OlderSize, IReadOnlyList<VoteReceipt> Receipts, long LastSeq);

public sealed class AuditScenario(IAlbaHost host, string connectionString)
{
    public AuditScenario(AppFixture app) : this(app.Host, app.ConnectionString) { }

    private ApiClient Api { get; } = new(host);

    public AuditTables Tables => host.Services.GetRequiredService<AuditTables>();
    public AuditLog Log => host.Services.GetRequiredService<AuditLog>();

    private async Task<long> StreamVersion(Guid id)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamStateAsync(id))?.Version ?? 0;
    }

    public async Task<string> Auditor() => await Api.Token("Prüferin Rechnungshof", null, "auditor");

    public async Task<IReadOnlyList<VerifierKey>> PinnedKeys()
    {
        var response = await Api.Send(HttpMethod.Get, "/api/audit/public-keys", null);
        Api.Expect(response, 200);
        return response.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(k => VerifierKey.TryParse(k)!).ToList();
    }

    /// <summary>Asks for checkpoints until every event written so far is sealed (a gap first has to settle).</summary>
    public async Task<CheckpointIssued> SealEverything()
    {
        var auditor = await Auditor();
        var target = await MaxSeq();
        for (var attempt = 0; ; attempt++)
        {
            var response = await Api.Send(HttpMethod.Post, "/api/audit/checkpoints", auditor);
            Api.Expect(response, 200);
            var issued = response.As<CheckpointIssued>();
            if (issued.TreeSize >= target) return issued;
            if (attempt > 100) throw new Xunit.Sdk.XunitException($"The log stayed at {issued.TreeSize} of {target} events.");
            await Task.Delay(200);
        }
    }

    public async Task<long> MaxSeq()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(seq_id), 0) FROM {Tables.Events}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Propose, edit, comment, 15 votes (one changed), a checkpoint the auditor keeps, the last vote, adoption.</summary>
    public async Task<Negotiation> FullNegotiation()
    {
        var rp = await Api.Representative("DE-RP");
        var chair = await Api.Chair("DE-BY");
        var id = (await Api.Propose(rp, "Digitale Verwaltung", "Die Länder bündeln ihre Verfahren.", "Der Bund unterstützt.")).Id;
        Api.Expect(await Api.Edit(id, await Api.Representative("DE-HE"), 1,
            new { id = "p1", text = "Die La\u0308nder bündeln ihre Verfahren bis 2028." }, new { id = "p2", text = "Der Bund unterstützt.\r\nMit Mitteln." }), 200);
        Api.Expect(await Api.Comment(id, await Api.Representative("DE-BE"), "Einverstanden.", "p1"), 201);

        var versions = new List<(string Land, long Version)>();
        Api.Expect(await Api.Vote(id, await Api.Representative("DE-SL"), "no", 2), 200);
        foreach (var land in Api.Laender.Take(15))
        {
            var vote = await Api.Vote(id, await Api.Representative(land), "yes", 2);
            Api.Expect(vote, 200);
            versions.Add((land, vote.Json["version"]!.GetValue<long>()));
        }
        var older = await SealEverything();

        var last = await Api.Vote(id, await Api.Representative("DE-TH"), "abstain", 2);
        Api.Expect(last, 200);
        versions.Add(("DE-TH", last.Json["version"]!.GetValue<long>()));
        Api.Expect(await Api.Adopt(id, chair, await StreamVersion(id)), 200);
        await SealEverything();

        var receipts = new List<VoteReceipt>();
        foreach (var (land, version) in new[] { versions[0], versions[^1] })
        {
            var response = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/votes/{version}/receipt", await Api.Representative(land));
            Api.Expect(response, 200);
            receipts.Add(JsonSerializer.Deserialize<VoteReceipt>(response.Body, AuditJson.Options)!);
        }
        return new Negotiation(id, older.Note, older.TreeSize, receipts, await MaxSeq());
    }

    public async Task<AuditBundle> ExportOverHttp(string query = "")
    {
        var response = await Api.Send(HttpMethod.Get, "/api/audit/bundle" + query, await Auditor());
        Api.Expect(response, 200);
        return BundleVerifier.ParseBundle(response.Body)!;
    }

    /// <summary>
    /// Tampers as the database superuser inside a transaction, exports the bundle from the tampered rows with the
    /// service's own export code, and rolls back, so that the shared database stays intact for the next case.
    /// </summary>
    public async Task<AuditBundle> ExportAfterTampering(BundleScope scope, Func<NpgsqlConnection, Task> tamper)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await tamper(connection);
        var bundle = await AuditExport.ReadBundleAsync(connection, Tables, Log.Origin, [Log.Key.VerifierKey.ToString()], scope, DateTimeOffset.UtcNow, default);
        await transaction.RollbackAsync();
        return bundle;
    }

    public static async Task Sql(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> Scalar(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static void ShouldBeClean(VerificationReport report) =>
        report.Findings.ShouldBeEmpty(string.Join("\n", report.Findings.Select(f => $"{f.Code} {f.Message}")));
}
