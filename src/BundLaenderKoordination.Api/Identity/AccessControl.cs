using System.Diagnostics.Metrics;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;

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

        if (access is null)
        {
            await Problems.Forbid("This endpoint is not open to anyone yet: it has no access rule.").ToResult().ExecuteAsync(context);
            return;
        }
        await context.RequestServices.GetRequiredService<PersonRolesRecorder>().RecordAsync(Caller.From(context.User), context.RequestAborted);
        // A command that reads the mandates with what it writes checks them itself (CheckInCommand), in that round trip.
        if (endpoint.Metadata.GetMetadata<MandatesReadWithCommandAttribute>() is not null)
        {
            await next(context);
            return;
        }
        var session = context.RequestServices.GetRequiredService<IQuerySession>();
        var caller = Caller.From(context.User);
        context.User.AddIdentity(MandateClaims.Identity(await MandateClaims.InEffectAsync(session, caller.PersonId, context.RequestAborted)));
        if (!AccessRules.Allows(access.Value, Caller.From(context.User)))
        {
            await Problems.Forbid(Explain(access.Value)).ToResult().ExecuteAsync(context);
            return;
        }
        if (StepUpRefusal(context, endpoint) is { } stepUp)
        {
            await stepUp.ToResult().ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>
    /// The access check of an endpoint marked <see cref="MandatesReadWithCommandAttribute"/>, called first by its
    /// <c>Validate</c>: with the caller's mandates that the command read in its own batch (by the token's subject),
    /// the same rule and the same 403 as <see cref="UseAccessRules"/> applies to every other endpoint, then the same
    /// step-up check, before anything else is answered. The mandates then travel with the request as for any other endpoint.
    /// </summary>
    public static ProblemDetails CheckInCommand(HttpContext context, PersonMandates? mandates)
    {
        context.User.AddIdentity(MandateClaims.Identity(mandates?.InEffect ?? []));
        if (context.GetEndpoint() is not RouteEndpoint endpoint || AccessRules.For(endpoint, context.Request.Method) is not { } access)
            return Problems.Forbid("This endpoint is not open to anyone yet: it has no access rule.");
        if (!AccessRules.Allows(access, Caller.From(context.User))) return Problems.Forbid(Explain(access));
        return StepUpRefusal(context, endpoint) ?? WolverineContinue.NoProblems;
    }

    /// <summary>The access check, then the step-up, then the input's own refusal (<paramref name="input"/>), in that order.</summary>
    public static ProblemDetails CheckInCommand(HttpContext context, PersonMandates? mandates, ProblemDetails input) =>
        CheckInCommand(context, mandates) is var refused && !ReferenceEquals(refused, WolverineContinue.NoProblems) ? refused : input;

    /// <summary>A weighty act with a sign-in too old or too weak: the 401 with its challenge header (RFC 9470), else null.</summary>
    private static ProblemDetails? StepUpRefusal(HttpContext context, RouteEndpoint endpoint)
    {
        if (AccessRules.StepUpActOf(endpoint, context.Request.Method) is not { } act) return null;
        var options = context.RequestServices.GetRequiredService<IOptions<StepUpOptions>>().Value;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (StepUp.Check(context.User, now, options, act) is not { } stepUp) return null;
        context.Response.Headers.WWWAuthenticate = StepUp.Challenge(options);
        return stepUp;
    }

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

/// <summary>
/// Marks a command endpoint that loads the caller's mandates (<c>[Entity(FromClaim = "sub")] PersonMandates</c>) in the
/// same round trip as the stream it writes and checks access with <see cref="AccessControl.CheckInCommand(HttpContext, PersonMandates?)"/> first
/// thing in its <c>Validate</c>, then the step-up a weighty act needs; the access middleware leaves both to it, so the
/// order of answers is the same as everywhere else (403, then 401 for a stale sign-in, then input errors).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MandatesReadWithCommandAttribute : Attribute;

