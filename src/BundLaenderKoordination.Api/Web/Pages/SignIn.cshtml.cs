using BundLaenderKoordination.Api.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// Development: pick an identity (name, Land, roles) and sign in with a development token from the API's own token
/// route. With OpenID Connect configured, sign in at the organisation's identity provider (the API's issuer); asked for a
/// fresh sign-in (<c>erneut</c>, after a step-up refusal), the provider is told to authenticate the person again.
/// </summary>
public sealed class SignInModel(ServiceApi api, IWebHostEnvironment environment, IConfiguration configuration, UiLanguage language,
    Microsoft.Extensions.Options.IOptions<StepUpOptions> stepUp) : PageModel
{
    public sealed record Preset(string Name, string? Land, string Role);

    public static readonly IReadOnlyList<Preset> Presets =
    [
        new("Anna Berger", "DE-BY", Roles.Representative),
        new("Jonas Wolf", "DE-NW", Roles.Representative),
        new("Miriam Hoffmann", "DE-HE", Roles.Representative),
        new("Lea Schulte", "DE-BY", Roles.Chair),
        new("Paul Neumann", null, Roles.Observer),
        new("Karin Vogt", null, Roles.Auditor),
    ];

    public bool DevelopmentSignIn => environment.IsDevelopment();
    public bool OidcSignIn => WebUi.OidcEnabled(configuration);

    /// <summary>A fresh sign-in is asked for: the last one is too old for what the person wanted to do.</summary>
    [BindProperty(SupportsGet = true, Name = "erneut")] public bool Fresh { get; set; }

    /// <summary>The identity provider's answer did not complete a sign-in.</summary>
    [BindProperty(SupportsGet = true, Name = "fehlgeschlagen")] public bool Failed { get; set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Land { get; set; }
    [BindProperty] public List<string> SelectedRoles { get; set; } = [];

    /// <summary>Development: how many minutes ago the sign-in is to have happened, to try what needs a recent one.</summary>
    [BindProperty] public int? SignedInMinutesAgo { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>Off to the identity provider; back to <see cref="ReturnUrl"/> with the pages' cookie.</summary>
    public IActionResult OnGetOidc()
    {
        if (!OidcSignIn) return NotFound();
        return Challenge(WebUi.OidcChallenge(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/", Fresh, stepUp.Value.MaxAge), WebUi.OidcScheme);
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        if (!DevelopmentSignIn) return NotFound();
        if (string.IsNullOrWhiteSpace(Name))
        {
            Error = language.T("Bitte einen Namen angeben.", "Please give a name.");
            return Page();
        }
        if (SignedInMinutesAgo is < 0 or > 480)
        {
            Error = language.T("Die Anmeldung kann 0 bis 480 Minuten zurückliegen.", "The sign-in can lie 0 to 480 minutes back.");
            return Page();
        }
        var authTime = SignedInMinutesAgo is > 0 and var minutes ? DateTimeOffset.UtcNow.AddMinutes(-minutes) : (DateTimeOffset?)null;
        var result = await api.DevelopmentToken(Name, string.IsNullOrEmpty(Land) ? null : Land, SelectedRoles, authTime, ct);
        if (!result.Ok)
        {
            Error = Refusals.Text(result.Problem!, language);
            return Page();
        }
        await WebUi.SignInWithToken(HttpContext, result.Value!["token"]!.GetValue<string>());
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
