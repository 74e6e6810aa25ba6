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
        var parent = Path.GetDirectoryName(dataDirectory) ?? dataDirectory;
        LogFile = Path.Combine(parent, Path.GetFileName(dataDirectory) + ".log");
    }

    public string DataDirectory { get; }

    public string LogFile { get; }

    private string PidFile => Path.Combine(DataDirectory, "postmaster.pid");

    public async Task EnsureInitialisedAsync(CancellationToken ct)
    {
        var initialised = File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
        if (!initialised)
        {
            _log?.Invoke($"Creating a PostgreSQL cluster in {DataDirectory} (binaries: {_binDirectory})");
            CreateDataDirectory();
        }
        if (RunsAsRoot)
            MakeAncestorsTraversable();
        if (initialised)
            return;
        if (RunsAsRoot)
            await RunCheckedAsync("Handing the data folder to the postgres user", "chown", ["-R", ServiceUser + ":", DataDirectory], ct);

        var withUtf8Locale = await InitDbAsync("C.UTF-8", ct);
        if (withUtf8Locale.Succeeded)
            return;
        if (!withUtf8Locale.Output.Contains("locale", StringComparison.OrdinalIgnoreCase))
            throw withUtf8Locale.Failure("initdb");
        _log?.Invoke("Locale C.UTF-8 is not available; initialising with locale C instead");
        var withCLocale = await InitDbAsync("C", ct);
        if (!withCLocale.Succeeded)
            throw withCLocale.Failure("initdb");
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

    private Task<ProcessResult> InitDbAsync(string locale, CancellationToken ct) =>
        RunServerToolAsync("initdb",
            ["-D", DataDirectory, "-U", ServiceUser, "--auth=trust", "--encoding=UTF8", $"--locale={locale}"], ct);

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

    private void PrepareLogFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LogFile)!);
        if (!File.Exists(LogFile))
            File.WriteAllBytes(LogFile, []);
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

    // The postgres user must be able to walk down to a data folder that root created, e.g. below /root or /work.
    private void MakeAncestorsTraversable()
    {
        if (OperatingSystem.IsWindows())
            return;
        for (var directory = Path.GetDirectoryName(DataDirectory); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (!Directory.Exists(directory))
                continue;
            var mode = File.GetUnixFileMode(directory);
            if (mode.HasFlag(UnixFileMode.OtherExecute))
                continue;
            _log?.Invoke($"Allowing the postgres user to traverse {directory} (chmod o+x)");
            File.SetUnixFileMode(directory, mode | UnixFileMode.OtherExecute);
        }
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
