using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

public sealed class SignOutModel(IConfiguration configuration) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPost()
    {
        // Signed in through OpenID Connect: the provider ends its session too and sends the person back to the sign-in page.
        if (WebUi.OidcEnabled(configuration) && await HttpContext.GetTokenAsync(WebUi.CookieScheme, "id_token") is not null)
            return SignOut(new AuthenticationProperties { RedirectUri = WebUi.SignInPath }, WebUi.CookieScheme, WebUi.OidcScheme);
        await HttpContext.SignOutAsync(WebUi.CookieScheme);
        return LocalRedirect(WebUi.SignInPath);
    }
}
