using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Notifications;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Sessions;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// A person's secret calendar address for one body (decision in docs/decisions.md, "calendar subscriptions"): calendar
/// programs cannot send a bearer token, so the address itself is the credential. Only the SHA-256 of the secret is
/// stored; the secret is shown once, when the subscription is made.
/// </summary>
public sealed class CalendarSubscription
{
    public Guid Id { get; set; }
    /// <summary>Lower-case hex SHA-256 of the secret in the address.</summary>
    public string TokenHash { get; set; } = "";
    public string PersonId { get; set; } = "";
    public string PersonName { get; set; } = "";
    /// <summary>The body's id (its code).</summary>
    public string Body { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record CalendarSubscriptionView(Guid Id, string Body, DateTimeOffset CreatedAt);

/// <summary>A subscription just made, with the secret address (shown this once; the service keeps only its hash).</summary>
public sealed record CalendarSubscriptionCreated(Guid Id, string Body, DateTimeOffset CreatedAt, string Path, string Url);

public static class CalendarSubscriptions
{
    public const string FeedPrefix = "/api/calendar/feeds/";

    public static void AddCalendarSubscriptions(this WebApplicationBuilder builder) =>
        builder.Services.ConfigureMarten(options => options.Schema.For<CalendarSubscription>().UniqueIndex(s => s.TokenHash).Index(s => s.PersonId));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A new secret: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Makes a secret calendar address for the caller and a body in which they hold a mandate. The answer holds the
    /// address once; it is not stored and cannot be read again.
    /// </summary>
    [WolverinePost("/api/bodies/{code}/calendar/subscriptions", OperationId = "createCalendarSubscription"), Tags("Exports")]
    [ProducesResponseType<CalendarSubscriptionCreated>(201)]
    public static async Task<IResult> Create(string code, ClaimsPrincipal user, IDocumentSession session, NotificationOptions links, TimeProvider clock,
        CancellationToken ct)
    {
        var body = await session.LoadBodyAsync(code, ct);
        if (body is null) return Problems.Missing($"There is no body '{code}'.").ToResult();
        var caller = await Confidentiality.RefreshAsync(session, Caller.From(user), ct);
        if (!(caller.Mandates ?? []).Any(m => m.Body == body.Id))
            return Problems.Forbid($"A calendar address is for members of {body.Id}: you hold no mandate in it.").ToResult();
        var token = NewToken();
        var subscription = new CalendarSubscription
        {
            Id = Guid.CreateVersion7(),
            TokenHash = Hash(token),
            PersonId = caller.PersonId,
            PersonName = caller.Name,
            Body = body.Id,
            CreatedAt = clock.GetUtcNow(),
        };
        session.Store(subscription);
        await session.SaveChangesAsync(ct);
        var path = FeedPrefix + token;
        return Results.Json(new CalendarSubscriptionCreated(subscription.Id, body.Id, subscription.CreatedAt, path, links.BaseUrl.TrimEnd('/') + path),
            statusCode: 201);
    }

    /// <summary>The caller's calendar addresses (without their secrets).</summary>
    [WolverineGet("/api/calendar/subscriptions", OperationId = "getCalendarSubscriptions"), Tags("Exports")]
    public static async Task<IReadOnlyList<CalendarSubscriptionView>> List(ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var personId = Caller.From(user).PersonId;
        var mine = await session.Query<CalendarSubscription>().Where(s => s.PersonId == personId).ToListAsync(ct);
        return mine.OrderBy(s => s.CreatedAt).Select(s => new CalendarSubscriptionView(s.Id, s.Body, s.CreatedAt)).ToList();
    }

    /// <summary>Revokes one of the caller's calendar addresses: from now on it answers 404.</summary>
    [WolverineDelete("/api/calendar/subscriptions/{id}", OperationId = "revokeCalendarSubscription"), Tags("Exports")]
    [ProducesResponseType(204)]
    public static async Task<IResult> Revoke(Guid id, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var subscription = await session.LoadAsync<CalendarSubscription>(id, ct);
        if (subscription is null || subscription.PersonId != Caller.From(user).PersonId)
            return Problems.Missing($"You have no calendar address {id}.").ToResult();
        session.Delete(subscription);
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    /// <summary>
    /// The calendar behind a secret address, for calendar programs (no sign-in): the body's sessions and the deadlines
    /// of its running written procedures, as its owner may see them now. An unknown or revoked address, or one whose
    /// owner no longer holds a mandate in the body, is answered 404.
    /// </summary>
    [WolverineGet("/api/calendar/feeds/{token}", OperationId = "getCalendarFeed"), Tags("Exports"), Microsoft.AspNetCore.Authorization.AllowAnonymous]
    [ProducesResponseType(typeof(string), 200, "text/calendar")]
    public static async Task<IResult> Feed(string token, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var hash = Hash(token);
        var subscription = await session.Query<CalendarSubscription>().FirstOrDefaultAsync(s => s.TokenHash == hash, ct);
        if (subscription is null) return Problems.Missing("There is no such calendar address.").ToResult();
        var owner = await Confidentiality.RefreshAsync(session,
            new Caller(subscription.PersonId, subscription.PersonName, null, new HashSet<string>()), ct);
        var body = await session.LoadBodyAsync(subscription.Body, ct);
        if (body is null || !(owner.Mandates ?? []).Any(m => m.Body == body.Id)) return Problems.Missing("There is no such calendar address.").ToResult();
        var sessions = await session.Query<SessionView>().Where(s => s.Body == body.Id).ToListAsync(ct);
        var hidden = await Confidentiality.HiddenAsync(session, owner, body.Id, ct);
        var resolutions = (await session.Query<ResolutionView>().Where(r => r.Body == body.Id).ToListAsync(ct))
            .Where(r => !hidden.Contains(r.Id) && r.WrittenProcedures.Any(p => p.Status == WrittenProcedureStatus.Running));
        var text = CalendarFeed.Write(body.Name, sessions, resolutions, clock.GetUtcNow());
        return Results.File(Encoding.UTF8.GetBytes(text), CalendarFeed.MediaType, FileNames.Of($"Sitzungskalender {body.Name}", ".ics"));
    }
}
