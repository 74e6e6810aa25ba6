using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BundLaenderKoordination.Api.Web;

/// <summary>
/// The web pages. They sign in with a cookie of their own that carries the person's API token; the API itself keeps
/// bearer tokens only. In Development the sign-in page issues a development token; elsewhere the sign-in is the seam
/// where the OpenID Connect flow signs in to the same cookie (saving the access token under <see cref="AccessToken"/>).
/// </summary>
public static class WebUi
{
    public const string CookieScheme = "pages";
    public const string Policy = "pages";
    public const string AccessToken = "access_token";
    public const string SignInPath = "/anmelden";

    /// <summary>The OpenID Connect scheme of the pages, registered when <see cref="OidcEnabled"/>.</summary>
    public const string OidcScheme = "oidc";

    /// <summary>Where the identity provider sends the person back after sign-in, and after sign-out.</summary>
    public const string OidcCallbackPath = "/anmelden/oidc";
    public const string OidcSignedOutPath = "/anmelden/oidc/abgemeldet";

    private const string FreshItem = "blk.fresh";

    /// <summary>
    /// The pages sign in through OpenID Connect when the service knows its issuer (<c>Identity:Authority</c>, the same the
    /// API's bearer tokens come from) and the pages' client (<c>Web:Oidc:ClientId</c>).
    /// </summary>
    public static bool OidcEnabled(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["Identity:Authority"]) && !string.IsNullOrEmpty(configuration["Web:Oidc:ClientId"]);

    public static void AddWebUi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHttpContextAccessor();
        services.AddScoped<UiLanguage>();
        services.AddScoped<ServiceApi>();
        services.AddScoped<Viewer>();
        services.AddHttpClient(nameof(ServiceApi), c => c.Timeout = Timeout.InfiniteTimeSpan);

        services.AddAuthentication().AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = "blk-session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = SignInPath;
            options.LogoutPath = "/abmelden";
            options.AccessDeniedPath = SignInPath;
            options.ExpireTimeSpan = DevelopmentTokens.Lifetime;
            options.SlidingExpiration = false;
        });
        if (OidcEnabled(builder.Configuration))
        {
            AddOpenIdConnect(builder);
            services.PostConfigure<OpenIdConnectOptions>(OidcScheme, options => IdentitySetup.WithoutLastKnownGoodKeys(options.ConfigurationManager));
        }
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(CookieScheme)
            .RequireAuthenticatedUser());

        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Web/Pages";
            options.Conventions.AuthorizeFolder("/", Policy);
            options.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.AddAntiforgery(options => options.Cookie.Name = "blk-antiforgery");
        // German letters, quotation marks and dashes are written as they are (UTF-8) instead of as &#x..; references,
        // which made a page of German text up to a third larger; markup characters (< > & " ') are still encoded.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
    }

    public static void MapWebUi(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/sprache/{code}", (string code, string? zurueck, HttpContext context) =>
        {
            if (code is "de" or "en")
                context.Response.Cookies.Append(UiLanguage.Cookie, code, new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true, Secure = context.Request.IsHttps,
                });
            return Results.LocalRedirect(IsLocalPath(zurueck) ? zurueck! : "/");
        }).AllowAnonymous().ExcludeFromDescription();
        // The OpenID Connect handler answers these paths before any endpoint runs; the endpoints exist so that the paths
        // are known routes, and send anyone who reaches them without a sign-in in progress to the sign-in page.
        app.Map(OidcCallbackPath, () => Results.LocalRedirect(SignInPath)).AllowAnonymous().ExcludeFromDescription();
        app.Map(OidcSignedOutPath, () => Results.LocalRedirect(SignInPath)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/beschluesse/{id:guid}/live", LiveRelay.Relay).RequireAuthorization(Policy).ExcludeFromDescription();
        app.MapGet("/gremien/{code}/live", LiveRelay.RelayBody).RequireAuthorization(Policy).ExcludeFromDescription();
    }

    /// <summary>
    /// A path on this site to return to: starts with one "/", and holds no backslash (browsers read "/\\host" as
    /// "//host") and no control character. Anything else goes to the start page.
    /// </summary>
    public static bool IsLocalPath(string? path) =>
        path is { Length: > 0 } && path[0] == '/' && (path.Length == 1 || path[1] != '/')
        && !path.Any(c => c == '\\' || char.IsControl(c));

    /// <summary>
    /// The authorization code flow with PKCE against the API's issuer; the result is the pages' own cookie, holding the
    /// access token for the API calls under <see cref="AccessToken"/>. The access token must be issued for the API's
    /// audience (<c>Identity:Audience</c>); extra scopes that make the issuer do so go in <c>Web:Oidc:Scopes</c>.
    /// </summary>
    private static void AddOpenIdConnect(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddAuthentication().AddOpenIdConnect(OidcScheme, options =>
        {
            options.SignInScheme = CookieScheme;
            options.SignOutScheme = CookieScheme;
            options.Authority = configuration["Identity:Authority"];
            options.RequireHttpsMetadata = IdentitySetup.RequireHttpsMetadata(configuration, builder.Environment);
            var (automatic, onUnknownKey) = IdentitySetup.MetadataRefresh(configuration);
            options.AutomaticRefreshInterval = automatic;
            options.RefreshInterval = onUnknownKey;
            options.RefreshOnIssuerKeyNotFound = true;
            options.ClientId = configuration["Web:Oidc:ClientId"];
            if (configuration["Web:Oidc:ClientSecret"] is { Length: > 0 } secret) options.ClientSecret = secret;
            options.ResponseType = "code";
            options.UsePkce = true;
            options.CallbackPath = OidcCallbackPath;
            options.SignedOutCallbackPath = OidcSignedOutPath;
            options.SignedOutRedirectUri = SignInPath;
            options.SaveTokens = true;
            options.MapInboundClaims = false;
            options.GetClaimsFromUserInfoEndpoint = false;
            options.Scope.Clear();
            foreach (var scope in ("openid profile " + configuration["Web:Oidc:Scopes"]).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct())
                options.Scope.Add(scope);
            options.TokenValidationParameters.NameClaimType = Caller.NameClaim;
            options.TokenValidationParameters.RoleClaimType = Caller.RoleClaim;
            options.Events = new OpenIdConnectEvents
            {
                // The pages' cookie lives as long as the access token it carries, like a development sign-in.
                OnTokenValidated = context =>
                {
                    if (context.TokenEndpointResponse?.ExpiresIn is { Length: > 0 } seconds && int.TryParse(seconds, out var s))
                        context.Properties!.ExpiresUtc = DateTimeOffset.UtcNow.AddSeconds(s);
                    return Task.CompletedTask;
                },
                // A fresh sign-in after a step-up refusal asks for the kinds of sign-in the weighty acts accept.
                OnRedirectToIdentityProvider = context =>
                {
                    var acr = configuration.GetSection("Identity:StepUp:AcrValues").Get<string[]>() ?? [];
                    if (context.Properties.Items.ContainsKey(FreshItem) && acr.Length > 0) context.ProtocolMessage.AcrValues = string.Join(' ', acr);
                    return Task.CompletedTask;
                },
                // A callback that does not complete a sign-in this browser started (forged, replayed, refused by the
                // provider) signs nobody in; the sign-in page says so.
                OnRemoteFailure = context =>
                {
                    context.Response.Redirect(SignInPath + "?fehlgeschlagen=true");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>
    /// The properties of an OpenID Connect challenge: back to <paramref name="returnUrl"/>. A fresh sign-in (after a
    /// step-up refusal) asks the provider, as RFC 9470 has it, for an authentication no older than the step-up window
    /// (<c>max_age</c>, <paramref name="stepUpWindow"/>) and, where configured, of an accepted kind (<c>acr_values</c>, added
    /// when the request is sent); <c>prompt=login</c> makes the provider ask the person again even when its own
    /// session is recent, so that the new token carries the kind of sign-in just done.
    /// </summary>
    public static AuthenticationProperties OidcChallenge(string returnUrl, bool fresh, TimeSpan stepUpWindow)
    {
        var properties = new OpenIdConnectChallengeProperties { RedirectUri = returnUrl };
        if (fresh)
        {
            properties.Items[FreshItem] = "true";
            properties.MaxAge = stepUpWindow;
            properties.Prompt = "login";
        }
        return properties;
    }

    /// <summary>Signs the person in to the pages with the claims of their API token, keeping the token for API calls.</summary>
    public static async Task SignInWithToken(HttpContext context, string token)
    {
        var ticket = Ticket(token);
        await context.SignInAsync(CookieScheme, ticket.Principal, ticket.Properties);
    }

    /// <summary>What the pages' cookie holds for a token: the person's claims and the token itself.</summary>
    public static AuthenticationTicket Ticket(string token)
    {
        var jwt = new JsonWebTokenHandler().ReadJsonWebToken(token);
        var identity = new ClaimsIdentity(jwt.Claims.Where(c => c.Type is Caller.SubjectClaim or Caller.NameClaim or Caller.LandClaim or Caller.RoleClaim),
            CookieScheme, Caller.NameClaim, Caller.RoleClaim);
        var properties = new AuthenticationProperties { ExpiresUtc = jwt.ValidTo, IsPersistent = false };
        properties.StoreTokens([new AuthenticationToken { Name = AccessToken, Value = token }]);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), properties, CookieScheme);
    }
}
