using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MimeKit;

namespace BundLaenderKoordination.IntegrationTests.Notifications;

/// <summary>
/// A real SMTP server for the tests: smtp4dev, the .NET tool named in .config/dotnet-tools.json, started on free ports
/// with an in-memory store. The tests read what it received over its HTTP API, as the raw messages it was sent.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly Dictionary<string, MimeMessage> _read = new();

    public int SmtpPort { get; }

    private MailServer(Process process, int smtpPort, int webPort)
    {
        _process = process;
        SmtpPort = smtpPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") };
    }

    /// <summary>Starts smtp4dev; on <paramref name="smtpPort"/> when given (a mail server that comes back where one failed).</summary>
    public static async Task<MailServer> StartAsync(int? smtpPort = null)
    {
        var root = RepositoryRoot();
        // Other builds on the machine may restore tools into the same cache at the same moment; a second try then succeeds.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Run(root, "tool restore");
                break;
            }
            catch (InvalidOperationException) when (attempt < 4)
            {
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt));
            }
        }
        var smtp = smtpPort ?? FreePort();
        var web = FreePort();
        var process = Process.Start(new ProcessStartInfo("dotnet",
            $"tool run smtp4dev -- --smtpport={smtp} --urls=http://127.0.0.1:{web} --db= --imapport={FreePort()} --pop3port={FreePort()} --messagestokeep=5000 --tlsmode=None")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new MailServer(process, smtp, web);
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"smtp4dev stopped at start (exit {process.ExitCode}).");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, smtp);
                (await server._http.GetAsync("/api/messages")).EnsureSuccessStatusCode();
                return server;
            }
            catch (Exception ex) when (ex is SocketException or HttpRequestException)
            {
                await Task.Delay(250);
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("smtp4dev did not start within a minute.");
    }

    /// <summary>Every message received so far, as sent.</summary>
    public async Task<IReadOnlyList<MimeMessage>> Messages()
    {
        var list = JsonNode.Parse(await _http.GetStringAsync("/api/messages?pageSize=5000"))!;
        var messages = new List<MimeMessage>();
        foreach (var item in list["results"]!.AsArray())
        {
            var id = item!["id"]!.GetValue<string>();
            if (!_read.TryGetValue(id, out var message))
            {
                await using var raw = await _http.GetStreamAsync($"/api/messages/{id}/raw");
                var buffer = new MemoryStream();
                await raw.CopyToAsync(buffer);
                buffer.Position = 0;
                _read[id] = message = await MimeMessage.LoadAsync(buffer);
            }
            messages.Add(message);
        }
        return messages;
    }

    /// <summary>The messages once <paramref name="done"/> holds for them; the wait is bounded, nothing is asserted about its length.</summary>
    public async Task<IReadOnlyList<MimeMessage>> Until(Func<IReadOnlyList<MimeMessage>, bool> done, string what)
    {
        IReadOnlyList<MimeMessage> messages = [];
        for (var attempt = 0; attempt < 240; attempt++)
        {
            messages = await Messages();
            if (done(messages)) return messages;
            await Task.Delay(500);
        }
        throw new Xunit.Sdk.XunitException($"Within two minutes the mail server did not receive {what}; it has {messages.Count} messages: "
                                           + string.Join("; ", messages.Select(m => $"{m.To} {m.Subject}")));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task Run(string directory, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", arguments)
            { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet {arguments} failed: {await output} {await error}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, ".config", "dotnet-tools.json"))) return directory.FullName;
        throw new InvalidOperationException("The repository (with .config/dotnet-tools.json) was not found above " + AppContext.BaseDirectory);
    }
}
