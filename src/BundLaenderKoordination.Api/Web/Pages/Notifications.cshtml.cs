using BundLaenderKoordination.Api.Notifications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>The person's inbox and their notification settings per body (docs/notifications.md).</summary>
public sealed class NotificationsModel(ServiceApi api, UiLanguage l) : PageModel
{
    public Inbox? Inbox { get; private set; }
    public SettingsView? Settings { get; private set; }
    public string? Error { get; private set; }
    [TempData] public string? Notice { get; set; }

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public Dictionary<string, Frequency> Bodies { get; set; } = new();
    [BindProperty] public List<NotificationCategory> Unsubscribed { get; set; } = [];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSettings(CancellationToken ct)
    {
        var result = await api.Send(HttpMethod.Put, "/api/notifications/settings", new SettingsInput(Email, Bodies, Unsubscribed), ct);
        if (result.Problem is { } problem)
        {
            Error = Refusals.Text(problem, l);
            await Load(ct);
            return Page();
        }
        Notice = "Einstellungen gespeichert.";
        return Redirect("/benachrichtigungen");
    }

    public async Task<IActionResult> OnPostRead(Guid id, CancellationToken ct)
    {
        await api.Send(HttpMethod.Post, $"/api/notifications/{id}/read", null, ct);
        return Redirect("/benachrichtigungen");
    }

    private async Task Load(CancellationToken ct)
    {
        Inbox = (await api.Get<Inbox>("/api/notifications", ct)).Value;
        Settings = (await api.Get<SettingsView>("/api/notifications/settings", ct)).Value;
    }
}
