using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BundLaenderKoordination.Api.Identity;

/// <summary>
/// A development identity. <c>authTime</c> (when the person signed in; default now) and <c>acr</c> (how) let a test show
/// what a stale or weak sign-in is refused (step-up).
/// </summary>
public sealed record DevelopmentTokenRequest(string? Name, string? Land, IReadOnlyList<string>? Roles, DateTimeOffset? AuthTime = null, string? Acr = null);

public sealed record DevelopmentToken(string Token);

/// <summary>
/// Issues signed tokens for local runs and tests. Mapped in the Development environment only; elsewhere the route does
/// not exist (404) and identities come from the configured OpenID Connect issuer.
/// </summary>
public static class DevelopmentTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static void MapDevelopmentTokens(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) return;
        app.MapPost("/api/dev/tokens", async (DevelopmentTokenRequest request, IConfiguration configuration, TimeProvider clock, IDocumentStore store,
            CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name))
                return Problems.Invalid("Give the development identity a name.").ToResult();
            if (Resolutions.TextRules.CheckShort(request.Name, "the development identity's name", 200) is { } badName) return badName.ToResult();
            string? land = null;
            if (request.Land is not null && (land = Lands.Normalize(request.Land)) is null)
                return Problems.Invalid($"'{request.Land}' is not a Land: use an ISO 3166-2:DE code such as \"BY\" or \"DE-BY\", or \"BUND\".").ToResult();
            if (request.Roles?.Any(r => r is null) == true) return Problems.Invalid("roles lists role names; null is not one.").ToResult();
            var roles = request.Roles ?? [];
            if (roles.FirstOrDefault(r => !Identity.Roles.All.Contains(r)) is { } unknown)
                return Problems.Invalid($"'{unknown}' is not a role: use {string.Join(", ", Identity.Roles.All)}.").ToResult();

            var now = clock.GetUtcNow();
            if (request.AuthTime > now) return Problems.Invalid("authTime lies in the future: a sign-in cannot have happened yet.").ToResult();
            if (request.Acr is { } acr && (acr.Length is 0 or > 100 || acr.Any(char.IsWhiteSpace)))
                return Problems.Invalid("acr must be one value without spaces, at most 100 characters.").ToResult();

            var name = request.Name.Trim();
            if (land is not null && roles.FirstOrDefault(MandateDecisions.MandateRoles.Contains) is { } mandateRole)
                await DevelopmentMandates.EnsureAsync(store, PersonId(name), name, land, mandateRole, now, ct);
            return Results.Ok(new DevelopmentToken(Issue(configuration, name, land, roles, now, request.AuthTime, request.Acr)));
        }).AllowAnonymous().WithTags("Development").WithName("issueDevelopmentToken").Produces<DevelopmentToken>()
            .WithSummary("Issues a signed development identity (Development environment only).");
    }

    public static string PersonId(string name) => "dev:" + name.ToLowerInvariant().Replace(' ', '-');

    /// <summary>A token issued at <paramref name="now"/> for a sign-in at <paramref name="authTime"/> (default: now).</summary>
    public static string Issue(IConfiguration configuration, string name, string? land, IEnumerable<string> roles, DateTimeOffset now,
        DateTimeOffset? authTime = null, string? acr = null)
    {
        var claims = new List<Claim>
        {
            new(Caller.SubjectClaim, PersonId(name)),
            new(Caller.NameClaim, name),
            new(StepUp.AuthTimeClaim, (authTime ?? now).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        };
        if (acr is not null) claims.Add(new Claim(StepUp.AcrClaim, acr));
        if (land is not null) claims.Add(new Claim(Caller.LandClaim, land));
        claims.AddRange(roles.Distinct().Select(role => new Claim(Caller.RoleClaim, role)));

        var key = IdentitySetup.SigningKey(configuration["Identity:SigningKey"]!);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IdentitySetup.DevelopmentIssuer,
            Audience = configuration["Identity:Audience"] ?? IdentitySetup.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
