using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Behind a TLS-terminating reverse proxy the service learns the client's scheme and address from
/// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c>, so cookies keep <c>Secure</c> and the OpenID Connect redirect stays
/// https. Only from the proxies named in configuration (<c>ForwardedHeaders:KnownProxies</c>, addresses, and
/// <c>ForwardedHeaders:KnownNetworks</c>, CIDR ranges): from anyone else the headers are ignored. ASP.NET Core's default of
/// trusting loopback is cleared; with nothing configured no forwarded header counts (the middleware is not used at all:
/// with both lists empty it would trust every sender).
/// </summary>
public static class Proxies
{
    public const string Section = "ForwardedHeaders";

    public static void AddProxies(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds the loopback default and is still consulted
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies)
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                    : throw new InvalidOperationException($"{Section}:KnownProxies: '{proxy}' is not an IP address."));
            foreach (var network in networks)
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                    : throw new InvalidOperationException($"{Section}:KnownNetworks: '{network}' is not a CIDR range such as 10.0.0.0/8."));
        });
    }

    public static void UseProxies(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0)
            app.UseForwardedHeaders();
    }
}
