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
/// With an authority, the issuer's keys follow its rotation (<see cref="UseMetadataRefresh"/>): a token signed with a key
/// the service has not seen makes it fetch the JWKS again before the token is judged, at most every
/// <c>Identity:KeyRefreshSeconds</c> (default 30); the whole metadata is fetched again every
/// <c>Identity:MetadataRefreshMinutes</c> (default 60); once the service has fetched a JWKS without a key, that key
/// opens nothing (<see cref="WithoutLastKnownGoodKeys"/>).
/// </summary>
public static class IdentitySetup
{
    public const string Audience = "bund-laender-koordination";
    public const string DevelopmentIssuer = "bund-laender-koordination-dev";
    public const string ClockSkewKey = "Identity:ClockSkewSeconds";
    public const int DefaultClockSkewSeconds = 60;
    public const string KeyRefreshKey = "Identity:KeyRefreshSeconds";
    public const int DefaultKeyRefreshSeconds = 30;
    public const string MetadataRefreshKey = "Identity:MetadataRefreshMinutes";
    public const int DefaultMetadataRefreshMinutes = 60;

    public static void AddIdentity(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Identity");
        var authority = section["Authority"];
        var signingKey = section["SigningKey"];
        var issuer = section["Issuer"];
        var jwks = section["Jwks"];
        if (!string.IsNullOrEmpty(signingKey) && !builder.Environment.IsDevelopment() && RefuseOutsideDevelopment(signingKey) is { } weak)
            throw new InvalidOperationException(weak);
        if (string.IsNullOrEmpty(authority) && string.IsNullOrEmpty(signingKey) && (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(jwks)))
            throw new InvalidOperationException(
                "No token issuer is configured. Set Identity__Authority (and Identity__Audience) to your OpenID Connect issuer, " +
                "or Identity__Issuer with Identity__Jwks (the issuer's JWKS document), or Identity__SigningKey (base64, at least 32 bytes) " +
                "for locally issued tokens.");

        if (!string.IsNullOrEmpty(authority)) UseMetadataRefresh(builder.Configuration);
        builder.Services.AddSingleton<Mandates.PersonRolesRecorder>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                // The identity's name is the person id: what Wolverine scopes an Idempotency-Key by (display names repeat).
                NameClaimType = Caller.SubjectClaim,
                RoleClaimType = Caller.RoleClaim,
                ValidAudience = section["Audience"] ?? Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.FromSeconds(builder.Configuration.GetValue(ClockSkewKey, DefaultClockSkewSeconds)),
            };
            if (!string.IsNullOrEmpty(authority))
            {
                options.Authority = authority;
                options.RequireHttpsMetadata = RequireHttpsMetadata(builder.Configuration, builder.Environment);
                var (automatic, onUnknownKey) = MetadataRefresh(builder.Configuration);
                options.AutomaticRefreshInterval = automatic;
                options.RefreshInterval = onUnknownKey;
                options.RefreshOnIssuerKeyNotFound = true;
            }
            else if (!string.IsNullOrEmpty(issuer) && !string.IsNullOrEmpty(jwks))
            {
                options.TokenValidationParameters.ValidIssuer = issuer;
                options.TokenValidationParameters.IssuerSigningKeys = IssuerKeys(jwks);
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

        if (!string.IsNullOrEmpty(authority))
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                options => WithoutLastKnownGoodKeys(options.ConfigurationManager));

        StepUpOptions.Register(builder);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    /// <summary>
    /// How often the issuer's metadata (discovery document and JWKS) is fetched again: every <c>Automatic</c> interval,
    /// and, when a token names a key not in the JWKS (the issuer rotated its keys), at most every <c>OnUnknownKey</c>.
    /// IdentityModel's configuration manager does both; the bounds are its own (5 minutes and 1 second at least).
    /// </summary>
    public static (TimeSpan Automatic, TimeSpan OnUnknownKey) MetadataRefresh(IConfiguration configuration)
    {
        var minutes = configuration.GetValue(MetadataRefreshKey, DefaultMetadataRefreshMinutes);
        var seconds = configuration.GetValue(KeyRefreshKey, DefaultKeyRefreshSeconds);
        if (minutes < 5) throw new InvalidOperationException($"{MetadataRefreshKey} is {minutes}; it must be at least 5 (minutes).");
        if (seconds < 1) throw new InvalidOperationException($"{KeyRefreshKey} is {seconds}; it must be at least 1 (second).");
        return (TimeSpan.FromMinutes(minutes), TimeSpan.FromSeconds(seconds));
    }

    /// <summary>
    /// A token signed with a key the service has not fetched yet is judged against the issuer's new JWKS in the same
    /// request: IdentityModel's switch <c>Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking</c> makes the refresh
    /// that the unknown key asks for happen before the token handler tries again, instead of in the background after
    /// the request was refused. Refreshes stay bounded by <see cref="MetadataRefresh"/>.
    /// </summary>
    private static void UseMetadataRefresh(IConfiguration configuration)
    {
        MetadataRefresh(configuration);
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
    }

    /// <summary>
    /// Judges tokens by the issuer's current keys only. IdentityModel otherwise keeps trying earlier ("last known
    /// good") metadata for an hour when a token fails against the current one, so a key the issuer removed would still
    /// open the service for that long after the service fetched the JWKS without it. A failed fetch keeps the current
    /// metadata all the same.
    /// </summary>
    public static void WithoutLastKnownGoodKeys(object? configurationManager)
    {
        if (configurationManager is Microsoft.IdentityModel.Tokens.BaseConfigurationManager manager) manager.UseLastKnownGoodConfiguration = false;
    }

    /// <summary>
    /// Whether the issuer's discovery document must come over HTTPS: <c>Identity:RequireHttpsMetadata</c>, by default
    /// everywhere but in Development.
    /// </summary>
    public static bool RequireHttpsMetadata(IConfiguration configuration, IWebHostEnvironment environment) =>
        configuration.GetValue("Identity:RequireHttpsMetadata", !environment.IsDevelopment());

    /// <summary>
    /// The key <c>appsettings.Development.json</c> ships with, published with the source: anyone can sign any identity
    /// with it. It is for local runs only.
    /// </summary>
    public const string DevelopmentSigningKey = "ZGV2ZWxvcG1lbnQtb25seS1zaWduaW5nLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24h";

    /// <summary>The smallest symmetric key accepted, in bits (HMAC-SHA256 wants a key as long as its hash).</summary>
    public const int MinSymmetricKeyBits = 256;

    public static SymmetricSecurityKey SigningKey(string base64)
    {
        if (CheckLength(KeyBytes(base64), "Identity:SigningKey") is { } tooShort) throw new InvalidOperationException(tooShort);
        return new SymmetricSecurityKey(KeyBytes(base64)) { KeyId = "development" };
    }

    /// <summary>
    /// Why <paramref name="base64"/> must not sign tokens outside Development, or null: the published development key,
    /// a key under 256 bits, or one that is plainly not random (fewer than 16 different byte values, such as all zeros).
    /// With any of them a forged administrator's or auditor's token would be honoured.
    /// </summary>
    public static string? RefuseOutsideDevelopment(string base64)
    {
        var bytes = KeyBytes(base64);
        if (bytes.AsSpan().SequenceEqual(Convert.FromBase64String(DevelopmentSigningKey)))
            return "Identity:SigningKey is the development signing key, which is published with the source code: anyone could sign " +
                   "tokens for any person and role with it. Outside Development, set Identity__SigningKey to a random key of at least " +
                   $"{MinSymmetricKeyBits / 8} bytes (for example: openssl rand -base64 32), or use an OpenID Connect issuer (Identity__Authority).";
        if (CheckLength(bytes, "Identity:SigningKey") is { } tooShort) return tooShort;
        if (bytes.Distinct().Count() < 16)
            return $"Identity:SigningKey is not a random key (it has only {bytes.Distinct().Count()} different byte values). " +
                   "Set a random key, for example: openssl rand -base64 32.";
        return null;
    }

    /// <summary>The keys of a JWKS document; a symmetric one must have at least 256 bits, as the signing key must.</summary>
    public static IList<SecurityKey> IssuerKeys(string jwks)
    {
        var keys = new JsonWebKeySet(jwks).GetSigningKeys();
        foreach (var key in keys.OfType<SymmetricSecurityKey>())
            if (key.KeySize < MinSymmetricKeyBits)
                throw new InvalidOperationException(
                    $"Identity:Jwks holds a symmetric key{(key.KeyId is { } id ? $" ('{id}')" : "")} of {key.KeySize} bits; at least {MinSymmetricKeyBits} are required.");
        return keys;
    }

    private static byte[] KeyBytes(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Identity:SigningKey is not base64. Set a random key, for example: openssl rand -base64 32.");
        }
    }

    private static string? CheckLength(byte[] bytes, string setting) =>
        bytes.Length * 8 < MinSymmetricKeyBits
            ? $"{setting} has {bytes.Length * 8} bits; at least {MinSymmetricKeyBits} ({MinSymmetricKeyBits / 8} bytes, base64) are required."
            : null;

}
