using System.Collections.Concurrent;
using Npgsql;

namespace BundLaenderKoordination.LocalPostgres;

/// <summary>
/// A local PostgreSQL server on 127.0.0.1 for development, integration tests and benchmarks, started from the
/// installed server binaries without any manual setup.
/// </summary>
/// <remarks>
/// The cluster listens on the loopback interface only and asks every connection for a password (SCRAM-SHA-256). The
/// superuser's random password and that of the optional service role are kept in files only the launching OS user can
/// read (<c>&lt;data folder&gt;.secrets/</c>, 0700, files 0600); the data folder is 0700 and the server log 0600.
/// A server that is already running on the data folder (left over from an earlier run) is reused instead of starting a
/// second one. Disposing stops only a server this instance started, so a reused persistent server keeps running for
/// whoever started it; a throwaway cluster is always stopped and deleted. Several instances on the same folder in one
/// process share one server: the instance that started it stops it for all of them.
/// </remarks>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private const string AdminDatabase = "postgres";
    private const int ConnectAttempts = 40;
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(250);

    // Serialises start and stop per data folder, so test fixtures starting in parallel never race pg_ctl.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> FolderLocks = new(StringComparer.Ordinal);

    private readonly PostgresCluster _cluster;
    private readonly bool _stopOnDispose;
    private readonly bool _deleteOnDispose;
    private int _disposed;

    private LocalPostgresServer(PostgresCluster cluster, string databaseName, int port, string superuserPassword,
        bool stopOnDispose, bool deleteOnDispose)
    {
        _cluster = cluster;
        _stopOnDispose = stopOnDispose;
        _deleteOnDispose = deleteOnDispose;
        Port = port;
        SuperuserConnectionString = BuildConnectionString(port, databaseName, Superuser, superuserPassword);
        ConnectionString = SuperuserConnectionString;
        AdminConnectionString = BuildConnectionString(port, AdminDatabase, Superuser, superuserPassword);
    }

    /// <summary>
    /// Npgsql connection string to the database <see cref="LocalPostgresOptions.DatabaseName"/>: as the service role
    /// when <see cref="LocalPostgresOptions.ServiceRole"/> is set, otherwise as the superuser.
    /// </summary>
    public string ConnectionString { get; private set; }

    /// <summary>Npgsql connection string to the database <see cref="LocalPostgresOptions.DatabaseName"/> as the superuser.</summary>
    public string SuperuserConnectionString { get; }

    /// <summary>Npgsql connection string to the maintenance database postgres, as the superuser.</summary>
    public string AdminConnectionString { get; }

    public int Port { get; }

    /// <summary>
    /// Initialises the data folder if needed, starts the server (or reuses one already running on the folder) and
    /// creates the database. Throws <see cref="PostgresBinariesMissingException"/> when PostgreSQL is not installed.
    /// </summary>
    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions options, Action<string>? log = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabaseName);
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("LocalPostgresServer runs PostgreSQL on Linux and macOS only.");

        var dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
        var cluster = new PostgresCluster(PostgresBinaries.RequireBinDirectory(), dataDirectory, log);
        var folderLock = FolderLocks.GetOrAdd(dataDirectory, _ => new SemaphoreSlim(1, 1));
        await folderLock.WaitAsync(ct);
        var stopOnFailure = false;
        try
        {
            var superuserPassword = await cluster.EnsureInitialisedAsync(options.OwnsParentDirectory, ct);
            var runningPort = await cluster.FindRunningPortAsync(ct);
            if (runningPort is not null && options.Port is { } requested && requested != runningPort)
                log?.Invoke($"Port {requested} was requested, but the running server uses {runningPort}");
            var port = runningPort ?? await cluster.StartAsync(options.Port, options.IsDurable, ct);

            stopOnFailure = runningPort is null || options.Throwaway;
            var server = new LocalPostgresServer(cluster, options.DatabaseName, port, superuserPassword,
                stopOnDispose: stopOnFailure, deleteOnDispose: options.Throwaway);
            await server.EnsureDatabaseAsync(options.DatabaseName, log, ct);
            if (options.ServiceRole is { } role)
                await server.EnsureServiceRoleAsync(options, role, log, ct);
            return server;
        }
        catch
        {
            await AbandonAsync(cluster, stopOnFailure, options.Throwaway, log);
            throw;
        }
        finally
        {
            folderLock.Release();
        }
    }

    /// <summary>Stops the server if this instance started it (pg_ctl stop -m fast), and deletes a throwaway cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        var folderLock = FolderLocks.GetOrAdd(_cluster.DataDirectory, _ => new SemaphoreSlim(1, 1));
        await folderLock.WaitAsync();
        try
        {
            await ReleaseAsync();
        }
        finally
        {
            folderLock.Release();
        }
    }

    private async Task ReleaseAsync()
    {
        if (!_stopOnDispose)
            return;
        // Idle pooled connections would be dead after the stop; a later server may get the same port and thus the same
        // connection string, and would otherwise inherit them.
        ClearPool(ConnectionString);
        ClearPool(SuperuserConnectionString);
        ClearPool(AdminConnectionString);
        await _cluster.StopAsync(CancellationToken.None);
        if (_deleteOnDispose)
            _cluster.Delete();
    }

    // Leaves nothing behind that the caller could not dispose; the original error matters more than a cleanup error.
    private static async Task AbandonAsync(PostgresCluster cluster, bool stop, bool delete, Action<string>? log)
    {
        try
        {
            if (stop)
                await cluster.StopAsync(CancellationToken.None);
            if (delete)
                cluster.Delete();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            log?.Invoke($"Cleaning up after the failed start failed as well: {e.Message}");
        }
    }

    private async Task EnsureDatabaseAsync(string databaseName, Action<string>? log, CancellationToken ct)
    {
        await using var connection = await OpenUnpooledAdminConnectionAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = databaseName } },
        };
        if (await exists.ExecuteScalarAsync(ct) is not null)
            return;

        log?.Invoke($"Creating database {databaseName}");
        await using var create = new NpgsqlCommand($"create database {QuoteIdentifier(databaseName)}", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between our check and our create; that is the outcome we wanted.
        }
    }

    // The role may log in, connect to its database and own its schema; nothing else. The public schema stays closed to
    // it (PostgreSQL 15 and later take CREATE on it from PUBLIC by default; older versions are told so here).
    private async Task EnsureServiceRoleAsync(LocalPostgresOptions options, string role, Action<string>? log, CancellationToken ct)
    {
        var password = Secrets.Read(_cluster.SecretsDirectory, role);
        if (password is null)
        {
            log?.Invoke($"Creating the service role {role} (password in {_cluster.SecretsDirectory})");
            password = Secrets.Generate();
            Secrets.Write(_cluster.SecretsDirectory, role, password);
        }
        var (quotedRole, quotedDatabase, quotedSchema) =
            (QuoteIdentifier(role), QuoteIdentifier(options.DatabaseName), QuoteIdentifier(options.ServiceSchema));
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(SuperuserConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            DO $do$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {QuoteLiteral(role)}) THEN
                CREATE ROLE {quotedRole} LOGIN;
              END IF;
            END $do$;
            ALTER ROLE {quotedRole} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD {QuoteLiteral(password)};
            REVOKE ALL ON DATABASE {quotedDatabase} FROM PUBLIC;
            GRANT CONNECT, TEMPORARY ON DATABASE {quotedDatabase} TO {quotedRole};
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            CREATE SCHEMA IF NOT EXISTS {quotedSchema} AUTHORIZATION {quotedRole};
            ALTER SCHEMA {quotedSchema} OWNER TO {quotedRole};
            """, connection);
        await command.ExecuteNonQueryAsync(ct);
        ConnectionString = new NpgsqlConnectionStringBuilder(SuperuserConnectionString) { Username = role, Password = password }.ConnectionString;
    }

    // A reused server may still be starting up or recovering, so connecting is retried for a few seconds.
    private async Task<NpgsqlConnection> OpenUnpooledAdminConnectionAsync(CancellationToken ct)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct);
                return connection;
            }
            catch (NpgsqlException e) when (attempt < ConnectAttempts && IsWorthRetrying(e))
            {
                await connection.DisposeAsync();
                await Task.Delay(ConnectRetryDelay, ct);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    private static bool IsWorthRetrying(NpgsqlException e) =>
        e is PostgresException postgres ? postgres.SqlState == PostgresErrorCodes.CannotConnectNow : e.IsTransient;

    private static string BuildConnectionString(int port, string database, string user, string password) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = database,
            Username = user,
            Password = password,
            IncludeErrorDetail = true,
            MaxPoolSize = 100,
        }.ConnectionString;

    private static void ClearPool(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    private static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static string QuoteLiteral(string value) => "'" + value.Replace("'", "''") + "'";
}
