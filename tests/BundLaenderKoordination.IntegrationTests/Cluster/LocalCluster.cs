using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using BundLaenderKoordination.IntegrationTests.Operations;

namespace BundLaenderKoordination.IntegrationTests.Cluster;

/// <summary>One service node: a separate <c>dotnet</c> process of the built service on a port of its own.</summary>
public sealed class ClusterNode(int number, int port, Process process, string log)
{
    public int Number { get; } = number;
    public int Port { get; } = port;
    public Process Process { get; } = process;
    public string Log { get; } = log;
    public string Url => $"http://127.0.0.1:{Port}";
    public string Name => $"node{Number}";
    public bool Killed { get; set; }
}

/// <summary>
/// A cluster as ops/cluster.sh runs it, on the test run's PostgreSQL and a schema of its own: N nodes started one after
/// the other (the first creates the schema), and HAProxy in front, health-checking <c>/health/ready</c>. HAProxy names
/// the node that answered in the header <c>X-Node</c>.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "blk-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ClusterNode> _nodes = [];
    private Process? _haproxy;

    public static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public IReadOnlyList<ClusterNode> Nodes => _nodes;
    public int Port { get; private set; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string Schema { get; } = "cluster_" + Guid.NewGuid().ToString("N")[..8];
    public string Folder => _folder;

    public static async Task<LocalCluster> StartAsync(string connectionString, string keyCertificateFile, int nodes, Action<string> log)
    {
        var cluster = new LocalCluster();
        Directory.CreateDirectory(cluster._folder);
        try
        {
            for (var i = 1; i <= nodes; i++)
            {
                var started = Stopwatch.StartNew();
                var node = cluster.StartNode(i, connectionString, keyCertificateFile, nodes);
                await cluster.WaitReadyAsync(node, TimeSpan.FromMinutes(4));
                log($"{node.Name} (pid {node.Process.Id}, port {node.Port}) ready after {started.Elapsed.TotalSeconds:0.0} s");
            }
            await cluster.StartHaproxyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private ClusterNode StartNode(int number, string connectionString, string keyCertificateFile, int nodes)
    {
        var port = FreePort();
        var log = Path.Combine(_folder, $"node{number}.log");
        var (projectDirectory, dll) = ServiceBuild();
        var start = new ProcessStartInfo("/bin/sh")
        {
            // exec: the process is the service itself, so that killing it kills the node and nothing else.
            ArgumentList = { "-c", $"exec dotnet \"{dll}\" --urls http://127.0.0.1:{port} >\"{log}\" 2>&1" },
            WorkingDirectory = projectDirectory,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Marten"] = connectionString,
            ["Marten__Schema"] = Schema,
            ["Audit__KeyFile"] = Path.Combine(_folder, "audit.key"),
            ["DataProtection__CertificateFile"] = keyCertificateFile,
            ["Hardening__Instances"] = nodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Wolverine"] = "Information",
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var node = new ClusterNode(number, port, process, log);
        _nodes.Add(node);
        return node;
    }

    private async Task WaitReadyAsync(ClusterNode node, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (node.Process.HasExited)
                throw new InvalidOperationException($"{node.Name} stopped while starting:\n{Tail(node.Log)}");
            try
            {
                using var response = await Http.GetAsync(node.Url + "/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"{node.Name} was not ready within {limit}:\n{Tail(node.Log)}");
    }

    private async Task StartHaproxyAsync()
    {
        Port = FreePort();
        var config = Path.Combine(_folder, "haproxy.cfg");
        // The configuration ops/cluster.sh runs, from the same script.
        var written = await OpsScripts.Run("/bin/bash",
            [OpsScripts.Script("haproxy.sh"), "config", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", .. _nodes.Select(n => $"{n.Name}=127.0.0.1:{n.Port}")]);
        if (written.ExitCode != 0) throw new InvalidOperationException($"ops/haproxy.sh config failed: {written}");
        await File.WriteAllTextAsync(config, written.Output);
        var log = Path.Combine(_folder, "haproxy.log");
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec \"{HaproxyPath()}\" -f \"{config}\" -db >\"{log}\" 2>&1" },
            UseShellExecute = false,
        };
        _haproxy = Process.Start(start) ?? throw new InvalidOperationException("haproxy did not start");
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (_haproxy.HasExited) throw new InvalidOperationException($"haproxy stopped:\n{Tail(log)}");
            try
            {
                using var response = await Http.GetAsync(Url + "/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"haproxy did not answer:\n{Tail(log)}");
    }

    /// <summary>What the node says of itself (<c>/health/node</c>), or null when it does not answer.</summary>
    public static async Task<JsonObject?> NodeInfoAsync(ClusterNode node)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await Http.GetFromJsonAsync<JsonObject>(node.Url + "/health/node", cts.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>kill -9: the node ends at once, with no chance to hand anything over.</summary>
    public static void Kill(ClusterNode node)
    {
        node.Killed = true;
        node.Process.Kill();
        node.Process.WaitForExit(10_000);
    }

    public static string Tail(string file, int lines = 40) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(lines)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _nodes.Select(n => n.Process).Append(_haproxy).OfType<Process>())
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
            }
            process.Dispose();
        }
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }

    private static string HaproxyPath()
    {
        if (Environment.GetEnvironmentVariable("HAPROXY_PATH") is { Length: > 0 } configured) return configured;
        foreach (var candidate in new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy" })
            if (File.Exists(candidate)) return candidate;
        throw new InvalidOperationException("HAProxy is not installed: run ops/haproxy.sh ensure-installed (apt-get install -y haproxy).");
    }

    /// <summary>The service as built for this test run (same configuration), run from its project folder as ops/cluster.sh does.</summary>
    private static (string ProjectDirectory, string Dll) ServiceBuild()
    {
        var baseDirectory = AppContext.BaseDirectory;
        var configuration = baseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var project = Path.Combine(OpsScripts.RepositoryRoot, "src", "BundLaenderKoordination.Api");
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "BundLaenderKoordination.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"The service is not built at {dll}.");
        return (project, dll);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
