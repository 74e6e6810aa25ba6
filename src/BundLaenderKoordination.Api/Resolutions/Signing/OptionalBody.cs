using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BundLaenderKoordination.Api.Resolutions.Signing;

/// <summary>
/// The JSON body of a command that was sent without one before (consent): an empty body stays valid and means the
/// defaults, so clients that send nothing keep working.
/// </summary>
public static class OptionalBody
{
    /// <summary>The body read as <typeparamref name="T"/>, <paramref name="empty"/> when none was sent, null when it is not that JSON object.</summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, Func<T> empty, CancellationToken ct) where T : class
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return empty();
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            buffer.Position = 0;
            // A JSON null is not "no body": it is a body of the wrong shape.
            return await JsonSerializer.DeserializeAsync<T>(buffer, options, ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
