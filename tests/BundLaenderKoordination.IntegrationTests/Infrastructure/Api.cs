using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using BundLaenderKoordination.Api.Resolutions.GettingAuditTrail;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Resolutions.Proposing;

namespace BundLaenderKoordination.IntegrationTests.Infrastructure;

public sealed record Response(int Status, string Body, HttpResponseHeadersSnapshot Headers)
{
    public T As<T>() => JsonSerializer.Deserialize<T>(Body, ApiClient.Json)
                        ?? throw new InvalidOperationException($"Empty body, status {Status}");
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string? ProblemType => Json["type"]?.GetValue<string>();
}

public sealed record HttpResponseHeadersSnapshot(string? Location, IReadOnlyDictionary<string, string>? Values = null)
{
    /// <summary>A response header's value (several joined by ", "), or null.</summary>
    public string? this[string name] => Values is not null && Values.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Scenario helpers: the service's HTTP API as a representative, chair or observer would use it.</summary>
public sealed class ApiClient(IAlbaHost host)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public IReadOnlyList<string> Laender => AllLaender;

    public static readonly string[] AllLaender =
        ["DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV", "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH"];

    public IAlbaHost Host => host;

    public async Task<string> Token(string name, string? land, params string[] roles)
    {
        var response = await Send(HttpMethod.Post, "/api/dev/tokens", null, new { name, land, roles });
        if (response.Status != 200) throw new InvalidOperationException($"Token refused: {response.Status} {response.Body}");
        return response.Json["token"]!.GetValue<string>();
    }

    public Task<string> Representative(string land) => Token($"Vertretung {land}", land, "representative");
    /// <summary>The chair of D16: Bayern chaired it at the time of the seed's press release (24 Sept 2020).</summary>
    public Task<string> Chair(string land = "DE-BY") => Token($"Vorsitz {land}", land, "chair");
    public Task<string> Admin(string name) => Token(name, null, "admin");

    /// <summary>The person id the development token route gives a name (the token's subject).</summary>
    public static string PersonId(string name) => "dev:" + name.ToLowerInvariant().Replace(' ', '-');

    public Task<Response> GrantMandate(string adminToken, string personId, string personName, string land, string role, string body = "D16") =>
        Send(HttpMethod.Post, $"/api/bodies/{body}/mandates", adminToken, new { personId, personName, land, role });

    public Task<Response> ApproveMandate(string adminToken, string personId, string body = "D16") =>
        Send(HttpMethod.Post, $"/api/bodies/{body}/mandates/{Uri.EscapeDataString(personId)}/approval", adminToken);

    /// <summary>
    /// The longest one request may take. A request that does not answer in time (an endless live stream answered with
    /// 200 where a refusal was due, a deadlock) is aborted and fails the test instead of stalling the run.
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Every command this client sends that is refused (4xx) is checked to have appended nothing: neither to the stream
    /// its URL names nor anywhere else (mandate events aside, which signing in records). The check is skipped for a
    /// request that overlapped another one of this client, whose appends it could not tell apart.
    /// </summary>
    public bool CheckRefusalsAppendNothing { get; set; } = true;

    private int _inFlight;
    private long _started;

    private static readonly Regex StreamInUrl = new("^/api/(?:resolutions|sessions|special-session-requests)/([0-9a-fA-F-]{36})(?:[/?]|$)");

    /// <summary>The version of the stream <paramref name="stream"/> (0 when none) and the number of events outside mandates.</summary>
    public async Task<(long StreamVersion, long Events)> AppendState(Guid? stream)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var version = stream is { } id ? (await session.Events.FetchStreamStateAsync(id))?.Version ?? 0 : 0;
        var events = await session.Events.QueryAllRawEvents().Where(e => !e.EventTypeName.StartsWith("mandate_")).LongCountAsync();
        return (version, events);
    }

    public async Task<Response> Send(HttpMethod method, string url, string? token, object? body = null, string? rawBody = null,
        Dictionary<string, string>? headers = null)
    {
        if (method == HttpMethod.Get || !CheckRefusalsAppendNothing) return await SendOnce(method, url, token, body, rawBody, headers);
        var inFlightAtStart = Interlocked.Increment(ref _inFlight);
        var startedAtStart = Interlocked.Increment(ref _started);
        try
        {
            var stream = StreamInUrl.Match(url) is { Success: true } m ? Guid.Parse(m.Groups[1].Value) : (Guid?)null;
            var before = inFlightAtStart == 1 ? await AppendState(stream) : default;
            var response = await SendOnce(method, url, token, body, rawBody, headers);
            var alone = inFlightAtStart == 1 && Interlocked.Read(ref _started) == startedAtStart;
            if (alone && response.Status is >= 400 and < 500)
            {
                var after = await AppendState(stream);
                if (after != before && Interlocked.Read(ref _started) == startedAtStart)
                    throw new Xunit.Sdk.XunitException(
                        $"{method} {url} was refused with {response.Status} but appended: stream version {before.StreamVersion} -> {after.StreamVersion}, " +
                        $"events {before.Events} -> {after.Events}. {response.Body}");
            }
            return response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<Response> SendOnce(HttpMethod method, string url, string? token, object? body, string? rawBody,
        Dictionary<string, string>? headers)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var scenario = host.Scenario(s =>
        {
            var expression = method.Method switch
            {
                "GET" => s.Get.Url(url),
                "POST" => s.Post.Url(url),
                "PUT" => s.Put.Url(url),
                "DELETE" => s.Delete.Url(url),
                "PATCH" => s.Patch.Url(url),
                _ => throw new ArgumentOutOfRangeException(nameof(method)),
            };
            if (rawBody is not null || body is not null)
            {
                var text = rawBody ?? JsonSerializer.Serialize(body, Json);
                s.ConfigureHttpContext(c =>
                {
                    c.Request.ContentType = "application/json";
                    var bytes = Encoding.UTF8.GetBytes(text);
                    c.Request.Body = new MemoryStream(bytes);
                    c.Request.ContentLength = bytes.Length;
                });
            }
            if (token is not null) s.WithRequestHeader("Authorization", "Bearer " + token);
            foreach (var (name, value) in headers ?? []) s.WithRequestHeader(name, value);
            s.ConfigureHttpContext(c => c.RequestAborted = timeout.Token);
            s.IgnoreStatusCode();
        });
        IScenarioResult result;
        try
        {
            result = await scenario.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"{method} {url} did not answer within {RequestTimeout.TotalSeconds} s.");
        }
        var content = await result.ReadAsTextAsync();
        return new Response(result.Context.Response.StatusCode, content,
            new HttpResponseHeadersSnapshot(result.Context.Response.Headers.Location.FirstOrDefault(),
                result.Context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
    }

    public async Task<ResolutionWritten> Propose(string token, string title, params string[] paragraphs)
    {
        var response = await Send(HttpMethod.Post, "/api/resolutions", token, new { body = "D16", title, paragraphs });
        Expect(response, 201);
        return response.As<ResolutionWritten>();
    }

    public Task<Response> Edit(Guid id, string token, long expectedVersion, params object[] paragraphs) =>
        Send(HttpMethod.Put, $"/api/resolutions/{id}/text", token, new { expectedVersion, paragraphs });

    /// <summary>A co-edit of the text as it read at <paramref name="baseTextVersion"/>: edits of other paragraphs merge.</summary>
    public Task<Response> EditFrom(Guid id, string token, int baseTextVersion, params object[] paragraphs) =>
        Send(HttpMethod.Put, $"/api/resolutions/{id}/text", token, new { baseTextVersion, paragraphs });

    public async Task<Guid> ProposeAmendment(Guid id, string token, int baseTextVersion, string rationale, params object[] changes)
    {
        var response = await Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", token, new { baseTextVersion, changes, rationale });
        Expect(response, 201);
        return response.Json["amendmentId"]!.GetValue<Guid>();
    }

    public Task<Response> DecideAmendment(Guid id, Guid amendmentId, string token, string outcome, object[]? changes = null, string? reason = null) =>
        Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments/{amendmentId}/decision", token, new { outcome, changes, reason });

    public Task<Response> Comment(Guid id, string token, string text, string? paragraphId = null) =>
        Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", token, new { text, paragraphId });

    public Task<Response> Vote(Guid id, string token, string choice, int textVersion, string? land = null) =>
        Send(HttpMethod.Post, $"/api/resolutions/{id}/votes", token, new { choice, textVersion, land });

    public async Task<ResolutionWritten> ProposeTo(string body, string token, string title, params string[] paragraphs)
    {
        var response = await Send(HttpMethod.Post, "/api/resolutions", token, new { body, title, paragraphs });
        Expect(response, 201);
        return response.As<ResolutionWritten>();
    }

    public Task<Response> OpenBallot(Guid id, string token, string? matterType = null) =>
        Send(HttpMethod.Post, $"/api/resolutions/{id}/ballots", token, new { matterType });

    public Task<Response> CloseBallot(Guid id, string token) =>
        Send(HttpMethod.Post, $"/api/resolutions/{id}/ballots/current/closing", token);

    public Task<Response> CancelBallot(Guid id, string token, string reason) =>
        Send(HttpMethod.Post, $"/api/resolutions/{id}/ballots/current/cancellation", token, new { reason });

    public Task<string> Admin() => Token("Verwaltung", null, "admin");

    public async Task<JsonNode> Body(string code, string token, string query = "")
    {
        var response = await Send(HttpMethod.Get, $"/api/bodies/{code}{query}", token);
        Expect(response, 200);
        return response.Json;
    }

    public async Task Vote(Guid id, int textVersion, string choice, IEnumerable<string> lands)
    {
        foreach (var land in lands) Expect(await Vote(id, await Representative(land), choice, textVersion), 200);
    }

    public Task<Response> Adopt(Guid id, string token, long expectedVersion) =>
        Send(HttpMethod.Post, $"/api/resolutions/{id}/adoption", token, new { expectedVersion });

    public async Task<ResolutionView> Get(Guid id, string token, string query = "")
    {
        var response = await Send(HttpMethod.Get, $"/api/resolutions/{id}{query}", token);
        Expect(response, 200);
        return response.As<ResolutionView>();
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditTrail(Guid id, string token)
    {
        var response = await Send(HttpMethod.Get, $"/api/resolutions/{id}/audit-trail", token);
        Expect(response, 200);
        return response.As<List<AuditEntry>>();
    }

    public async Task<IReadOnlyList<string>> VoteYes(Guid id, int textVersion, IEnumerable<string> lands)
    {
        var voted = new List<string>();
        foreach (var land in lands)
        {
            Expect(await Vote(id, await Representative(land), "yes", textVersion), 200);
            voted.Add(land);
        }
        return voted;
    }

    public void Expect(Response response, int status)
    {
        if (response.Status != status)
            throw new Xunit.Sdk.XunitException($"Expected HTTP {status} but got {response.Status}: {response.Body}");
    }
}
