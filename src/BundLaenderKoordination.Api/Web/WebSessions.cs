using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace BundLaenderKoordination.Api.Web;

/// <summary>
/// A signed-in browser session of the pages, kept in PostgreSQL: the cookie carries only <see cref="Id"/>, the
/// claims and the API token stay here, encrypted with the shared DataProtection keys (<see cref="Infrastructure.KeyStorage"/>).
/// </summary>
public sealed record WebSession(string Id, string PersonId, byte[] Ticket, DateTimeOffset? ExpiresAt);

/// <summary>
/// The cookie handler's session store (ASP.NET Core's <see cref="ITicketStore"/>) over Marten. Signing out removes the
/// session, so a copy of the cookie taken before is worth nothing afterwards, on every node; a session past its expiry
/// is removed when it is next presented.
/// </summary>
public sealed class WebSessionStore(IDocumentStore store, IDataProtectionProvider protection, TimeProvider clock) : ITicketStore
{
    private readonly IDataProtector _protector = protection.CreateProtector("BundLaenderKoordination.Web.Sessions");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await SaveAsync(id, ticket);
        return id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => SaveAsync(key, ticket);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var session = store.LightweightSession();
        var found = await session.LoadAsync<WebSession>(key);
        if (found is null) return null;
        if (found.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            session.Delete<WebSession>(key);
            await session.SaveChangesAsync();
            return null;
        }
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(found.Ticket));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        await using var session = store.LightweightSession();
        session.Delete<WebSession>(key);
        await session.SaveChangesAsync();
    }

    private async Task SaveAsync(string id, AuthenticationTicket ticket)
    {
        await using var session = store.LightweightSession();
        var personId = ticket.Principal.FindFirst(Caller.SubjectClaim)?.Value ?? "";
        session.Store(new WebSession(id, personId, _protector.Protect(TicketSerializer.Default.Serialize(ticket)), ticket.Properties.ExpiresUtc));
        await session.SaveChangesAsync();
    }
}

public static class WebSessions
{
    public static void AddWebSessions(this IServiceCollection services)
    {
        services.AddSingleton<WebSessionStore>();
        services.ConfigureMarten(options => options.Schema.For<WebSession>());
        services.AddOptions<CookieAuthenticationOptions>(WebUi.CookieScheme)
            .Configure<WebSessionStore>((cookie, sessions) => cookie.SessionStore = sessions);
    }
}
