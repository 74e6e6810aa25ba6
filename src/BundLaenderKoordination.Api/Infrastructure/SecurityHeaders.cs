namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Every answer declares its content type as final: a browser must not guess HTML from a JSON body, even when a
/// refusal repeats part of what the caller sent.
/// </summary>
public static class SecurityHeaders
{
    public static void UseSecurityHeaders(this WebApplication app) =>
        app.Use((context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });
}
