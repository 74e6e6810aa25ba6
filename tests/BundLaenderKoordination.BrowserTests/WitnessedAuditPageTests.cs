using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using Wolverine;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The audit page shows which checkpoints are witnessed by whom: a service with the witnesses of Bayern and Hessen
/// (the built <c>blk-witness</c>, each a process of its own) and the Bund's configured but down, quorum two; an auditor
/// sees the latest checkpoints, each witness's name and the time of its cosignature in German local time, and that the
/// quorum is met, on a wide and on a narrow screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WitnessedAuditPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_audit_page_shows_which_witnesses_cosigned_a_checkpoint_when_and_that_the_quorum_is_met()
    {
        var folder = Directory.CreateTempSubdirectory("blk-browser-witnesses-").FullName;
        var witnesses = new List<Witness>();
        try
        {
            foreach (var name in new[] { "zeuge.by.example/blk", "zeuge.he.example/blk", "zeuge.bund.example/blk" })
                witnesses.Add(await Witness.CreateAsync(name, Path.Combine(folder, name.Split('.')[1])));
            await using var service = WitnessedService.Start(browser.ConnectionString, Path.Combine(folder, "audit.key"), witnesses, quorum: 2);
            var logKey = (await service.Http.GetStringAsync("/api/audit/public-keys")).Trim();
            await witnesses[0].StartAsync(logKey);
            await witnesses[1].StartAsync(logKey);

            var representative = await service.Token("Anna Berger", "DE-BY", "representative");
            var auditor = await service.Token("Petra Prüfer", null, "auditor");
            await service.Api(HttpMethod.Post, "/api/resolutions", representative,
                new { body = "D16", title = "Beschluss zur Bezeugung", paragraphs = new[] { "Die Länder zeichnen das Prüfprotokoll gegen." } });
            var issued = await service.Api(HttpMethod.Post, "/api/audit/checkpoints", auditor);
            var size = issued["treeSize"]!.GetValue<long>();
            CheckpointWitnesses? witnessed = null;
            for (var attempt = 0; attempt < 300 && witnessed is not { Witnessed: true }; attempt++)
            {
                if (attempt > 0) await Task.Delay(200);
                witnessed = await service.Http.GetFromJsonAsync<CheckpointWitnesses>($"/api/audit/witnesses?treeSize={size}", ServiceApi.Json);
            }
            witnessed!.Witnessed.ShouldBeTrue($"the checkpoint of size {size} was not cosigned within a minute");

            foreach (var width in new[] { 1366, 390 })
            {
                var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = service.BaseAddress.ToString(), Locale = "de-DE", TimezoneId = BrowserFixture.TimeZone,
                    ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
                });
                context.SetDefaultTimeout(60_000);
                context.SetDefaultNavigationTimeout(90_000);
                var page = await context.NewPageAsync();
                await page.GotoAsync("/anmelden");
                await BrowserFixture.SignInHere(page, "Petra Prüfer", null, "auditor");
                await page.GotoAsync("/pruefung");

                var section = page.GetByTestId("witnessed-checkpoints");
                await Expect(section.Locator("h2")).ToHaveTextAsync("Gegenzeichnung durch die Länder (Zeugen)");
                await Expect(section).ToContainTextAsync("3 Zeugen sind eingerichtet; ein Prüfpunkt gilt als bezeugt, wenn mindestens 2 von ihnen ihn gegengezeichnet haben.");
                var row = section.Locator($"tr[data-tree-size='{size}']");
                await Expect(row.GetByTestId("quorum")).ToHaveTextAsync("✓ erreicht (2 Gegenzeichnungen, 2 nötig)");
                await Expect(row.GetByTestId("cosignature")).ToHaveCountAsync(2);
                foreach (var cosignature in witnessed.Cosignatures)
                    await Expect(row.GetByTestId("cosignature").Filter(new() { HasText = cosignature.Witness }))
                        .ToHaveTextAsync($"{cosignature.Witness} am {GermanTime.Format(cosignature.CosignedAt, false)}");
                await Expect(row).Not.ToContainTextAsync("zeuge.bund.example/blk");

                await page.ShouldNotPushSideways();
                await page.ShouldBeAccessible();
                if (width == 1366) await page.Screenshot("pruefung-zeugen");
                await context.CloseAsync();
            }
        }
        finally
        {
            foreach (var witness in witnesses) await witness.DisposeAsync();
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>The built <c>blk-witness</c> as a Land runs it: its key made by <c>blk-witness key</c>, its state in a folder of its own.</summary>
    private sealed class Witness : IAsyncDisposable
    {
        private Process? _process;

        private Witness(string name, string folder, string publicKey, int port) => (Name, Folder, PublicKey, Port) = (name, folder, publicKey, port);

        public string Name { get; }
        public string Folder { get; }
        public string PublicKey { get; }
        public int Port { get; }
        public string Url => $"http://127.0.0.1:{Port}";

        public static async Task<Witness> CreateAsync(string name, string folder)
        {
            Directory.CreateDirectory(folder);
            var key = Start(["key", "--name", name, "--key-file", Path.Combine(folder, "witness.key")], null);
            var output = await key.StandardOutput.ReadToEndAsync();
            await key.WaitForExitAsync();
            key.ExitCode.ShouldBe(0, await key.StandardError.ReadToEndAsync());
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return new Witness(name, folder, output.Trim(), port);
        }

        public async Task StartAsync(string logKey)
        {
            _process = Start(["--urls", Url], new Dictionary<string, string>
            {
                ["Witness__Name"] = Name, ["Witness__KeyFile"] = Path.Combine(Folder, "witness.key"),
                ["Witness__StateDirectory"] = Path.Combine(Folder, "state"), ["Witness__LogKeys__0"] = logKey,
            });
            using var http = new HttpClient();
            for (var until = DateTime.UtcNow.AddMinutes(1); DateTime.UtcNow < until; await Task.Delay(200))
            {
                _process.HasExited.ShouldBeFalse($"the witness {Name} stopped");
                try
                {
                    if ((await http.GetStringAsync(Url + "/public-key")).Trim() == PublicKey) return;
                }
                catch (HttpRequestException)
                {
                }
            }
            throw new InvalidOperationException($"The witness {Name} did not answer within a minute.");
        }

        private static Process Start(string[] args, Dictionary<string, string>? environment)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Dll());
            foreach (var arg in args) start.ArgumentList.Add(arg);
            foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            if (environment is not null)
            {
                // A running witness logs to its console; read it so that it never blocks on a full pipe.
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }
            return process;
        }

        private static string Dll()
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var dll = Path.Combine(dir.FullName, "src", "BundLaenderKoordination.Witness", "bin", configuration, "net10.0", "blk-witness.dll");
                if (File.Exists(dll)) return dll;
            }
            throw new InvalidOperationException("The witness (blk-witness.dll) is not built next to the tests.");
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process?.Dispose();
        }
    }

    /// <summary>The service on a real port in Development, on the run's PostgreSQL in a schema of its own, with these witnesses.</summary>
    private sealed class WitnessedService : WebApplicationFactory<Program>
    {
        private readonly Dictionary<string, string> _settings;

        private WitnessedService(Dictionary<string, string> settings) => _settings = settings;

        public Uri BaseAddress { get; private set; } = null!;
        public HttpClient Http { get; private set; } = null!;

        public static WitnessedService Start(string connectionString, string auditKeyFile, IReadOnlyList<Witness> witnesses, int quorum)
        {
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings:Marten"] = connectionString,
                ["Marten:Schema"] = "witnessed_" + Guid.NewGuid().ToString("N")[..12],
                ["Audit:KeyFile"] = auditKeyFile,
                ["Witnessing:Quorum"] = quorum.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            for (var i = 0; i < witnesses.Count; i++)
            {
                settings[$"Witnessing:Witnesses:{i}:Url"] = witnesses[i].Url;
                settings[$"Witnessing:Witnesses:{i}:PublicKey"] = witnesses[i].PublicKey;
            }
            var service = new WitnessedService(settings);
            service.UseKestrel(0);
            service.StartServer();
            service.BaseAddress = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            service.Http = new HttpClient { BaseAddress = service.BaseAddress };
            return service;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in _settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        }

        public async Task<string> Token(string name, string? land, params string[] roles)
        {
            var response = await Http.PostAsJsonAsync("/api/dev/tokens", new { name, land, roles });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        }

        public async Task<JsonObject> Api(HttpMethod method, string path, string token, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new("Bearer", token);
            if (body is not null) request.Content = JsonContent.Create(body);
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
            return (System.Text.Json.Nodes.JsonNode.Parse(text) as JsonObject)!;
        }

        public override async ValueTask DisposeAsync()
        {
            Http?.Dispose();
            await base.DisposeAsync();
        }
    }
}
