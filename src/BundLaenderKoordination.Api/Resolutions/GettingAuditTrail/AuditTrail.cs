using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
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
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0) return Problems.Missing($"There is no resolution {id}.").ToResult();
        return Results.Ok(Describe(events));
    }

    public static IReadOnlyList<AuditEntry> Describe(IEnumerable<IEvent> events)
    {
        var entries = new List<AuditEntry>();
        var text = (Version: 0, Hash: "");
        foreach (var e in events)
        {
            (Actor actor, DateTimeOffset at, string summary) = e.Data switch
            {
                ResolutionProposed p => (p.ProposedBy, p.ProposedAt,
                    $"{Who(p.ProposedBy)} proposed \"{p.Title}\" to {p.Body} with {p.Paragraphs.Count} paragraph(s)."),
                ResolutionTextEdited t => (t.EditedBy, t.EditedAt,
                    $"{Who(t.EditedBy)} edited the text: text version {t.TextVersion} has {t.Paragraphs.Count} paragraph(s)."),
                CommentAdded c => (c.CommentedBy, c.CommentedAt,
                    $"{Who(c.CommentedBy)} commented on {(c.ParagraphId is null ? "the resolution" : "paragraph " + c.ParagraphId)}."),
                VoteCast v => (v.CastBy, v.CastAt,
                    $"{Who(v.CastBy)} voted {v.Choice.ToString().ToLowerInvariant()} for {Lands.NameOf(v.Land)} on text version {v.TextVersion}."),
                ResolutionAdopted a => (a.AdoptedBy, a.AdoptedAt,
                    $"{Who(a.AdoptedBy)} declared text version {a.TextVersion} adopted with {a.YesVotes.Count} yes, {a.NoVotes.Count} no, {a.Abstentions.Count} abstentions ({a.Rule})."),
                AmendmentProposed a => (a.ProposedBy, a.ProposedAt,
                    $"{Who(a.ProposedBy)} proposed amendment {a.Number} with {a.Changes.Count} change(s) against text version {a.BaseTextVersion}."),
                AmendmentSupported a => (a.SupportedBy, a.SupportedAt, $"{Who(a.SupportedBy)} supported an amendment."),
                AmendmentRevised a => (a.RevisedBy, a.RevisedAt,
                    $"{Who(a.RevisedBy)} revised an amendment: {a.Changes.Count} change(s) against text version {a.BaseTextVersion}."),
                AmendmentAccepted a => (a.AcceptedBy, a.AcceptedAt,
                    $"{Who(a.AcceptedBy)} accepted an amendment{(a.WithChanges ? " with changes" : "")}; it becomes text version {a.TextVersion}."),
                AmendmentRejected a => (a.RejectedBy, a.RejectedAt, $"{Who(a.RejectedBy)} rejected an amendment."),
                PassageBracketed b => (b.BracketedBy, b.BracketedAt,
                    $"{Who(b.BracketedBy)} put \"{b.Quote}\" in paragraph {b.ParagraphId} in brackets (bracket {b.Number}) with {b.Alternatives.Count} alternative(s)."),
                BracketAlternativeProposed b => (b.ProposedBy, b.ProposedAt, $"{Who(b.ProposedBy)} proposed an alternative wording for a bracketed passage."),
                BracketResolved b => (b.ResolvedBy, b.ResolvedAt, $"{Who(b.ResolvedBy)} resolved a bracket with \"{b.AgreedWording}\" (text version {b.TextVersion})."),
                _ => throw new InvalidOperationException($"The audit trail cannot describe event type {e.EventTypeName}."),
            };
            text = e.Data switch
            {
                ResolutionProposed p => (p.TextVersion, p.TextHash),
                ResolutionTextEdited t => (t.TextVersion, t.TextHash),
                VoteCast v => (v.TextVersion, v.TextHash),
                ResolutionAdopted a => (a.TextVersion, a.TextHash),
                _ => text,
            };
            entries.Add(new AuditEntry(e.Version, e.Sequence, e.EventTypeName, actor.PersonId, actor.PersonName,
                actor.ActingFor, actor.Role, at, e.Timestamp, summary, text.Version, text.Hash));
        }
        return entries;
    }

    private static string Who(Actor actor) =>
        actor.ActingFor is null ? $"{actor.PersonName} ({actor.Role})" : $"{actor.PersonName} ({actor.Role}, {Lands.NameOf(actor.ActingFor)})";
}
