using System.Diagnostics.Metrics;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.Extensions.Options;

namespace BundLaenderKoordination.Api.Identity;

/// <summary>
/// Server-side access control in one place. After the token is verified: loads the person's mandates in effect (so a
/// revocation counts from the next request on), then applies <see cref="AccessRules"/> to the endpoint, including the
/// step-up a weighty act needs (<see cref="AccessRules.StepUp"/>). Every refused
/// request (401, 403, and the 413 and 429 of <see cref="Hardening"/>) is logged and counted, with method, route template and status only: no token, no person, no payload.
/// </summary>
public static class AccessControl
{
    public const string MeterName = Telemetry.ServiceName + ".access";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Refused =
        Meter.CreateCounter<long>("blk.access.refused",
            description: "Requests refused for missing or stale identity (401), permission (403), size (413) or rate (429)");

    /// <summary>
    /// Counts and logs refusals; runs before authentication and the size and rate limits so it also sees the 401s of the
    /// token check, the 413s and the 429s.
    /// </summary>
    public static IApplicationBuilder UseRefusalLog(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (context.Response.StatusCode is not (401 or 403 or 413 or 429)) return;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        Refused.Add(1, new KeyValuePair<string, object?>("http.response.status_code", context.Response.StatusCode),
            new KeyValuePair<string, object?>("http.route", route));
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("BundLaenderKoordination.Access")
            .LogWarning("Refused {Method} {Route} with {Status}", context.Request.Method, route, context.Response.StatusCode);
    });

    public static IApplicationBuilder UseAccessRules(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            await next(context);
            return;
        }
        var access = AccessRules.For(endpoint, context.Request.Method);
        if (access is Access.Public or Access.Pages || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        var session = context.RequestServices.GetRequiredService<IQuerySession>();
        var caller = Caller.From(context.User);
        context.User.AddIdentity(MandateClaims.Identity(await MandateClaims.InEffectAsync(session, caller.PersonId, context.RequestAborted)));
        caller = Caller.From(context.User);

        if (access is null)
        {
            await Problems.Forbid("This endpoint is not open to anyone yet: it has no access rule.").ToResult().ExecuteAsync(context);
            return;
        }
        if (!AccessRules.Allows(access.Value, caller))
        {
            await Problems.Forbid(Explain(access.Value)).ToResult().ExecuteAsync(context);
            return;
        }
        if (AccessRules.StepUpActOf(endpoint, context.Request.Method) is { } act)
        {
            var options = context.RequestServices.GetRequiredService<IOptions<StepUpOptions>>().Value;
            var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            if (StepUp.Check(context.User, now, options, act) is { } stepUp)
            {
                context.Response.Headers.WWWAuthenticate = StepUp.Challenge(options);
                await stepUp.ToResult().ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    });

    private static string Explain(Access access) => access switch
    {
        Access.Read => "Reading needs a mandate in a body or the observer or auditor role.",
        Access.Negotiate => "Writing needs an approved representative or chair mandate in the body.",
        Access.Vote => "Only a representative with an approved mandate casts the vote of their Land; the chair votes through a representative mandate.",
        Access.Chair => "Only the chair, with an approved chair mandate, runs the procedure of a body.",
        Access.ReadBodies => "Reading bodies needs a mandate, the observer, auditor or admin role.",
        Access.ReadMandates => "Mandates are read by administrators and auditors.",
        Access.Administer => "Only administrators manage bodies and mandates.",
        Access.ManageMandates => "Mandates are managed by administrators and, for their own Land, by a Land's coordinator.",
        Access.AuditExport => "Only auditors export the audit.",
        Access.VoteReceipt => "A vote's receipt is for the representatives of the Land that cast it, auditors and administrators.",
        Access.Checkpoint => "Auditors, chairs and administrators ask for a checkpoint.",
        _ => "You may not do this.",
    };
}
