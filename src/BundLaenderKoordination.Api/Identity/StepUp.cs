using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Identity;

/// <summary>Settings of step-up authentication (section <c>Identity:StepUp</c>).</summary>
public sealed class StepUpOptions
{
    public const string Section = "Identity:StepUp";

    /// <summary>
    /// How recent the sign-in (the token's <c>auth_time</c>) must be for a weighty act. Read from the former key
    /// <c>Audit:StepUpMaxAgeMinutes</c> when only that is set.
    /// </summary>
    public double MaxAgeMinutes { get; set; } = 15;

    /// <summary>When not empty, the token's <c>acr</c> (how the person signed in) must be one of these values.</summary>
    public List<string> AcrValues { get; set; } = [];

    public TimeSpan MaxAge => TimeSpan.FromMinutes(MaxAgeMinutes);

    /// <summary>How far a sign-in may lie ahead of the service's clock: the token check's <c>Identity:ClockSkewSeconds</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    public static void Register(WebApplicationBuilder builder) =>
        builder.Services.AddOptions<StepUpOptions>()
            .Bind(builder.Configuration.GetSection(Section))
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[Section + ":MaxAgeMinutes"] is null
                    && double.TryParse(configuration["Audit:StepUpMaxAgeMinutes"], NumberStyles.Float, CultureInfo.InvariantCulture, out var legacy))
                    options.MaxAgeMinutes = legacy;
                options.ClockSkew = TimeSpan.FromSeconds(configuration.GetValue(IdentitySetup.ClockSkewKey, IdentitySetup.DefaultClockSkewSeconds));
            })
            .Validate(options => options.MaxAgeMinutes > 0, "Identity:StepUp:MaxAgeMinutes must be positive.")
            .ValidateOnStart();
}

/// <summary>
/// A weighty act (casting a vote, closing a ballot or declaring adoption, exporting the audit; listed in
/// <see cref="AccessRules.StepUp"/>)
/// needs more than a valid token, which may be hours old: a recent sign-in (<c>auth_time</c>, as OpenID Connect issuers
/// set it) and, where configured, a sign-in of an accepted strength (<c>acr</c>). Otherwise the answer is 401
/// <c>/problems/step-up-required</c> with a <c>WWW-Authenticate</c> challenge in the manner of RFC 9470, which tells the
/// client what to ask the identity provider for (<c>max_age</c>, <c>acr_values</c>).
/// </summary>
public static class StepUp
{
    public const string AuthTimeClaim = "auth_time";
    public const string AcrClaim = "acr";

    /// <summary>Null when the sign-in behind the token is recent and strong enough for <paramref name="act"/>.</summary>
    public static ProblemDetails? Check(ClaimsPrincipal user, DateTimeOffset now, StepUpOptions options, string act)
    {
        var minutes = options.MaxAgeMinutes.ToString("0.##", CultureInfo.InvariantCulture);
        var authTime = user.FindFirstValue(AuthTimeClaim);
        DateTimeOffset? signedInAt = authTime is not null
                                     && long.TryParse(authTime, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                                     && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        // A sign-in that has not happened yet is no sign-in: a token that claims one (a wrong clock at the issuer, or a
        // token made to pass this check for hours) is refused like a stale one, beyond the skew the token check allows.
        if (signedInAt - now > options.ClockSkew)
            return Problem(options, "future-sign-in",
                $"The token says you signed in at {signedInAt:yyyy-MM-dd HH:mm:ss} UTC, which is later than now; sign in again and repeat the request.");
        if (signedInAt is null || now - signedInAt > options.MaxAge)
            return Problem(options, "stale-sign-in",
                $"{act} needs a sign-in from the last {minutes} minutes; sign in again and repeat the request.");
        if (options.AcrValues.Count > 0 && !options.AcrValues.Contains(user.FindFirstValue(AcrClaim) ?? ""))
            return Problem(options, "insufficient-acr",
                $"{act} needs a sign-in of the kind {string.Join(" or ", options.AcrValues)}; sign in again that way and repeat the request.");
        return null;
    }

    /// <summary>The RFC 9470 challenge: what a new sign-in must satisfy.</summary>
    public static string Challenge(StepUpOptions options)
    {
        var challenge = "Bearer error=\"insufficient_user_authentication\", " +
                        "error_description=\"A more recent or stronger sign-in is required\", " +
                        $"max_age=\"{(long)options.MaxAge.TotalSeconds}\"";
        if (options.AcrValues.Count > 0) challenge += $", acr_values=\"{string.Join(' ', options.AcrValues)}\"";
        return challenge;
    }

    private static ProblemDetails Problem(StepUpOptions options, string reason, string detail) =>
        Problems.Make(Problems.StepUpRequired, 401, "Sign in again.", detail,
            ("reason", reason),
            ("maxAgeSeconds", (long)options.MaxAge.TotalSeconds),
            ("acrValues", options.AcrValues.ToArray()));
}
