using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Hardening;

/// <summary>
/// Every endpoint that reads a JSON body, found in the endpoint data source as the authorization matrix finds them, gets
/// bodies of the wrong shape: <c>null</c>, an array, a string, a number sent as a string, a list holding null. The
/// answer is a ProblemDetails refusal (400 for a caller who may use the endpoint, 401/403 for others), never a 500,
/// and nothing is recorded.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MalformedBodyTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private sealed record BodyEndpoint(string Method, string Route, Type RequestType);

    private IReadOnlyList<BodyEndpoint> EndpointsWithBodies() =>
        app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint =>
            {
                var type = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
                if (type is null || type == typeof(void)) return [];
                var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
                return methods.Where(m => m is "POST" or "PUT" or "PATCH")
                    .Select(m => new BodyEndpoint(m, "/" + endpoint.RoutePattern.RawText!.TrimStart('/'), type));
            })
            .DistinctBy(e => (e.Method, e.Route))
            .ToList();

    /// <summary>Bodies that are not an object of the endpoint's shape; one per numeric field with the number as a string.</summary>
    private static IEnumerable<string> WrongShapes(Type requestType)
    {
        yield return "null";
        yield return "[]";
        yield return "\"x\"";
        yield return "17";
        foreach (var property in requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal))
                yield return $"{{\"{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}\": \"1\"}}";
        }
    }

    /// <summary>One body per list field of the endpoint's shape with a null element.</summary>
    private static IEnumerable<string> NullsInLists(Type requestType) =>
        requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))
            .Select(p => $"{{\"{JsonNamingPolicy.CamelCase.ConvertName(p.Name)}\": [null]}}");

    [Fact]
    public async Task Every_endpoint_refuses_bodies_of_the_wrong_shape_with_a_problem_and_records_nothing()
    {
        var callers = new Dictionary<string, string?>
        {
            ["anonymous"] = null,
            ["representative"] = await Api.Representative("DE-BY"),
            ["chair"] = await Api.Chair("DE-BY"),
            ["admin"] = await Api.Admin("Verwaltung Formen"),
            ["auditor"] = await Api.Token("Prüfung Formen", null, "auditor"),
        };
        var endpoints = EndpointsWithBodies();
        endpoints.Select(e => $"{e.Method} {e.Route}").ShouldContain("PUT /api/resolutions/{id}/text", "the walk must find the command endpoints");
        endpoints.Select(e => $"{e.Method} {e.Route}").ShouldContain("POST /api/dev/tokens");
        var before = (await app.EventCount(), await app.MandateEventCount());

        var wrong = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var url = Regex.Replace(endpoint.Route, @"\{([^}:]+)(:[^}]*)?\}", m => m.Groups[1].Value switch
            {
                "code" or "bodyId" => "D16",
                "personId" => "dev:nobody",
                _ => Guid.NewGuid().ToString(),
            });
            foreach (var (body, mustBeRefusedAsInput) in WrongShapes(endpoint.RequestType).Select(b => (b, true))
                         .Concat(NullsInLists(endpoint.RequestType).Select(b => (b, false))))
            {
                var statuses = new List<int>();
                foreach (var (persona, token) in callers)
                {
                    var response = await Api.Send(new HttpMethod(endpoint.Method), url, token, rawBody: body);
                    statuses.Add(response.Status);
                    var problemType = response.Body.StartsWith('{') ? response.Json["type"]?.GetValue<string>() : null;
                    if (response.Status >= 500 || problemType?.StartsWith("/problems/", StringComparison.Ordinal) != true)
                        wrong.Add($"{endpoint.Method} {endpoint.Route} as {persona} with {body}: {response.Status} {response.Body}");
                    else if (mustBeRefusedAsInput && response.Status is not (400 or 401 or 403))
                        wrong.Add($"{endpoint.Method} {endpoint.Route} as {persona} with {body}: {response.Status}, expected 400 (or 401/403) {response.Body}");
                }
                if (mustBeRefusedAsInput && !statuses.Contains(400))
                    wrong.Add($"{endpoint.Method} {endpoint.Route} with {body}: no caller got 400 ({string.Join(", ", statuses)})");
            }
        }
        wrong.ShouldBeEmpty();
        (await app.EventCount(), await app.MandateEventCount()).ShouldBe(before, "a refused body records nothing");
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_refused_as_unreadable()
    {
        var token = await Api.Representative("DE-BY");
        var id = (await Api.Propose(token, "Titel", "Text.")).Id;
        var before = await app.StreamVersion(id);
        var response = await Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/text", token,
            rawBody: "{\"expectedVersion\": \"1\", \"paragraphs\": [{\"id\": \"p1\", \"text\": \"Geändert.\"}]}");
        response.Status.ShouldBe(400, response.Body);
        response.ProblemType.ShouldBe("/problems/malformed-request");
        (await app.StreamVersion(id)).ShouldBe(before);
    }

    [Fact]
    public async Task Nulls_inside_lists_are_refused_as_input()
    {
        var token = await Api.Representative("DE-BY");
        var proposal = await Api.Send(HttpMethod.Post, "/api/resolutions", token, rawBody: "{\"body\": \"D16\", \"title\": \"Titel\", \"paragraphs\": [null]}");
        proposal.Status.ShouldBe(400, proposal.Body);
        proposal.ProblemType.ShouldBe("/problems/invalid-input");

        var id = (await Api.Propose(token, "Titel", "Text.")).Id;
        var edit = await Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/text", token, rawBody: "{\"expectedVersion\": 1, \"paragraphs\": [null]}");
        edit.Status.ShouldBe(400, edit.Body);
        edit.ProblemType.ShouldBe("/problems/invalid-input");

        var devToken = await Api.Send(HttpMethod.Post, "/api/dev/tokens", null, rawBody: "{\"name\": \"X\", \"roles\": [null]}");
        devToken.Status.ShouldBe(400, devToken.Body);
        devToken.ProblemType.ShouldBe("/problems/invalid-input");
    }
}
