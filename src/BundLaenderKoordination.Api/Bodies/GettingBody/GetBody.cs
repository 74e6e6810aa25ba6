using System.Globalization;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Sessions;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Bodies.GettingBody;

public sealed record MemberRead(string Land, string Name, bool Voting);

public sealed record ChairRead(string Land, string Name, DateOnly Since);

/// <summary>The rule of one matter type.</summary>
public sealed record MatterRule(string MatterType, VotingRule Rule);

/// <summary>A body as a reader sees it: members, rules per matter type, the chair in office and the next handover, its sessions.</summary>
public sealed record BodyRead(
    string Code,
    string Name,
    long Version,
    IReadOnlyList<MemberRead> Members,
    IReadOnlyDictionary<string, VotingRule> Rules,
    IReadOnlyList<ChairTerm> ChairSchedule,
    ChairRead? Chair,
    ChairTerm? NextHandover,
    WrittenProcedureRules WrittenProcedure,
    DateTimeOffset ConfiguredAt,
    IReadOnlyList<SessionSummary> Sessions)
{
    /// <summary>
    /// <see cref="Rules"/> as a list, in the order of the matter types: the same rules in a shape every generated client
    /// reads with typed models (an OpenAPI map of objects is untyped data in most of them).
    /// </summary>
    public IReadOnlyList<MatterRule> MatterRules =>
        [.. Rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new MatterRule(r.Key, r.Value))];

    /// <summary>Votes, consents, objections and Protokollerklärungen in this body are signed with their author's passkey (docs/audit.md, signed acts).</summary>
    public bool SignedActsRequired { get; init; }

    public static BodyRead Of(Body body, DateTimeOffset at, IReadOnlyList<SessionSummary> sessions)
    {
        var chair = body.ChairOn(at);
        var since = chair is null ? (DateOnly?)null : body.ChairSchedule.Where(t => t.From <= DateOnly.FromDateTime(at.UtcDateTime)).Max(t => t.From);
        return new BodyRead(body.Id, body.Name, body.Version,
            [.. body.Members.Select(m => new MemberRead(m.Land, Lands.NameOf(m.Land), m.Voting))],
            body.Rules, body.ChairSchedule,
            chair is null ? null : new ChairRead(chair, Lands.NameOf(chair), since!.Value),
            body.NextChair(at), body.WrittenProcedure, body.ConfiguredAt, sessions) { SignedActsRequired = body.SignedActsRequired };
    }
}

public static class GetBodyEndpoint
{
    /// <summary>Every body with its members, rules and the chair in office now.</summary>
    [WolverineGet("/api/bodies", OperationId = "listBodies"), Tags("Bodies")]
    [ProducesResponseType<IReadOnlyList<BodyRead>>(200)]
    public static async Task<IResult> List(IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var bodies = await session.Query<Body>().ToListAsync(ct);
        var now = clock.GetUtcNow();
        return Results.Ok(bodies.OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => BodyRead.Of(b, now, [])).ToList());
    }

    /// <summary>
    /// A body now, or as it was at a version of its stream (<c>?version=n</c>) or at an instant (<c>?at=...</c>): members,
    /// rules, the chair in office then, and its sessions as they stood then, in the same shape.
    /// </summary>
    [WolverineGet("/api/bodies/{code}", OperationId = "getBody"), Tags("Bodies")]
    [ProducesResponseType<BodyRead>(200)]
    public static async Task<IResult> Get(string code, long? version, string? at, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var current = await session.LoadBodyAsync(code, ct);
        if (current is null) return Problems.Missing($"There is no body '{code}'.").ToResult();
        if (version is not null && at is not null) return Problems.Invalid("Ask for either a version or an instant, not both.").ToResult();

        if (version is { } v)
        {
            if (v < 1 || v > current.Version)
                return Problems.Missing($"Body {current.Id} has versions 1 to {current.Version}; there is no version {v}.").ToResult();
            return Results.Ok(await BodyAsOf.AtVersionAsync(session, current, v, ct));
        }

        if (at is not null)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                return Problems.Invalid($"'{at}' is not an ISO 8601 instant such as 2026-11-28T10:00:00Z.").ToResult();
            instant = instant.ToUniversalTime();
            return await BodyAsOf.AtAsync(session, current, instant, ct) is { } then
                ? Results.Ok(then)
                : Problems.Missing($"Body {current.Id} did not exist yet at {instant:O}.").ToResult();
        }

        var now = clock.GetUtcNow();
        return Results.Ok(BodyRead.Of(current, now, await SessionReads.OfBodyAsync(session, current.Id, null, ct)));
    }
}

/// <summary>A body as it stood at a version of its own stream or at an instant, sessions included, in the shape of the live read.</summary>
public static class BodyAsOf
{
    /// <summary>The body at an instant; null before it existed.</summary>
    public static async Task<BodyRead?> AtAsync(IQuerySession session, Body current, DateTimeOffset instant, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(current.StreamId, timestamp: instant, token: ct);
        if (events.Count == 0) return null;
        return BodyRead.Of(Body.Fold(events.Select(e => e.Data))!, instant, await SessionReads.OfBodyAsync(session, current.Id, instant, ct));
    }

    /// <summary>The body right after version <paramref name="version"/> of its stream was written (1 to the current version).</summary>
    public static async Task<BodyRead> AtVersionAsync(IQuerySession session, Body current, long version, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(current.StreamId, version, token: ct);
        var then = events[^1].Timestamp;
        return BodyRead.Of(Body.Fold(events.Select(e => e.Data))!, then, await SessionReads.OfBodyAsync(session, current.Id, then, ct));
    }
}
