using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.History;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Resolutions.GettingAuditTrail;

/// <summary>One event of a resolution's stream as an auditor reads it.</summary>
public sealed record AuditEntry(
    long Version,
    long Sequence,
    string EventType,
    string PersonId,
    string PersonName,
    string? ActingFor,
    string Role,
    DateTimeOffset At,
    DateTimeOffset RecordedAt,
    string Summary,
    int TextVersion,
    string TextHash);

public static class AuditTrailEndpoint
{
    /// <summary>Every event of the resolution in stream order: who, for which Land, when, what, against which text.</summary>
    [WolverineGet("/api/resolutions/{id}/audit-trail", OperationId = "getAuditTrail"), Tags("Resolutions")]
    [ProducesResponseType<IReadOnlyList<AuditEntry>>(200)]
    public static async Task<IResult> Get(Guid id, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (await Confidentiality.FindAsync(session, id, Caller.From(user), ct) is null) return Confidentiality.NotFound(id).ToResult();
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        return Results.Ok(Describe(events));
    }

    public static IReadOnlyList<AuditEntry> Describe(IEnumerable<IEvent> events)
    {
        var entries = new List<AuditEntry>();
        var text = (Version: 0, Hash: "");
        foreach (var e in events)
        {
            var described = EventDescriptions.Describe(e, Language.English);
            var actor = described.Actor ?? new Actor("", "", null, "");
            text = e.Data switch
            {
                ResolutionProposed p => (p.TextVersion, p.TextHash),
                ResolutionTextEdited t => (t.TextVersion, t.TextHash),
                VoteCast v => (v.TextVersion, v.TextHash),
                ResolutionAdopted a => (a.TextVersion, a.TextHash),
                _ => text,
            };
            entries.Add(new AuditEntry(e.Version, e.Sequence, e.EventTypeName, actor.PersonId, actor.PersonName,
                actor.ActingFor, actor.Role, described.At, e.Timestamp, described.Text, text.Version, text.Hash));
        }
        return entries;
    }
}
