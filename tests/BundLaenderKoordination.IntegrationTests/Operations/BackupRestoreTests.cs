using System.Diagnostics;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Auditing;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.LocalPostgres;
using BundLaenderKoordination.Verifier;
using Shouldly;
using Xunit.Abstractions;

namespace BundLaenderKoordination.IntegrationTests.Operations;

/// <summary>
/// ops/backup.sh and ops/restore.sh with pg_dump and pg_restore: a backup restored into a fresh PostgreSQL cluster
/// carries a log that the offline verifier finds clean against the checkpoint kept outside the database, and the service
/// goes on signing; a backup older than that checkpoint is caught twice, by the service (it signs nothing more: 503) and
/// by the verifier (TRUNCATED).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BackupRestoreTests(AppFixture app, ITestOutputHelper output)
{
    private static readonly string Schema = "blk_backup_" + Guid.NewGuid().ToString("N")[..8];

    private Dictionary<string, string> Settings(string connectionString, string stateFile) => new()
    {
        ["ConnectionStrings:Marten"] = connectionString,
        ["Marten:Schema"] = Schema,
        ["Audit:StateFile"] = stateFile,
    };

    private async Task<TimeSpan> Script(string name, string connectionString, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        var result = await OpsScripts.Run(OpsScripts.Script(name), arguments, OpsScripts.LibpqEnvironment(connectionString));
        result.ExitCode.ShouldBe(0, result.ToString());
        output.WriteLine($"{name}: {clock.Elapsed.TotalSeconds:F1} s; {result.Output.Trim()}");
        return clock.Elapsed;
    }

    private static Task<LocalPostgresServer> FreshCluster() => LocalPostgresServer.StartAsync(new LocalPostgresOptions
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "blk-tests-restore-" + Guid.NewGuid().ToString("N")),
        Throwaway = true,
    });

    private static (int Exit, string Output) Verify(string folder, string bundle, string keys, string kept)
    {
        File.WriteAllText(Path.Combine(folder, "bundle.json"), bundle);
        File.WriteAllText(Path.Combine(folder, "keys.txt"), keys);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = VerifyCommand.Run(["verify", Path.Combine(folder, "bundle.json"), "--key", Path.Combine(folder, "keys.txt"), "--checkpoint", kept], stdout, stderr);
        return (exit, stdout + "\n" + stderr);
    }

    private static async Task<(string Bundle, string Keys)> Export(Alba.IAlbaHost host)
    {
        var api = new ApiClient(host);
        var auditor = await new AuditScenario(host, "").Auditor();
        var bundle = await api.Send(HttpMethod.Get, "/api/audit/bundle", auditor);
        api.Expect(bundle, 200);
        var keys = await api.Send(HttpMethod.Get, "/api/audit/public-keys", null);
        api.Expect(keys, 200);
        return (bundle.Body, keys.Body);
    }

    [Fact]
    public async Task A_restored_backup_verifies_clean_against_the_kept_checkpoint_and_an_older_backup_is_refused_and_reported_truncated()
    {
        var folder = Directory.CreateTempSubdirectory("blk-tests-backup-").FullName;
        var stateFile = Path.Combine(folder, "state", "audit-checkpoint");
        Directory.CreateDirectory(Path.GetDirectoryName(stateFile)!);
        var older = Path.Combine(folder, "older.dump");
        var newer = Path.Combine(folder, "newer.dump");
        string kept;
        try
        {
            await using (var host = await app.StartHost("Development", settings: Settings(app.ConnectionString, stateFile)))
            {
                var audit = new AuditScenario(host, app.ConnectionString);
                await audit.FullNegotiation();
                await audit.SealEverything();
                await Script("backup.sh", app.ConnectionString, older, Schema);

                var api = new ApiClient(host);
                api.Expect(await api.GrantMandate(await api.Admin("Verwaltung Sicherung"), "oidc:nach-der-sicherung", "Nach der Sicherung", "DE-NI", "representative"), 201);
                kept = (await audit.SealEverything()).Note;
                await Script("backup.sh", app.ConnectionString, newer, Schema);
            }

            // The copy of the last signed checkpoint the service kept outside the database is the one the auditor got.
            var keptFile = Directory.GetFiles(Path.GetDirectoryName(stateFile)!, "audit-checkpoint.*").ShouldHaveSingleItem();
            (await File.ReadAllTextAsync(keptFile)).ShouldBe(kept);

            await using (var fresh = await FreshCluster())
            {
                var restore = await Script("restore.sh", fresh.ConnectionString, newer, "--no-owner");
                output.WriteLine($"restore of the newer backup into a fresh cluster: {restore.TotalSeconds:F1} s");
                var refused = await OpsScripts.Run(OpsScripts.Script("restore.sh"), [newer, "--no-owner"], OpsScripts.LibpqEnvironment(fresh.ConnectionString));
                refused.ExitCode.ShouldBe(3, "a database that already holds the schema is refused: " + refused);

                await using var host = await app.StartHost("Development", settings: Settings(fresh.ConnectionString, stateFile));
                var api = new ApiClient(host);
                var auditor = await new AuditScenario(host, fresh.ConnectionString).Auditor();
                api.Expect(await api.Send(HttpMethod.Post, "/api/audit/checkpoints", auditor), 200);
                var (bundle, keys) = await Export(host);
                var (exit, report) = Verify(folder, bundle, keys, keptFile);
                exit.ShouldBe(VerifyCommand.Clean, report);
            }

            await using (var fresh = await FreshCluster())
            {
                await Script("restore.sh", fresh.ConnectionString, older, "--no-owner");
                await using var host = await app.StartHost("Development", settings: Settings(fresh.ConnectionString, stateFile));
                var api = new ApiClient(host);
                var auditor = await new AuditScenario(host, fresh.ConnectionString).Auditor();
                var halted = await api.Send(HttpMethod.Post, "/api/audit/checkpoints", auditor);
                halted.Status.ShouldBe(503, halted.Body);
                halted.ProblemType.ShouldBe("/problems/audit-log-halted");
                halted.Body.ShouldContain("older backup");
                var (bundle, keys) = await Export(host);
                var (exit, report) = Verify(folder, bundle, keys, keptFile);
                exit.ShouldBe(VerifyCommand.Findings, report);
                report.ShouldContain(FindingCodes.Truncated);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
