using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BundLaenderKoordination.Api.Web;

/// <summary>A refusal of the service as the pages show it: the stable problem type, the plain-words detail, and its extra fields.</summary>
public sealed record ApiProblem(int Status, string Type, string Title, string Detail, JsonObject Fields)
{
    public long? Long(string name) => Fields[name] is JsonValue v ? v.TryGetValue<long>(out var n) ? n : v.TryGetValue<int>(out var i) ? i : null : null;
    public string? Text(string name) => Fields[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// The pages act through the service's own HTTP API with the signed-in person's token, so that every rule, every
/// authorization check and every recorded actor is exactly the API's: the pages add no second way to write.
/// </summary>
public sealed class ServiceApi(IHttpClientFactory clients, IHttpContextAccessor accessor, IServer server, IConfiguration configuration, UiLanguage language)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task<ApiResult<T>> Get<T>(string path, CancellationToken ct = default)
    {
        using var request = await Request(HttpMethod.Get, path, null);
        return await Read<T>(await Client().SendAsync(request, ct), ct);
    }

    public Task<ApiResult<JsonObject>> Send(HttpMethod method, string path, object? body, CancellationToken ct = default) =>
        Send<JsonObject>(method, path, body, ct);

    /// <summary>A write whose answer is read as <typeparamref name="T"/> (a list, for instance, where <see cref="Send"/> reads an object).</summary>
    public async Task<ApiResult<T>> Send<T>(HttpMethod method, string path, object? body, CancellationToken ct = default)
    {
        using var request = await Request(method, path, body);
        return await Read<T>(await Client().SendAsync(request, ct), ct);
    }

    /// <summary>A GET whose answer is passed on as it is (a file to download, a JSON document read with its own options).</summary>
    public async Task<(byte[] Content, string ContentType, string? FileName, ApiProblem? Problem)> GetFile(string path, CancellationToken ct = default)
    {
        using var request = await Request(HttpMethod.Get, path, null);
        using var response = await Client().SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var failed = await Read<JsonObject>(response, ct);
            return ([], "", null, failed.Problem);
        }
        var content = await response.Content.ReadAsByteArrayAsync(ct);
        return (content, response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream",
            response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), null);
    }

    /// <summary>
    /// A GET whose answer is passed on while it arrives (a large file such as the audit bundle, which is not held in
    /// memory): the open response, or the problem of a refusal. The caller disposes of the response.
    /// </summary>
    public async Task<(HttpResponseMessage? Response, ApiProblem? Problem)> OpenFile(string path, CancellationToken ct = default)
    {
        var request = await Request(HttpMethod.Get, path, null);
        var response = await Client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode) return (response, null);
        return (null, (await Read<JsonObject>(response, ct)).Problem);
    }

    /// <summary>Opens a streaming GET (Server-Sent Events) with the signed-in person's token.</summary>
    public async Task<HttpResponseMessage> Open(string path, string? lastEventId, CancellationToken ct)
    {
        var request = await Request(HttpMethod.Get, path, null);
        if (lastEventId is not null) request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        return await Client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    /// <summary>Asks for a development token: the same route a script would use.</summary>
    public async Task<ApiResult<JsonObject>> DevelopmentToken(string name, string? land, IReadOnlyList<string> roles, DateTimeOffset? authTime, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress(), "/api/dev/tokens"))
        {
            Content = JsonContent.Create(new { name, land, roles, authTime }, options: Json),
        };
        return await Read<JsonObject>(await Client().SendAsync(request, ct), ct);
    }

    private HttpClient Client() => clients.CreateClient(nameof(ServiceApi));

    private async Task<HttpRequestMessage> Request(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress(), path));
        var context = accessor.HttpContext ?? throw new InvalidOperationException("No request to act for.");
        var token = await context.GetTokenAsync(WebUi.CookieScheme, WebUi.AccessToken);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language.Code));
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        return request;
    }

    private static async Task<ApiResult<T>> Read<T>(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
                return new ApiResult<T>(text.Length == 0 ? default : JsonSerializer.Deserialize<T>(text, Json), null);
            var node = TryParse(text);
            return new ApiResult<T>(default, new ApiProblem((int)response.StatusCode,
                node?["type"]?.GetValue<string>() ?? "about:blank",
                node?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? "",
                node?["detail"]?.GetValue<string>() ?? "",
                node ?? []));
        }
    }

    private static JsonObject? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where this process serves its API: <c>Web:ApiBaseAddress</c> when set, otherwise the first address Kestrel listens
    /// on, with a wildcard host read as the loopback interface.
    /// </summary>
    private Uri BaseAddress()
    {
        if (configuration["Web:ApiBaseAddress"] is { Length: > 0 } configured) return new Uri(configured);
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
                      ?? throw new InvalidOperationException("The service listens on no address; set Web:ApiBaseAddress.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost"));
        return uri.Uri;
    }
}
