using Microsoft.Extensions.Options;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Headers on every answer. The content type is final (a browser must not guess HTML from a JSON body, even when a
/// refusal repeats part of what the caller sent). The pages load scripts, styles and live updates from the service
/// itself only, with no inline script or style, so the content security policy allows exactly that. No other site may
/// frame a page (clickjacking on the vote buttons), and no address leaves in a Referer. Outside Development browsers
/// are told to use HTTPS only (HSTS). The headers are set when the answer starts, so an error answer written by the
/// exception handler (which clears what was set before) carries them as well. With sign-in through OpenID Connect, forms
/// may also lead to the identity provider (<see cref="FormActionFor"/>): signing out is a form whose answer sends the
/// browser to the provider's end-session endpoint.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The API reference (Scalar) configures itself with an inline script and inline styles.</summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public const string ApiReferencePath = "/docs/api";

    public static void UseSecurityHeaders(this WebApplication app)
    {
        var hsts = app.Environment.IsDevelopment() ? null : app.Services.GetRequiredService<IOptions<HardeningOptions>>().Value.HstsMaxAgeDays switch
        {
            <= 0 => null,
            var days => $"max-age={(long)TimeSpan.FromDays(days).TotalSeconds}",
        };
        var pagesPolicy = FormActionFor(app.Configuration) is { } provider
            ? ContentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {provider}")
            : ContentSecurityPolicy;
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ApiReferencePath) ? ApiReferencePolicy : pagesPolicy;
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (hsts is not null) headers.StrictTransportSecurity = hsts;
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>
    /// The identity provider's origin when the pages sign in through it (<c>Identity:Authority</c> with
    /// <c>Web:Oidc:ClientId</c>), else null: a form of the pages may lead there (sign-out), and browsers apply
    /// <c>form-action</c> to the redirect that follows a form.
    /// </summary>
    public static string? FormActionFor(IConfiguration configuration) =>
        Web.WebUi.OidcEnabled(configuration) && Uri.TryCreate(configuration["Identity:Authority"], UriKind.Absolute, out var authority)
            ? authority.GetLeftPart(UriPartial.Authority)
            : null;
}
