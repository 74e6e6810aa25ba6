using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>The service runs as a role that may append events, and may not change or remove them (ops/db-roles.sql).</summary>
[Collection(AppCollection.Name)]
public sealed class LeastPrivilegeTests(AppFixture app)
{
    [Fact]
    public async Task The_service_role_appends_events_but_cannot_update_or_delete_them()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (role, schema) = ("blk_app_" + suffix, "blk_least_" + suffix);

        // The migration role (here the superuser) creates the schema once, as a deployment does before the service runs.
        var ownSchema = new Dictionary<string, string> { ["Marten:Schema"] = schema };
        {
            await (await app.StartHost("Development", settings: ownSchema)).DisposeAsync();
            await using (var admin = new NpgsqlConnection(app.ConnectionString))
            {
                await admin.OpenAsync();
                await AuditScenario.Sql(admin, $"CREATE ROLE {role} LOGIN PASSWORD '{Password}'");
                var script = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "ops", "db-roles.sql"));
                await AuditScenario.Sql(admin, script.Replace("__SCHEMA__", schema).Replace("__ROLE__", role));
            }
            await using var host = await app.StartHost("Development",
                settings: new Dictionary<string, string>(ownSchema) { ["ConnectionStrings:Marten"] = Restricted(role) });

            var api = new ApiClient(host);
            var written = await api.Propose(await api.Representative("DE-HB"), "Offene Daten", "Die Länder veröffentlichen Daten.");
            api.Expect(await api.Vote(written.Id, await api.Representative("DE-HB"), "yes", 1), 200);
            var audit = new AuditScenario(host, app.ConnectionString);
            (await audit.SealEverything()).TreeSize.ShouldBeGreaterThanOrEqualTo(await audit.MaxSeq());
            AuditScenario.ShouldBeClean(Audit.BundleVerifier.Verify(await audit.ExportOverHttp(), await audit.PinnedKeys()));
        }


        await using var connection = new NpgsqlConnection(Restricted(role));
        await connection.OpenAsync();
        foreach (var sql in new[]
                 {
                     $"UPDATE {schema}.mt_events SET data = data WHERE seq_id = 1",
                     $"DELETE FROM {schema}.mt_events WHERE seq_id = 1",
                     $"TRUNCATE {schema}.mt_events",
                     $"UPDATE {schema}.audit_leaves SET leaf_hash = leaf_hash WHERE leaf_index = 0",
                     $"DELETE FROM {schema}.audit_checkpoints",
                 })
        {
            var refused = await Should.ThrowAsync<PostgresException>(() => AuditScenario.Sql(connection, sql));
            refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, sql);
        }
    }

    private const string Password = "least-privilege-test";

    private string Restricted(string role) =>
        new NpgsqlConnectionStringBuilder(app.ConnectionString) { Username = role, Password = Password, Pooling = false }.ConnectionString;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repository root not found.");
    }
}
