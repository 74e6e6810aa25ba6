using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Notifications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>For administrators: notifications per status and the deliveries that fail, with the mail server's answer.</summary>
public sealed class DeliveryReportModel(ServiceApi api) : PageModel
{
    public DeliveryReport? Report { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (!Caller.From(User).Has(Roles.Admin)) return Forbid(WebUi.CookieScheme);
        Report = (await api.Get<DeliveryReport>("/api/admin/notifications", ct)).Value;
        return Page();
    }
}
