using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
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
    }

    public static void MapWebUi(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/sprache/{code}", (string code, string? zurueck, HttpContext context) =>
        {
            if (code is "de" or "en")
                context.Response.Cookies.Append(UiLanguage.Cookie, code, new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true,
                });
            return Results.LocalRedirect(zurueck is { Length: > 0 } back && back.StartsWith('/') && !back.StartsWith("//") ? back : "/");
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/beschluesse/{id:guid}/live", LiveRelay.Relay).RequireAuthorization(Policy).ExcludeFromDescription();
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
