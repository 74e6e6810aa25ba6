using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.LocalPostgres;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Database;

/// <summary>The embedded PostgreSQL is a development convenience that is closed to other local users and processes.</summary>
[Collection(AppCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmbeddedDatabaseTests(AppFixture app)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;
    private static readonly bool RunsAsRoot = Environment.UserName == "root";

    [Fact]
    public async Task Outside_Development_the_service_refuses_to_start_without_a_configured_database()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "blk-refused-" + Guid.NewGuid().ToString("N"));
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => app.StartHost("Production",
            settings: new Dictionary<string, string>
            {
                ["Identity:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                ["LocalPostgres:DataDirectory"] = dataDirectory,
            },
            without: ["ConnectionStrings:Marten"]));
        refused.Message.ShouldBe(Api.Infrastructure.Database.MissingConnectionString);
        Directory.Exists(dataDirectory).ShouldBeFalse("no cluster is started outside Development");
    }

    [Fact]
    public async Task In_Development_the_service_connects_to_its_own_cluster_as_a_role_that_owns_its_schema_only()
    {
        var folder = Path.Combine(Path.GetTempPath(), "blk-embedded-" + Guid.NewGuid().ToString("N"));
        var dataDirectory = Path.Combine(folder, "postgres");
        try
        {
            await using (var host = await app.StartHost("Development",
                             settings: new Dictionary<string, string> { ["LocalPostgres:DataDirectory"] = dataDirectory, ["Marten:Schema"] = "blk" },
                             without: ["ConnectionStrings:Marten"]))
            {
                var server = host.Services.GetRequiredService<LocalPostgresServer>();
                var store = host.Services.GetRequiredService<IDocumentStore>();
                store.Options.DatabaseSchemaName.ShouldBe("blk");
                new NpgsqlConnectionStringBuilder(store.Storage.Database.CreateConnection().ConnectionString).Username
                    .ShouldBe(Api.Infrastructure.Database.ServiceRole);
                await using var connection = new NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync();
                (await Scalar<string>(connection, "select current_user")).ShouldBe(Api.Infrastructure.Database.ServiceRole);
                (await Scalar<bool>(connection, "select rolsuper or rolcreaterole or rolcreatedb from pg_roles where rolname = current_user")).ShouldBeFalse();
                (await Scalar<string>(connection, "select nspowner::regrole::text from pg_namespace where nspname = 'blk'")).ShouldBe(Api.Infrastructure.Database.ServiceRole);

                // What a superuser could do, and the service's role may not: run programs, read server files, make schemas.
                foreach (var sql in new[]
                         {
                             "COPY (SELECT 1) TO PROGRAM 'true'",
                             "SELECT pg_read_file('PG_VERSION')",
                             "CREATE SCHEMA elsewhere",
                             "CREATE TABLE public.elsewhere (id int)",
                         })
                {
                    var refused = await Should.ThrowAsync<PostgresException>(() => Execute(connection, sql));
                    refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, sql);
                }

                // Nobody gets in without the password: not as the superuser, not as the service's role.
                foreach (var user in new[] { "postgres", Api.Infrastructure.Database.ServiceRole })
                {
                    var guess = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Username = user, Password = "guess", Pooling = false };
                    var refused = await Should.ThrowAsync<PostgresException>(() => Open(guess.ConnectionString));
                    refused.SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
                }
            }

            Mode(dataDirectory).ShouldBe(PrivateFolder);
            Mode(dataDirectory + ".log").ShouldBe(Private);
            Mode(dataDirectory + ".secrets").ShouldBe(PrivateFolder);
            foreach (var secret in Directory.GetFiles(dataDirectory + ".secrets"))
                Mode(secret).ShouldBe(Private, secret);
            (Mode(folder) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)).ShouldBe(UnixFileMode.None);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_launcher_never_opens_folders_it_did_not_create()
    {
        // Run as root, the server runs as the OS user postgres; a closed folder above the cluster is reported, not opened.
        var closed = Path.Combine(Path.GetTempPath(), "blk-closed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(closed, PrivateFolder);
        try
        {
            var options = new LocalPostgresOptions { DataDirectory = Path.Combine(closed, "cluster", "postgres"), Throwaway = true };
            if (RunsAsRoot)
            {
                var refused = await Should.ThrowAsync<InvalidOperationException>(() => LocalPostgresServer.StartAsync(options));
                refused.Message.ShouldContain("cannot reach");
            }
            else
            {
                await (await LocalPostgresServer.StartAsync(options)).DisposeAsync();
            }
            Mode(closed).ShouldBe(PrivateFolder);
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }

    [Fact]
    public async Task A_throwaway_cluster_asks_for_the_superuser_password_too()
    {
        var anonymous = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Password = null, Pooling = false };
        (await Should.ThrowAsync<NpgsqlException>(() => Open(anonymous.ConnectionString))).ShouldNotBeNull();
        var wrong = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Password = "guess", Pooling = false };
        (await Should.ThrowAsync<PostgresException>(() => Open(wrong.ConnectionString))).SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
    }

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path) & (UnixFileMode)0x1FF;

    private static async Task Open(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
