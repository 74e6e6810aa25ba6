using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace BundLaenderKoordination.Api.Identity;

/// <summary>
/// Bearer tokens. With <c>Identity:Authority</c> set, tokens come from that OpenID Connect issuer (keys from its JWKS,
/// found through its discovery document). With <c>Identity:Issuer</c> and <c>Identity:Jwks</c> (a JWKS document) set,
/// tokens of that issuer are checked against those keys without fetching anything. Otherwise they are verified with
/// <c>Identity:SigningKey</c>, the key the development token route signs with. Audience, expiry (with
/// <c>Identity:ClockSkewSeconds</c>, default 60) and signature are always checked.
/// Every endpoint requires an authenticated caller unless it says otherwise.
/// </summary>
public static class IdentitySetup
{
    public const string Audience = "bund-laender-koordination";
    public const string DevelopmentIssuer = "bund-laender-koordination-dev";

    public static void AddIdentity(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Identity");
        var authority = section["Authority"];
        var signingKey = section["SigningKey"];
        var issuer = section["Issuer"];
        var jwks = section["Jwks"];
        if (string.IsNullOrEmpty(authority) && string.IsNullOrEmpty(signingKey) && (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(jwks)))
            throw new InvalidOperationException(
                "No token issuer is configured. Set Identity__Authority (and Identity__Audience) to your OpenID Connect issuer, " +
                "or Identity__Issuer with Identity__Jwks (the issuer's JWKS document), or Identity__SigningKey (base64, at least 32 bytes) " +
                "for locally issued tokens.");

        builder.Services.AddSingleton<Mandates.PersonRolesRecorder>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                NameClaimType = Caller.NameClaim,
                RoleClaimType = Caller.RoleClaim,
                ValidAudience = section["Audience"] ?? Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.FromSeconds(section.GetValue("ClockSkewSeconds", 60)),
            };
            if (!string.IsNullOrEmpty(authority))
            {
                options.Authority = authority;
                options.RequireHttpsMetadata = RequireHttpsMetadata(builder.Configuration, builder.Environment);
            }
            else if (!string.IsNullOrEmpty(issuer) && !string.IsNullOrEmpty(jwks))
            {
                options.TokenValidationParameters.ValidIssuer = issuer;
                options.TokenValidationParameters.IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys();
            }
            else
            {
                options.TokenValidationParameters.ValidIssuer = DevelopmentIssuer;
                options.TokenValidationParameters.IssuerSigningKey = SigningKey(signingKey!);
            }
            options.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var problem = Problems.Make(Problems.Unauthenticated, 401, "Sign in first.",
                        "This request needs a valid bearer token (Authorization: Bearer ...).");
                    context.Response.StatusCode = 401;
                    await Results.Problem(problem).ExecuteAsync(context.HttpContext);
                },
            };
        });

        StepUpOptions.Register(builder);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    /// <summary>
    /// Whether the issuer's discovery document must come over HTTPS: <c>Identity:RequireHttpsMetadata</c>, by default
    /// everywhere but in Development.
    /// </summary>
    public static bool RequireHttpsMetadata(IConfiguration configuration, IWebHostEnvironment environment) =>
        configuration.GetValue("Identity:RequireHttpsMetadata", !environment.IsDevelopment());

    public static SymmetricSecurityKey SigningKey(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length < 32) throw new InvalidOperationException("Identity:SigningKey must be at least 32 bytes (base64).");
        return new SymmetricSecurityKey(bytes) { KeyId = "development" };
    }

}
