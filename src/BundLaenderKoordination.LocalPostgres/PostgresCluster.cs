using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BundLaenderKoordination.LocalPostgres;

/// <summary>One data folder and the pg_ctl/initdb commands that act on it.</summary>
internal sealed class PostgresCluster
{
    private const string ServiceUser = "postgres";
    private const int StartTimeoutSeconds = 60;
    private const int PortLineInPidFile = 4;
    private const int LogTailLines = 40;
    private const int PgCtlStatusNotRunning = 3;

    // PostgreSQL refuses to run as root, so every server tool runs as the OS user postgres, which owns the folder.
    private static readonly bool RunsAsRoot = OperatingSystem.IsLinux() && Environment.UserName == "root";

    private readonly string _binDirectory;
    private readonly Action<string>? _log;

    public PostgresCluster(string binDirectory, string dataDirectory, Action<string>? log)
    {
        _binDirectory = binDirectory;
        _log = log;
        DataDirectory = dataDirectory;
        ParentDirectory = Path.GetDirectoryName(dataDirectory) ?? dataDirectory;
        LogFile = Path.Combine(ParentDirectory, Path.GetFileName(dataDirectory) + ".log");
        SecretsDirectory = Path.Combine(ParentDirectory, Path.GetFileName(dataDirectory) + ".secrets");
    }

    public string DataDirectory { get; }

    public string ParentDirectory { get; }

    public string LogFile { get; }

    /// <summary>The passwords of the cluster's roles, one file per role, readable by the launching OS user only.</summary>
    public string SecretsDirectory { get; }

    public static string SuperuserName => ServiceUser;

    private string PidFile => Path.Combine(DataDirectory, "postmaster.pid");

    /// <summary>
    /// Creates the cluster when the folder holds none yet, with password (SCRAM) authentication for every connection and
    /// a random superuser password kept in <see cref="SecretsDirectory"/>; returns that password.
    /// </summary>
    public async Task<string> EnsureInitialisedAsync(bool ownsParent, CancellationToken ct)
    {
        var initialised = File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
        await EnsureParentDirectoryAsync(ownsParent, ct);
        if (initialised)
        {
            return Secrets.Read(SecretsDirectory, ServiceUser) ?? throw new InvalidOperationException(
                $"The PostgreSQL cluster in {DataDirectory} has no superuser password in {SecretsDirectory}: it was created " +
                "by an earlier version with trust authentication, which lets every local process in as superuser. Stop it " +
                $"(pg_ctl stop -D {DataDirectory}) and delete {DataDirectory} and {LogFile} (development data only; the " +
                "service recreates and seeds the database), or set ConnectionStrings__Marten.");
        }

        _log?.Invoke($"Creating a PostgreSQL cluster in {DataDirectory} (binaries: {_binDirectory})");
        CreateDataDirectory();
        if (RunsAsRoot)
            await RunCheckedAsync("Handing the data folder to the postgres user", "chown", ["-R", ServiceUser + ":", DataDirectory], ct);

        var password = Secrets.Generate();
        // initdb reads the superuser password from a file; it exists only for the call, readable by the server's OS user.
        var passwordFile = DataDirectory + ".initdb-password";
        Secrets.WritePrivateFile(passwordFile, password);
        try
        {
            if (RunsAsRoot)
                await RunCheckedAsync("Handing the initdb password file to the postgres user", "chown", [ServiceUser + ":", passwordFile], ct);
            var withUtf8Locale = await InitDbAsync("C.UTF-8", passwordFile, ct);
            if (!withUtf8Locale.Succeeded)
            {
                if (!withUtf8Locale.Output.Contains("locale", StringComparison.OrdinalIgnoreCase))
                    throw withUtf8Locale.Failure("initdb");
                _log?.Invoke("Locale C.UTF-8 is not available; initialising with locale C instead");
                var withCLocale = await InitDbAsync("C", passwordFile, ct);
                if (!withCLocale.Succeeded)
                    throw withCLocale.Failure("initdb");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
        Secrets.Write(SecretsDirectory, ServiceUser, password);
        return password;
    }

    /// <summary>The port of a server already running on this folder (from an earlier run), or null.</summary>
    public async Task<int?> FindRunningPortAsync(CancellationToken ct)
    {
        if (!File.Exists(PidFile))
            return null;
        var status = await RunServerToolAsync("pg_ctl", ["status", "-D", DataDirectory], ct);
        if (status.Succeeded)
        {
            var lines = await File.ReadAllLinesAsync(PidFile, ct);
            if (lines.Length < PortLineInPidFile
                || !int.TryParse(lines[PortLineInPidFile - 1], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                throw new InvalidOperationException($"A server is running on {DataDirectory}, but {PidFile} names no port.");
            _log?.Invoke($"Reusing the PostgreSQL server already running on {DataDirectory} (port {port})");
            return port;
        }
        if (status.ExitCode != PgCtlStatusNotRunning)
            throw status.Failure("Checking for a running PostgreSQL server");

        // A crash or a killed container leaves the lock file behind; postgres would otherwise refuse to start.
        _log?.Invoke($"Removing the stale {PidFile}");
        File.Delete(PidFile);
        return null;
    }

    /// <summary>Starts the server on 127.0.0.1 only and returns its port.</summary>
    public async Task<int> StartAsync(int? requestedPort, bool durable, CancellationToken ct)
    {
        PrepareLogFile();
        await HandLogFileToServiceUserAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            var port = requestedPort ?? FindFreePort();
            var logOffset = new FileInfo(LogFile).Length;
            _log?.Invoke($"Starting PostgreSQL on 127.0.0.1:{port} (data {DataDirectory}, log {LogFile}, durability {(durable ? "on" : "off")})");
            var result = await RunServerToolAsync("pg_ctl",
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", StartTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
                 "-o", ServerOptions(port, durable)], ct);
            if (result.Succeeded)
                return port;

            var logTail = ReadLogTail(logOffset);
            // The free port was probed and released before postgres bound it; another process may have taken it since.
            if (requestedPort is null && attempt == 1 && logTail.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                _log?.Invoke($"Port {port} was taken meanwhile; retrying with another port");
                continue;
            }
            throw result.Failure("Starting PostgreSQL", logTail);
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        _log?.Invoke($"Stopping the PostgreSQL server on {DataDirectory}");
        var stop = await RunServerToolAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w"], ct);
        if (stop.Succeeded)
            return;
        var status = await RunServerToolAsync("pg_ctl", ["status", "-D", DataDirectory], ct);
        if (status.Succeeded)
            throw stop.Failure("Stopping PostgreSQL", ReadLogTail(0));
    }

    public void Delete()
    {
        _log?.Invoke($"Deleting the throwaway cluster {DataDirectory}");
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
        if (Directory.Exists(SecretsDirectory))
            Directory.Delete(SecretsDirectory, recursive: true);
        File.Delete(LogFile);
    }

    private static string ServerOptions(int port, bool durable)
    {
        // Unix sockets are disabled: clients use TCP on loopback, so socket path length limits and socket folder
        // permissions never matter. pg_ctl hands these options to /bin/sh, hence the shell quoting of ''.
        var options = $"-p {port.ToString(CultureInfo.InvariantCulture)} -h 127.0.0.1 -k '' -c max_connections=200";
        // A throwaway cluster's data is worthless after a crash, so by default durability is traded for test speed. The
        // persistent service cluster, and a benchmark measuring production conditions, keep PostgreSQL's defaults
        // (fsync, synchronous_commit and full_page_writes on).
        return durable ? options : options + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    }

    private static int FindFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    // Every connection authenticates with a password (SCRAM-SHA-256); unix sockets are off, so "local" never applies.
    private Task<ProcessResult> InitDbAsync(string locale, string passwordFile, CancellationToken ct) =>
        RunServerToolAsync("initdb",
            ["-D", DataDirectory, "-U", ServiceUser, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256",
             $"--pwfile={passwordFile}", "--encoding=UTF8", $"--locale={locale}"], ct);

    private Task<ProcessResult> RunServerToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return RunsAsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", ServiceUser, "--", executable, .. arguments], ct)
            : ProcessRunner.RunAsync(executable, arguments, ct);
    }

    private static async Task RunCheckedAsync(string what, string fileName, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(fileName, arguments, ct);
        if (!result.Succeeded)
            throw result.Failure(what);
    }

    // The server log may quote statements and their data; only its owner reads it.
    private void PrepareLogFile()
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException();
        if (!File.Exists(LogFile))
            Secrets.WritePrivateFile(LogFile, "");
        else
            File.SetUnixFileMode(LogFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    // The server appends to the log as postgres; owning the file means the folder around it needn't be writable for it.
    private Task HandLogFileToServiceUserAsync(CancellationToken ct) =>
        RunsAsRoot
            ? RunCheckedAsync("Handing the server log to the postgres user", "chown", [ServiceUser + ":", LogFile], ct)
            : Task.CompletedTask;

    // Only the owner may read a cluster; initdb and postgres insist on it.
    private void CreateDataDirectory()
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException();
        Directory.CreateDirectory(DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    // The launcher creates the folder around the cluster when missing, private to the launching user; run as root, the
    // server's OS user may traverse it through its group (0710), and nothing outside that folder is ever changed. A folder
    // the postgres user cannot reach is reported instead of opened up.
    private async Task EnsureParentDirectoryAsync(bool ownsParent, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException();
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var created = !Directory.Exists(ParentDirectory);
        if (created)
            Directory.CreateDirectory(ParentDirectory, owner);
        if (created || ownsParent)
        {
            if (RunsAsRoot)
                await RunCheckedAsync("Letting the postgres user traverse the cluster's folder", "chgrp", [ServiceUser, ParentDirectory], ct);
            File.SetUnixFileMode(ParentDirectory, RunsAsRoot ? owner | UnixFileMode.GroupExecute : owner);
        }
        if (!RunsAsRoot)
            return;
        var reachable = await ProcessRunner.RunAsync("runuser", ["-u", ServiceUser, "--", "test", "-x", ParentDirectory], ct);
        if (!reachable.Succeeded)
            throw new InvalidOperationException(
                $"PostgreSQL runs as the OS user {ServiceUser} (it refuses to run as root), and that user cannot reach " +
                $"{ParentDirectory}: a folder above it is closed to other users. The launcher does not open folders it did not " +
                "create. Choose a data folder the postgres user can reach (LocalPostgres__DataDirectory, e.g. below /var/tmp " +
                "or /srv), or set ConnectionStrings__Marten to an existing PostgreSQL server.");
    }

    private string ReadLogTail(long fromOffset)
    {
        if (!File.Exists(LogFile))
            return "";
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(fromOffset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.TakeLast(LogTailLines));
    }
}
