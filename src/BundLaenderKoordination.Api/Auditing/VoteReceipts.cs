using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Audit;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Auditing;

public static class VoteReceiptEndpoint
{
    /// <summary>
    /// The receipt of the vote recorded at that version of the resolution's stream (the <c>version</c> the vote answered
    /// with): for the voting Land's representatives, auditors and admins, once the vote is in a signed checkpoint.
    /// </summary>
    [WolverineGet("/api/resolutions/{id}/votes/{version}/receipt", OperationId = "getVoteReceipt"), Tags("Audit")]
    [ProducesResponseType<ProblemDetails>(409, "application/problem+json")]
    [ProducesResponseType<VoteReceipt>(200)]
    public static async Task<IResult> Get(Guid id, long version, ClaimsPrincipal user, IQuerySession session, AuditLog log, AuditTables tables,
        WitnessDirectory witnesses, CancellationToken ct)
    {
        if (await Confidentiality.FindAsync(session, id, Caller.From(user), ct) is null) return Confidentiality.NotFound(id).ToResult();
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var e = await AuditExport.ReadEventAsync(connection, tables, id, version, ct);
        if (e?["type"]?.GetValue<string>() != "vote_cast" || e["data"] is not JsonObject data)
            return Problems.Missing($"Resolution {id} has no vote at version {version}.").ToResult();

        var land = data["land"]!.GetValue<string>();
        var caller = Caller.From(user);
        if (!caller.Has(Roles.Auditor) && !caller.Has(Roles.Admin) && caller.Mandates?.Any(m => m.Land == land && m.Role == Roles.Representative) != true)
            return Problems.Forbid("A vote's receipt is for the Land that cast it and for auditors.").ToResult();

        var seq = e["seq"]!.GetValue<long>();
        var note = await AuditExport.ReadCheckpointAsync(connection, tables, null, ct);
        var checkpoint = note is null ? null : Checkpoint.TryParse(SignedNote.TryParse(note)!.Text);
        if (checkpoint is null || seq > checkpoint.Size)
        {
            // Sealed or about to be, but not yet in a checkpoint: sign one now rather than make the Land wait for the next.
            await log.CheckpointNowAsync(ct);
            note = await AuditExport.ReadCheckpointAsync(connection, tables, null, ct);
            checkpoint = note is null ? null : Checkpoint.TryParse(SignedNote.TryParse(note)!.Text);
        }
        if (checkpoint is null || seq > checkpoint.Size || checkpoint.Size > log.TreeSize)
            return Problems.Make(Problems.NotSealedYet, 409, "Not sealed yet.",
                "The vote is recorded but not yet in a signed checkpoint; ask again in a few seconds.").ToResult();

        // With witnesses: the latest checkpoint holding the vote that the quorum cosigned, so the receipt proves it offline too.
        if (await WitnessedCheckpoints.LatestWitnessedAsync(connection, tables, witnesses, seq, log.TreeSize, ct) is { } witnessed)
        {
            note = witnessed;
            checkpoint = Checkpoint.TryParse(SignedNote.TryParse(note)!.Text)!;
        }
        var receipt = Create(id, e, note!, checkpoint.Size, log.InclusionProof(seq - 1, checkpoint.Size));
        return Results.Json(receipt, AuditJson.Options);
    }

    /// <summary>
    /// The receipt of a <c>vote_cast</c> event (its leaf document <paramref name="e"/>): the facts read from the event, its
    /// inclusion proof in the tree of <paramref name="treeSize"/> leaves and that tree's signed checkpoint <paramref name="note"/>.
    /// </summary>
    public static VoteReceipt Create(Guid resolution, JsonObject e, string note, long treeSize, IEnumerable<byte[]> inclusionProof)
    {
        var data = e["data"]!.AsObject();
        var actor = data["castBy"]!.AsObject();
        var seq = e["seq"]!.GetValue<long>();
        return new VoteReceipt(
            VoteReceipt.CurrentFormat, resolution, Ballot: Guid.TryParse(data["ballotId"]?.GetValue<string>(), out var ballot) ? ballot : null,
            data["textVersion"]!.GetValue<int>(), data["textHash"]!.GetValue<string>(), data["land"]!.GetValue<string>(),
            actor["personId"]!.GetValue<string>(), actor["personName"]!.GetValue<string>(),
            data["choice"]!.GetValue<string>().ToLowerInvariant(),
            DateTimeOffset.Parse(data["castAt"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            seq, seq - 1, e, treeSize, inclusionProof.Select(Convert.ToBase64String).ToList(), note);
    }
}
