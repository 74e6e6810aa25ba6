using System.Globalization;
using System.Security.Claims;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>
/// An export hands over the whole record, so it needs a recent sign-in (the token's <c>auth_time</c> claim, as OpenID
/// Connect issuers set it), not just a valid token that may be hours old.
/// </summary>
public static class AuditStepUp
{
    public static ProblemDetails? Check(ClaimsPrincipal user, TimeProvider clock, AuditOptions options)
    {
        var maxAge = TimeSpan.FromMinutes(options.StepUpMaxAgeMinutes);
        var claim = user.FindFirstValue("auth_time");
        if (claim is not null && long.TryParse(claim, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) <= maxAge)
            return null;
        return Problems.Make(Problems.StepUpRequired, 401, "Sign in again.",
            $"Exporting audit data needs a sign-in from the last {options.StepUpMaxAgeMinutes:0} minutes; sign in again and repeat the request.",
            ("maxAgeSeconds", (long)maxAge.TotalSeconds));
    }
}
