using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.IntegrationTests.Operations;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Contract;

/// <summary>
/// The OpenAPI document is the contract the Länder's systems generate their clients from (decision 48): it is linted with
/// Redocly's recommended rules, it is the checked-in snapshot the client in src/BundLaenderKoordination.Client is generated
/// from, every operation has one success with a real schema, and every status a caller can provoke is documented.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OpenApiContractTests(AppFixture app)
{
    public static string SnapshotPath => Path.Combine(OpsScripts.RepositoryRoot, "src", "BundLaenderKoordination.Client", "openapi.json");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The live document, indented as the snapshot is.</summary>
    public static async Task<string> LiveDocument(ApiClient api)
    {
        var response = await api.Send(HttpMethod.Get, "/openapi/v1.json", null);
        response.Status.ShouldBe(200);
        return JsonNode.Parse(response.Body)!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    [Fact]
    public async Task The_checked_in_snapshot_is_the_live_document()
    {
        var live = await LiveDocument(app.Api);
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(SnapshotPath, live);
        var snapshot = File.Exists(SnapshotPath) ? (await File.ReadAllTextAsync(SnapshotPath)).ReplaceLineEndings("\n") : "";
        snapshot.ShouldBe(live, "The API changed: run `ops/client.sh` (it refreshes src/BundLaenderKoordination.Client/openapi.json " +
                                "and regenerates the client), then commit both.");
    }

    [Fact]
    public async Task The_document_lints_with_Redocly_recommended_rules_without_errors()
    {
        var file = Path.Combine(Path.GetTempPath(), $"blk-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await LiveDocument(app.Api));
        try
        {
            var lint = Path.Combine(OpsScripts.RepositoryRoot, "tests", "openapi-lint");
            if (!Directory.Exists(Path.Combine(lint, "node_modules", "@redocly", "cli")))
                (await Run("npm", ["ci", "--no-audit", "--no-fund"], lint)).ExitCode.ShouldBe(0, "npm ci in tests/openapi-lint");
            var (exit, output) = await Run("npx", ["--no-install", "redocly", "lint", "--config", "redocly.yaml", "--format", "stylish", file], lint);
            exit.ShouldBe(0, output);
            output.ShouldNotContain("error", Case.Sensitive, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_operation_has_one_success_with_a_real_schema_and_problem_schemas_for_its_refusals()
    {
        var document = JsonNode.Parse(await LiveDocument(app.Api))!;
        var wrong = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            if (string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>())) wrong.Add($"{name}: no summary");
            if (operation["operationId"] is null) wrong.Add($"{name}: no operationId");
            if (operation["security"] is not JsonArray) wrong.Add($"{name}: no security requirement");
            var responses = operation["responses"]!.AsObject();
            var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
            if (successes.Count != 1) wrong.Add($"{name}: {successes.Count} success responses ({string.Join(", ", successes.Select(s => s.Key))})");
            foreach (var (status, response) in successes)
                if (status != "204" && response!["content"] is not JsonObject { Count: > 0 }) wrong.Add($"{name}: {status} without content");
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var schema = response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
                if (schema != "#/components/schemas/ProblemDetails") wrong.Add($"{name}: {status} is not a problem");
                if (response["description"]?.GetValue<string>().Contains("/problems/") != true) wrong.Add($"{name}: {status} lists no problem type");
            }
        }
        wrong.ShouldBeEmpty();
        document.ToJsonString().ShouldNotContain("IResult");
        document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        var anonymous = document["paths"]!["/api/audit/checkpoint"]!["get"]!["security"]!.AsArray();
        anonymous.Single()!.AsObject().Count.ShouldBe(0, "an anonymous operation needs no token");
        document["paths"]!["/api/resolutions/{id}/live"]!["get"]!["responses"]!["200"]!["content"]!.AsObject()
            .Select(c => c.Key).ShouldBe(["text/event-stream"]);
        document["paths"]!["/api/audit/public-keys"]!["get"]!["responses"]!["200"]!["content"]!.AsObject()
            .Select(c => c.Key).ShouldBe(["text/plain"]);
    }

    private const string Anonymous = "anonymous", Nobody = "none", Representative = "representative", Chair = "chair",
        Observer = "observer", Auditor = "auditor", Admin = "admin";

    /// <summary>
    /// Every API endpoint of the endpoint data source, called as the authorization matrix calls it (every kind of caller,
    /// an empty object as body, unknown ids) and with the hostile inputs of the malformed-body tests (broken JSON, an
    /// array, null, a body over the size limit): each status observed is one the document lists for that operation.
    /// </summary>
    [Fact]
    public async Task The_statuses_callers_can_provoke_are_documented()
    {
        var document = JsonNode.Parse(await LiveDocument(app.Api))!;
        var documented = Operations(document).ToDictionary(o => $"{o.Method.ToUpperInvariant()} {o.Path}",
            o => o.Operation["responses"]!.AsObject().Select(r => int.Parse(r.Key)).ToHashSet());
        var tokens = new Dictionary<string, string?>
        {
            [Anonymous] = null,
            [Nobody] = await app.Api.Token("Ohne Rolle Vertrag", null),
            [Representative] = await app.Api.Representative("DE-BY"),
            [Chair] = await app.Api.Chair("DE-NI"),
            [Observer] = await app.Api.Token("Beobachtung Vertrag", null, "observer"),
            [Auditor] = await app.Api.Token("Prüfung Vertrag", null, "auditor"),
            [Admin] = await app.Api.Admin("Verwaltung Vertrag"),
        };
        var oversized = "{\"title\":\"" + new string('x', 2 * 1024 * 1024 + 16) + "\"}";

        var endpoints = app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Route: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(e => e.Route.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        endpoints.Count.ShouldBeGreaterThan(60);

        var wrong = new List<string>();
        var observed = new SortedSet<int>();
        foreach (var (method, route) in endpoints)
        {
            var key = $"{method} {route}";
            if (!documented.TryGetValue(key, out var statuses))
            {
                wrong.Add($"{key}: not in the document");
                continue;
            }
            var url = Url(route);
            var calls = new List<(string Persona, string? Body)>();
            foreach (var persona in tokens.Keys) calls.Add((persona, method is "POST" or "PUT" ? "{}" : null));
            if (method is "POST" or "PUT")
                foreach (var persona in new[] { Representative, Chair, Admin })
                    foreach (var body in new[] { "{\"title\": ", "[]", "null", oversized })
                        calls.Add((persona, body));
            foreach (var (persona, body) in calls)
            {
                var response = await app.Api.Send(new HttpMethod(method), url, tokens[persona], rawBody: body);
                observed.Add(response.Status);
                if (!statuses.Contains(response.Status))
                    wrong.Add($"{key} as {persona}{(body is null ? "" : $" with {body[..Math.Min(body.Length, 20)]}")}: {response.Status} is not documented ({string.Join(", ", statuses.Order())})");
            }
        }
        wrong.ShouldBeEmpty();
        observed.IsSupersetOf([400, 401, 403, 404, 413]).ShouldBeTrue($"the calls reach every kind of refusal they are meant to provoke; observed: {string.Join(", ", observed)}");
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(o => o.Key is "get" or "post" or "put" or "delete" or "patch")
            .Select(o => (path.Key, o.Key, o.Value!.AsObject())));

    private static readonly Dictionary<string, string> RouteValues = new()
    {
        ["bodyId"] = "NO-SUCH-BODY", ["code"] = "NO-SUCH-BODY", ["personId"] = "dev:nobody",
        ["seq"] = "999999", ["size"] = "999999", ["version"] = "999999",
    };

    private static string Url(string route) =>
        Regex.Replace(route, @"\{([^}:]+)(:[^}]*)?\}", m =>
            RouteValues.TryGetValue(m.Groups[1].Value, out var value) ? value : Guid.NewGuid().ToString());

    public static async Task<(int ExitCode, string Output)> Run(string file, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
