using System.Globalization;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// Where a reader checks the text hash: the event that recorded it (the adoption once adopted, else the event that wrote
/// the text) and the first signed checkpoint whose tree holds that event; null while no checkpoint covers it yet.
/// </summary>
public sealed record TextSeal(string TextHash, long Sequence, string EventType, long? TreeSize, string? Checkpoint)
{
    public string InclusionProofPath => $"/api/audit/events/{Sequence}/inclusion-proof" + (TreeSize is { } size ? $"?treeSize={size}" : "");
    public string? CheckpointPath => TreeSize is { } size ? $"/api/audit/checkpoints/{size}" : null;
}

/// <summary>A resolution as an export shows it: the read model at one stream version, the events up to it, and its seal.</summary>
public sealed record ResolutionRecord(ResolutionView View, IReadOnlyList<IEvent> Events, TextSeal? Seal)
{
    /// <summary>The stream's events up to the version, folded into the read model; the seal looked up in the audit tables.</summary>
    public static async Task<ResolutionRecord> ReadAsync(IQuerySession session, AuditTables tables, Guid id, long version, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, version: version, token: ct);
        var view = events.Aggregate((ResolutionView?)null, (v, e) => ResolutionViewProjection.Next(v, e.Data))!;
        return new ResolutionRecord(view, events, await SealAsync(tables, view, events, ct));
    }

    /// <summary>
    /// The version an export asks for: <c>?version=n</c>, <c>?at=instant</c>, or (neither) the latest, which holds the
    /// adopted text once adopted since the text is frozen then. Null with a problem when the caller may not read it or it
    /// has no such version.
    /// </summary>
    public static async Task<(long Version, ProblemDetails? Problem)> VersionAsync(IQuerySession session, Guid id, long? version, string? at,
        Caller caller, CancellationToken ct)
    {
        var current = await Confidentiality.FindAsync(session, id, caller, ct);
        if (current is null) return (0, Confidentiality.NotFound(id));
        if (version is not null && at is not null) return (0, Problems.Invalid("Ask for either a version or an instant, not both."));
        if (version is { } v)
            return v < 1 || v > current.Version
                ? (0, Problems.Missing($"Resolution {id} has versions 1 to {current.Version}; there is no version {v}."))
                : (v, null);
        if (at is null) return (current.Version, null);
        if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return (0, Problems.Invalid($"'{at}' is not an ISO 8601 instant such as 2026-11-28T10:00:00Z."));
        var then = await ResolutionHistory.VersionAtAsync(session, id, instant.ToUniversalTime(), ct);
        return then == 0 ? (0, Problems.Missing($"Resolution {id} did not exist yet at {instant:O}.")) : (then, null);
    }

    private static async Task<TextSeal?> SealAsync(AuditTables tables, ResolutionView view, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var recording = events.LastOrDefault(e => e.Data is ResolutionAdopted a && a.TextHash == view.TextHash)
            ?? events.LastOrDefault(e => e.Data switch
            {
                ResolutionProposed p => p.TextHash == view.TextHash,
                ResolutionTextEdited t => t.TextHash == view.TextHash,
                _ => false,
            });
        if (recording is null) return null;
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT tree_size, note FROM {tables.Checkpoints} WHERE tree_size >= @seq ORDER BY tree_size LIMIT 1", connection);
        command.Parameters.AddWithValue("seq", recording.Sequence);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new TextSeal(view.TextHash, recording.Sequence, recording.EventTypeName, reader.GetInt64(0), reader.GetString(1))
            : new TextSeal(view.TextHash, recording.Sequence, recording.EventTypeName, null, null);
    }
}
