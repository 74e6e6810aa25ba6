namespace BundLaenderKoordination.Api.Web;

/// <summary>
/// Passes a resolution's live stream (Server-Sent Events) on to the page: a browser's EventSource cannot send a bearer
/// token, so the page asks here with its cookie and this relay asks the API with the token the cookie holds.
/// </summary>
public static class LiveRelay
{
    public static Task Relay(Guid id, long? lastEventId, HttpContext context, ServiceApi api, CancellationToken ct) =>
        Pass($"/api/resolutions/{id}/live", lastEventId, context, api, ct);

    /// <summary>A body's live stream (its own steps, its sessions', its requests' and its resolutions'), for the body and session pages.</summary>
    public static Task RelayBody(string code, long? lastEventId, HttpContext context, ServiceApi api, CancellationToken ct) =>
        Pass($"/api/bodies/{Uri.EscapeDataString(code)}/live", lastEventId, context, api, ct);

    private static async Task Pass(string path, long? lastEventId, HttpContext context, ServiceApi api, CancellationToken ct)
    {
        // On reconnect the browser sends the last id it saw; that wins over the starting point in the URL.
        var header = context.Request.Headers["Last-Event-ID"].ToString();
        var last = long.TryParse(header, out var fromHeader) ? fromHeader : lastEventId;
        using var upstream = await api.Open(path, last?.ToString(), ct);
        context.Response.StatusCode = (int)upstream.StatusCode;
        if (!upstream.IsSuccessStatusCode) return;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(ct);
        try
        {
            await using var stream = await upstream.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && ct.IsCancellationRequested)
        {
            // The page went away.
        }
    }
}
