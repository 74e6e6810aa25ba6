using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Audit;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Auditing;

// Witnesses: which configured witnesses cosigned the checkpoint and whether that makes the quorum.
public sealed record InclusionProofResponse(long Seq, long LeafIndex, string LeafHash, long TreeSize, IReadOnlyList<string> Proof, string Checkpoint,
    CheckpointWitnesses? Witnesses = null);

public sealed record ConsistencyProofResponse(long From, long To, IReadOnlyList<string> Proof);

public static class InclusionProofEndpoint
{
    /// <summary>
    /// RFC 9162 inclusion proof of the event with that sequence number in the latest signed checkpoint (or in <c>treeSize</c>);
    /// with witnesses configured, in the latest checkpoint holding it that the quorum cosigned, if there is one.
    /// </summary>
    [WolverineGet("/api/audit/events/{seq}/inclusion-proof", OperationId = "getInclusionProof"), Tags("Audit")]
    [ProducesResponseType<ProblemDetails>(409, "application/problem+json")]
    [ProducesResponseType<InclusionProofResponse>(200)]
    public static async Task<IResult> Get(long seq, long? treeSize, AuditLog log, AuditTables tables, WitnessDirectory witnesses, TimeProvider clock,
        CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var note = await AuditExport.ReadCheckpointAsync(connection, tables, treeSize, ct);
        if (note is null) return Problems.Missing(treeSize is null ? "No checkpoint has been signed yet." : $"No checkpoint was signed at tree size {treeSize}.").ToResult();
        var checkpoint = Checkpoint.TryParse(SignedNote.TryParse(note)!.Text)!;
        if (seq < 1) return Problems.Invalid("Sequence numbers start at 1.").ToResult();
        if (seq > checkpoint.Size || checkpoint.Size > log.TreeSize)
            return Problems.Make(Problems.NotSealedYet, 409, "Not sealed yet.",
                $"Event {seq} is not in the checkpoint of size {checkpoint.Size}; ask again after the next checkpoint.").ToResult();
        if (treeSize is null && await WitnessedCheckpoints.LatestWitnessedAsync(connection, tables, witnesses, seq, log.TreeSize, ct) is { } witnessed)
        {
            note = witnessed;
            checkpoint = Checkpoint.TryParse(SignedNote.TryParse(note)!.Text)!;
        }
        var proof = log.InclusionProof(seq - 1, checkpoint.Size);
        return Results.Ok(new InclusionProofResponse(seq, seq - 1, LeafHashOf(log, seq - 1), checkpoint.Size,
            proof.Select(Convert.ToBase64String).ToList(), note, WitnessedCheckpoints.Describe(note, witnesses, clock.GetUtcNow())));
    }

    private static string LeafHashOf(AuditLog log, long index) => Convert.ToBase64String(log.InclusionLeaf(index));
}

public static class ConsistencyProofEndpoint
{
    /// <summary>RFC 9162 consistency proof that the log at size <c>from</c> is a prefix of the log at size <c>to</c>.</summary>
    [WolverineGet("/api/audit/consistency-proof", OperationId = "getConsistencyProof"), Tags("Audit")]
    [ProducesResponseType<ProblemDetails>(409, "application/problem+json")]
    [ProducesResponseType<ConsistencyProofResponse>(200)]
    public static IResult Get(long? from, long? to, AuditLog log)
    {
        if (from is null or < 0 || to is null || to < from) return Problems.Invalid("Send from and to with 0 <= from <= to.").ToResult();
        if (to > log.TreeSize)
            return Problems.Make(Problems.NotSealedYet, 409, "Not sealed yet.", $"The log holds {log.TreeSize} leaves.").ToResult();
        return Results.Ok(new ConsistencyProofResponse(from.Value, to.Value, log.ConsistencyProof(from.Value, to.Value).Select(Convert.ToBase64String).ToList()));
    }
}
