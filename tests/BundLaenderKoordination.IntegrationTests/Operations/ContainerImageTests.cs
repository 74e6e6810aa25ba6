using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Shouldly;
using Xunit.Abstractions;

namespace BundLaenderKoordination.IntegrationTests.Operations;

/// <summary>
/// The container image as an operator runs it: built by ops/image.sh with podman from Debian's packages (no image
/// registry), started against this run's PostgreSQL with its configuration in environment variables and mounted secret
/// files only, then ready, healthy by its own HEALTHCHECK, running as a user other than root, taking a command, and
/// carrying an offline verifier that finds the log it wrote clean.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ContainerImageTests(AppFixture app, ITestOutputHelper output)
{
    private const string Tag = "localhost/bund-laender-koordination:test";

    // The image is published from the build these tests run on (ops/test.sh builds Release before testing).
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static Task<OpsScripts.Result> Podman(params string[] arguments) =>
        OpsScripts.Run(OpsScripts.Script("image.sh"), ["podman", .. arguments], timeout: TimeSpan.FromMinutes(3));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Token(string signingKey, string name, params string[] roles) =>
        DevelopmentTokens.Issue(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Identity:SigningKey"] = signingKey }).Build(),
            name, null, roles, DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_image_runs_as_a_non_root_user_on_secrets_and_environment_alone_and_serves_a_command()
    {
        var started = DateTime.UtcNow;
        var build = await OpsScripts.Run(OpsScripts.Script("image.sh"), ["build", Tag],
            new Dictionary<string, string> { ["BLK_IMAGE_NO_BUILD"] = "1", ["BLK_IMAGE_CONFIGURATION"] = Configuration }, TimeSpan.FromMinutes(20));
        build.ExitCode.ShouldBe(0, build.ToString());
        output.WriteLine($"image built in {(DateTime.UtcNow - started).TotalSeconds:F0} s:\n{build.Output}");

        var schema = "blk_image_" + Guid.NewGuid().ToString("N")[..8];
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var secrets = Directory.CreateTempSubdirectory("blk-image-secrets-");
        var files = Directory.CreateTempSubdirectory("blk-image-files-");
        var audit = Directory.CreateTempSubdirectory("blk-image-audit-");
        var name = "blk-image-test-" + Guid.NewGuid().ToString("N")[..8];
        var port = FreePort();
        try
        {
            // One file per setting, as Kubernetes mounts a Secret; the certificate is a file of its own.
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "ConnectionStrings__Marten"), app.ConnectionString + "\n");
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "Identity__SigningKey"), signingKey + "\n");
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "Audit__SigningKey"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
            Api.Infrastructure.KeyStorage.CreateCertificateFile(Path.Combine(files.FullName, "dataprotection.pfx"));

            var run = await Podman("run", "-d", "--name", name, "--network", "host",
                "-e", $"ASPNETCORE_HTTP_PORTS={port}",
                "-e", $"Marten__Schema={schema}",
                "-e", "DataProtection__CertificateFile=/run/secrets/blk-files/dataprotection.pfx",
                "-v", $"{secrets.FullName}:/run/secrets/blk:ro,U",
                "-v", $"{files.FullName}:/run/secrets/blk-files:ro,U",
                Tag);
            run.ExitCode.ShouldBe(0, run.ToString());

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = ApiClient.RequestTimeout };
            var deadline = DateTime.UtcNow.AddMinutes(2);
            HttpStatusCode? ready = null;
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    ready = (await http.GetAsync("/health/ready")).StatusCode;
                    if (ready == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(500);
            }
            ready.ShouldBe(HttpStatusCode.OK, (await Podman("logs", name)).ToString());
            output.WriteLine($"ready {(DateTime.UtcNow - started).TotalSeconds:F0} s after the build began");

            (await Podman("healthcheck", "run", name)).ExitCode.ShouldBe(0, "the image's own HEALTHCHECK");
            (await Podman("exec", name, "id", "-u")).Output.Trim().ShouldBe("10001");

            // Production: no development token route; a token signed with the mounted key is honoured.
            var first = System.Diagnostics.Stopwatch.StartNew();
            (await http.PostAsJsonAsync("/api/dev/tokens", new { name = "X" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            output.WriteLine($"first request after ready: {first.ElapsedMilliseconds} ms");
            var grant = new HttpRequestMessage(HttpMethod.Post, "/api/bodies/D16/mandates")
            {
                Content = JsonContent.Create(new { personId = "oidc:vertretung-hessen", personName = "Vertretung Hessen", land = "DE-HE", role = "representative" }),
            };
            grant.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(signingKey, "Verwaltung Bund", "admin"));
            var granted = await http.SendAsync(grant);
            granted.StatusCode.ShouldBe(HttpStatusCode.Created, await granted.Content.ReadAsStringAsync());
            output.WriteLine($"first command answered {first.ElapsedMilliseconds} ms after ready");
            await using (var connection = new NpgsqlConnection(app.ConnectionString))
            {
                await connection.OpenAsync();
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {schema}.mt_events WHERE type = 'mandate_granted'", connection);
                ((long)(await count.ExecuteScalarAsync())!).ShouldBe(1);
            }

            // The verifier in the image checks the log the service in the image wrote.
            var auditor = Token(signingKey, "Prüfung Bund", "auditor");
            JsonNode? checkpoint = null;
            for (var attempt = 0; attempt < 40 && checkpoint?["treeSize"]?.GetValue<long>() is not >= 2; attempt++)
            {
                var issue = new HttpRequestMessage(HttpMethod.Post, "/api/audit/checkpoints");
                issue.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auditor);
                var issued = await http.SendAsync(issue);
                if (issued.StatusCode == HttpStatusCode.OK) checkpoint = JsonNode.Parse(await issued.Content.ReadAsStringAsync());
                else await Task.Delay(500);
            }
            checkpoint.ShouldNotBeNull("a checkpoint over the seeded body and the granted mandate");
            var export = new HttpRequestMessage(HttpMethod.Get, "/api/audit/bundle");
            export.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auditor);
            var bundle = await http.SendAsync(export);
            bundle.StatusCode.ShouldBe(HttpStatusCode.OK);
            await File.WriteAllBytesAsync(Path.Combine(audit.FullName, "bundle.json"), await bundle.Content.ReadAsByteArrayAsync());
            await File.WriteAllTextAsync(Path.Combine(audit.FullName, "keys.txt"), await http.GetStringAsync("/api/audit/public-keys"));
            await File.WriteAllTextAsync(Path.Combine(audit.FullName, "kept.checkpoint"), checkpoint["note"]!.GetValue<string>());
            var verified = await Podman("run", "--rm", "--network", "none", "--entrypoint", "blk-verify", "-v", $"{audit.FullName}:/audit:ro,U", Tag,
                "verify", "/audit/bundle.json", "--key", "/audit/keys.txt", "--checkpoint", "/audit/kept.checkpoint");
            verified.ExitCode.ShouldBe(0, verified.ToString());
            verified.Output.ShouldContain("signed checkpoint");
        }
        finally
        {
            var logs = await Podman("logs", name);
            output.WriteLine(logs.Output.Length > 4000 ? logs.Output[^4000..] : logs.Output);
            await Podman("rm", "-f", "-v", name);
            // The base stays cached; the test's image and the layers only it used go.
            await Podman("rmi", "-f", Tag);
            await Podman("image", "prune", "-f");
            foreach (var dir in new[] { secrets, files, audit }) dir.Delete(recursive: true);
        }
    }
}
