using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Xunit.Abstractions;

namespace BundLaenderKoordination.IntegrationTests.Documentation;

/// <summary>
/// The curl walk-throughs in README.md and docs/*.md run as printed. On a page with curl examples, every fenced shell
/// block (and every block without a language that calls curl) carries a marker in the line before it: <c>&lt;!-- expect: 200x4 201 409 --&gt;</c> (the status codes of
/// its requests in order, <c>NxK</c> for K times N, <c>none</c> for no request) or <c>&lt;!-- not run: reason --&gt;</c>.
/// The marked blocks of one page run in printed order as one bash script (<c>set -euo pipefail</c>, so every variable
/// must be defined on the page) against the service on a real Kestrel port over the tests' PostgreSQL, with
/// <c>localhost:5180</c> replaced by that port; the status of every curl request is compared with the marker.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DocsRunTests(AppFixture app, ITestOutputHelper output)
{
    private static readonly Regex Fence = new(@"^```(\S*)\s*$");
    private static readonly Regex Marker = new(@"^<!--\s*(expect|not run)\s*:\s*(.*?)\s*-->\s*$");
    private const string StatusMark = "DOC-STATUS ";
    private const string BlockMark = "DOC-BLOCK ";

    /// <summary>One fenced shell block of a page, with the marker in the line before it (if any).</summary>
    public sealed record Block(string Page, int Line, string Language, string Code, string? Marker, string? MarkerValue)
    {
        public bool CallsCurl => Regex.IsMatch(Code, @"(^|[\s(|;$])curl\s");
        public bool Runs => Marker == "expect";

        public IReadOnlyList<int> ExpectedStatuses() =>
            MarkerValue is null or "none"
                ? []
                : MarkerValue.Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(item =>
                {
                    var parts = item.Split('x');
                    return Enumerable.Repeat(int.Parse(parts[0]), parts.Length == 2 ? int.Parse(parts[1]) : 1);
                }).ToList();
    }

    private static string RepositoryRoot() => Operations.OpsScripts.RepositoryRoot;

    /// <summary>README.md and every page in docs/.</summary>
    public static IEnumerable<string> Pages()
    {
        var root = RepositoryRoot();
        yield return "README.md";
        foreach (var page in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
            yield return Path.GetRelativePath(root, page);
    }

    public static IReadOnlyList<Block> ShellBlocks(string page)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), page));
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence.Match(lines[i].TrimStart());
            if (!fence.Success) continue;
            var start = i;
            var indent = lines[i].Length - lines[i].TrimStart().Length;
            var code = new StringBuilder();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
                code.AppendLine(lines[i][Math.Min(indent, lines[i].Length - lines[i].TrimStart().Length)..]);
            // Shell blocks, and blocks without a language (which a reader may paste into a shell all the same).
            if (fence.Groups[1].Value is not ("sh" or "bash" or "shell" or "console" or "")) continue;
            var marker = start > 0 ? Marker.Match(lines[start - 1].Trim()) : Match.Empty;
            blocks.Add(new Block(page, start + 1, fence.Groups[1].Value, code.ToString(),
                marker.Success ? marker.Groups[1].Value : null, marker.Success ? marker.Groups[2].Value : null));
        }
        return blocks;
    }

    [Fact]
    public void Every_shell_block_of_a_page_with_curl_examples_says_what_it_answers_or_why_it_is_not_run()
    {
        // On a page with a curl walk-through every shell block is marked, since a block may call curl through a function
        // of the page (tok, json) without naming it; a block without a language only when it calls curl (the others
        // show output).
        var unmarked = Pages().Select(ShellBlocks).Where(blocks => blocks.Any(b => b.CallsCurl))
            .SelectMany(blocks => blocks.Where(b => b.Marker is null && (b.CallsCurl || b.Language != "")))
            .Select(b => $"{b.Page}:{b.Line}").ToList();
        unmarked.ShouldBeEmpty("each of these blocks needs <!-- expect: codes --> or <!-- not run: reason --> in the line before it");
        Pages().SelectMany(ShellBlocks).Count(b => b.Runs).ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task Every_walk_through_runs_as_printed_against_the_service_and_answers_the_documented_status_codes()
    {
        var auditKeyFile = Path.Combine(Path.GetTempPath(), "blk-docs-audit-" + Guid.NewGuid().ToString("N") + ".key");
        await using var service = new KestrelService(new Dictionary<string, string>
        {
            ["ConnectionStrings:Marten"] = app.ConnectionString,
            ["Audit:KeyFile"] = auditKeyFile,
            ["DataProtection:CertificateFile"] = app.KeyCertificateFile,
            ["Marten:Schema"] = "docs_" + Guid.NewGuid().ToString("N")[..12],
        });
        JasperFxEnvironment.AutoStartHost = true;
        service.UseKestrel(0);
        service.StartServer();
        var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var failures = new List<string>();
        try
        {
            foreach (var page in Pages())
            {
                var blocks = ShellBlocks(page).Where(b => b.Runs).ToList();
                if (blocks.Count == 0) continue;
                var result = await RunPage(page, blocks, address);
                output.WriteLine($"{page}: {blocks.Count} blocks, {blocks.Sum(b => b.ExpectedStatuses().Count)} requests");
                failures.AddRange(result);
            }
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(auditKeyFile) + "*")) File.Delete(file);
        }
        failures.ShouldBeEmpty();
    }

    private async Task<List<string>> RunPage(string page, IReadOnlyList<Block> blocks, Uri address)
    {
        var root = RepositoryRoot();
        var verifier = Path.Combine(AppContext.BaseDirectory, "blk-verify.dll");
        var script = new StringBuilder();
        script.AppendLine("set -euo pipefail");
        // Every request's status goes to stderr after whatever the page's own options write.
        script.AppendLine($"curl() {{ command curl \"$@\" -w '%{{stderr}}{StatusMark}%{{http_code}}\\n'; }}");
        foreach (var block in blocks)
        {
            var code = block.Code
                .Replace("localhost:5180", $"{address.Host}:{address.Port}")
                .Replace("dotnet run --project src/BundLaenderKoordination.Verifier --", $"dotnet \"{verifier}\"");
            script.AppendLine($"echo '{BlockMark}{block.Line}' >&2");
            script.AppendLine(code);
        }
        script.AppendLine($"echo '{BlockMark}end' >&2");

        var workDirectory = Directory.CreateTempSubdirectory("blk-docs-");
        try
        {
            // The pages' commands run from the checkout (ops/demo-negotiation.sh); files they write stay in the temporary
            // directory.
            File.CreateSymbolicLink(Path.Combine(workDirectory.FullName, "ops"), Path.Combine(root, "ops"));
            var scriptFile = Path.Combine(workDirectory.FullName, "walk-through.sh");
            await File.WriteAllTextAsync(scriptFile, script.ToString());
            var start = new ProcessStartInfo("bash", [scriptFile])
            {
                WorkingDirectory = workDirectory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["HOME"] = workDirectory.FullName;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
            var (outText, errText) = (await stdout, await stderr);

            // The statuses of each block, between the block markers on stderr.
            var actual = new Dictionary<int, List<int>>();
            int? current = null;
            var reachedEnd = false;
            foreach (var line in errText.Split('\n'))
            {
                if (line.StartsWith(BlockMark))
                {
                    var value = line[BlockMark.Length..].Trim();
                    if (value == "end") { reachedEnd = true; current = null; }
                    else { current = int.Parse(value); actual[current.Value] = []; }
                }
                else if (line.StartsWith(StatusMark) && current is { } c)
                    actual[c].Add(int.Parse(line[StatusMark.Length..].Trim()));
            }

            var failures = new List<string>();
            foreach (var block in blocks)
            {
                var expected = block.ExpectedStatuses();
                var got = actual.GetValueOrDefault(block.Line);
                if (got is null) failures.Add($"{page}:{block.Line}: not reached");
                else if (!got.SequenceEqual(expected))
                    failures.Add($"{page}:{block.Line}: expected {string.Join(' ', expected)}, answered {string.Join(' ', got)}");
            }
            if (!reachedEnd || process.ExitCode != 0)
                failures.Add($"{page}: the script stopped with exit code {(process.HasExited ? process.ExitCode : -1)} before its end");
            if (failures.Count > 0)
            {
                output.WriteLine($"--- {page} ---\nstdout:\n{Tail(outText)}\nstderr:\n{Tail(errText)}");
            }
            return failures;
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];

    /// <summary>The service on a real port, as <c>ops/run.sh</c> serves it, over the tests' PostgreSQL.</summary>
    private sealed class KestrelService(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        }
    }
}
