using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Operations;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>
/// A witness as a Land runs it: the built <c>blk-witness</c> program as a process of its own, with its key created by
/// <c>blk-witness key</c>, its state in a folder of its own, and the log's key pinned.
/// </summary>
public sealed class WitnessProcess : IAsyncDisposable
{
    private Process? _process;

    private WitnessProcess(string name, string folder, CosignerKey key, int port)
    {
        Name = name;
        Folder = folder;
        Key = key;
        Port = port;
    }

    public string Name { get; }
    public string Folder { get; }
    public CosignerKey Key { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string StateDirectory => Path.Combine(Folder, "state");
    public string LogFile => Path.Combine(Folder, "witness.log");

    /// <summary>Creates the witness's key with the program itself and reads the public key it prints.</summary>
    /// <summary>The service's settings for a schema of its own and these witnesses, of which <paramref name="quorum"/> must cosign.</summary>
    public static Dictionary<string, string> ServiceSettings(string schema, int quorum, IReadOnlyList<WitnessProcess> witnesses)
    {
        var settings = new Dictionary<string, string> { ["Marten:Schema"] = schema, ["Witnessing:Quorum"] = quorum.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        for (var i = 0; i < witnesses.Count; i++)
        {
            settings[$"Witnessing:Witnesses:{i}:Url"] = witnesses[i].Url;
            settings[$"Witnessing:Witnesses:{i}:PublicKey"] = witnesses[i].Key.ToString();
        }
        return settings;
    }

    public static async Task<WitnessProcess> CreateAsync(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "blk-witness-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var result = await OpsScripts.Run("dotnet", [Dll(), "key", "--name", name, "--key-file", Path.Combine(folder, "witness.key")]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"blk-witness key failed: {result}");
        var key = CosignerKey.TryParse(result.Output.Trim(), out var problem)
                  ?? throw new InvalidOperationException($"blk-witness key printed no witness key ({problem}): {result}");
        return new WitnessProcess(name, folder, key, FreePort());
    }

    public async Task StartAsync(VerifierKey logKey)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec dotnet \"{Dll()}\" --urls {Url} >>\"{LogFile}\" 2>&1" },
            UseShellExecute = false,
        };
        start.Environment["Witness__Name"] = Name;
        start.Environment["Witness__KeyFile"] = Path.Combine(Folder, "witness.key");
        start.Environment["Witness__StateDirectory"] = StateDirectory;
        start.Environment["Witness__LogKeys__0"] = logKey.ToString();
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var http = new HttpClient();
        var until = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The witness {Name} stopped:\n{await File.ReadAllTextAsync(LogFile)}");
            try
            {
                if ((await http.GetStringAsync(Url + "/public-key")).Trim() == Key.ToString()) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"The witness {Name} did not answer within a minute:\n{await File.ReadAllTextAsync(LogFile)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The built witness, next to the service in the repository (built with the tests, same configuration).</summary>
    private static string Dll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var dll = Path.Combine(OpsScripts.RepositoryRoot, "src", "BundLaenderKoordination.Witness", "bin", configuration, "net10.0", "blk-witness.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"The witness is not built at {dll}.");
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
