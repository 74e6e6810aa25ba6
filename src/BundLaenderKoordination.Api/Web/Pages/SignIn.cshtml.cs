using BundLaenderKoordination.Api.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// Development: pick an identity (name, Land, roles) and sign in with a development token from the API's own token
/// route. Elsewhere the route exists but says that sign-in goes through the organisation's identity provider; that is
/// where the OpenID Connect challenge belongs once it is configured.
/// </summary>
public sealed class SignInModel(ServiceApi api, IWebHostEnvironment environment, UiLanguage language) : PageModel
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

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Land { get; set; }
    [BindProperty] public List<string> SelectedRoles { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        if (!DevelopmentSignIn) return NotFound();
        if (string.IsNullOrWhiteSpace(Name))
        {
            Error = language.T("Bitte einen Namen angeben.", "Please give a name.");
            return Page();
        }
        var result = await api.DevelopmentToken(Name, string.IsNullOrEmpty(Land) ? null : Land, SelectedRoles, ct);
        if (!result.Ok)
        {
            Error = result.Problem!.Detail;
            return Page();
        }
        await WebUi.SignInWithToken(HttpContext, result.Value!["token"]!.GetValue<string>());
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
