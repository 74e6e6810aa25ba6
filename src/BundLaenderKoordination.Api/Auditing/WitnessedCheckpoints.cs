using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>A witness's clock against this service's: a cosignature dated after now plus a small tolerance is not kept.</summary>
public static class WitnessClock
{
    /// <summary>How many seconds <paramref name="cosignedAt"/> (Unix seconds) lies after <paramref name="now"/> beyond the tolerance; null when it does not.</summary>
    public static long? AheadOf(long cosignedAt, DateTimeOffset now, TimeSpan tolerance)
    {
        var ahead = cosignedAt - now.ToUnixTimeSeconds();
        return ahead > tolerance.TotalSeconds ? ahead : null;
    }
}

/// <summary>One signed checkpoint with the cosignatures of the configured witnesses that verify, and whether they make the quorum.</summary>
public sealed record WitnessedCheckpoint(long TreeSize, DateTimeOffset Time, bool Witnessed, IReadOnlyList<WitnessCosignature> Cosignatures);

/// <summary>The latest signed checkpoints (latest first) and who cosigned each; the quorum and the configured witness keys.</summary>
public sealed record WitnessedCheckpointList(int Quorum, IReadOnlyList<string> Witnesses, IReadOnlyList<WitnessedCheckpoint> Checkpoints);

/// <summary>Reading checkpoints together with the witnesses that cosigned them, for every place that shows a checkpoint as proof.</summary>
public static class WitnessedCheckpoints
{
    public const int MaxLimit = 100;

    /// <summary>The valid cosignatures (of configured witnesses, verifying over the note's text, not dated in the future) on a served note.</summary>
    public static IReadOnlyList<WitnessCosignature> Of(string note, WitnessDirectory directory, DateTimeOffset now)
    {
        var signed = SignedNote.TryParse(note);
        if (signed is null) return [];
        var result = new List<WitnessCosignature>();
        foreach (var line in signed.Signatures)
        {
            if (directory.Witnesses.FirstOrDefault(w => w.Key.Names(line)) is not { Key: not null } witness) continue;
            if (witness.Key.Verify(signed.Text, line) is not { } at || WitnessClock.AheadOf(at, now, directory.ClockTolerance) is not null) continue;
            if (result.Any(c => c.PublicKey == witness.Key.ToString())) continue;
            result.Add(new WitnessCosignature(witness.Key.Name, witness.Key.ToString(), DateTimeOffset.FromUnixTimeSeconds(at)));
        }
        return result;
    }

    /// <summary>What the witnesses say about a served checkpoint note: who cosigned it and whether that makes the quorum.</summary>
    public static CheckpointWitnesses Describe(string note, WitnessDirectory directory, DateTimeOffset now)
    {
        var cosignatures = Of(note, directory, now);
        var size = SignedNote.TryParse(note) is { } signed && Checkpoint.TryParse(signed.Text) is { } checkpoint ? checkpoint.Size : 0;
        return new CheckpointWitnesses(size, directory.Quorum, directory.Witnesses.Count > 0 && cosignatures.Count >= directory.Quorum,
            cosignatures, directory.Witnesses.Select(w => w.Key.ToString()).ToList());
    }

    /// <summary>
    /// The note (with its cosignatures) of the largest checkpoint of at least <paramref name="minSize"/> and at most
    /// <paramref name="maxSize"/> leaves whose stored cosignatures of configured witnesses make the quorum; null when none
    /// does or no witnesses are configured.
    /// </summary>
    public static async Task<string?> LatestWitnessedAsync(NpgsqlConnection connection, AuditTables tables, WitnessDirectory directory,
        long minSize, long maxSize, CancellationToken ct)
    {
        if (directory.Witnesses.Count == 0) return null;
        await using var command = new NpgsqlCommand($"""
            SELECT tree_size FROM {tables.Cosignatures} WHERE witness_key = ANY(@keys) AND tree_size BETWEEN @min AND @max
            GROUP BY tree_size HAVING count(DISTINCT witness_key) >= @quorum ORDER BY tree_size DESC LIMIT 5
            """, connection);
        command.Parameters.AddWithValue("keys", directory.Witnesses.Select(w => w.Key.ToString()).ToArray());
        command.Parameters.AddWithValue("min", minSize);
        command.Parameters.AddWithValue("max", maxSize);
        command.Parameters.AddWithValue("quorum", (long)directory.Quorum);
        var sizes = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) sizes.Add(reader.GetInt64(0));
        // The stored lines were checked when they were kept; checked again here, as everywhere a checkpoint is served as proof.
        foreach (var size in sizes)
            if (await AuditExport.ReadCheckpointAsync(connection, tables, size, ct) is { } note && Describe(note, directory, DateTimeOffset.UtcNow).Witnessed)
                return note;
        return null;
    }

    /// <summary>The latest <paramref name="limit"/> signed checkpoints, latest first, each with who cosigned it.</summary>
    public static async Task<IReadOnlyList<WitnessedCheckpoint>> LatestAsync(NpgsqlConnection connection, AuditTables tables, WitnessDirectory directory,
        int limit, DateTimeOffset now, CancellationToken ct)
    {
        var notes = new List<string>();
        await using (var command = new NpgsqlCommand($"SELECT note FROM {tables.Checkpoints} ORDER BY tree_size DESC LIMIT @limit", connection))
        {
            command.Parameters.AddWithValue("limit", limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) notes.Add(reader.GetString(0));
        }
        var result = new List<WitnessedCheckpoint>();
        foreach (var note in notes)
        {
            var size = SignedNote.TryParse(note) is { } own && Checkpoint.TryParse(own.Text) is { } read ? read.Size : -1;
            var served = WitnessStore.WithCosignatures(note, await WitnessStore.ReadAsync(connection, tables, size, ct));
            if (SignedNote.TryParse(served) is not { } signed || Checkpoint.TryParse(signed.Text) is not { } checkpoint) continue;
            var cosignatures = Of(served, directory, now);
            result.Add(new WitnessedCheckpoint(checkpoint.Size, checkpoint.Time, directory.Witnesses.Count > 0 && cosignatures.Count >= directory.Quorum, cosignatures));
        }
        return result;
    }
}

public static class WitnessedCheckpointsEndpoint
{
    /// <summary>
    /// The latest signed checkpoints (<c>limit</c>, default 10, at most 100), latest first, each with the configured witnesses
    /// that cosigned it, when, and whether that makes the quorum.
    /// </summary>
    [WolverineGet("/api/audit/witnesses/checkpoints", OperationId = "getWitnessedCheckpoints"), Tags("Audit"), AllowAnonymous]
    [ProducesResponseType<WitnessedCheckpointList>(200)]
    public static async Task<IResult> Get(int? limit, WitnessDirectory directory, AuditTables tables, TimeProvider clock, CancellationToken ct)
    {
        if (limit is < 1 or > WitnessedCheckpoints.MaxLimit)
            return Problems.Invalid($"limit lies between 1 and {WitnessedCheckpoints.MaxLimit}.").ToResult();
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var checkpoints = await WitnessedCheckpoints.LatestAsync(connection, tables, directory, limit ?? 10, clock.GetUtcNow(), ct);
        return Results.Ok(new WitnessedCheckpointList(directory.Quorum, directory.Witnesses.Select(w => w.Key.ToString()).ToList(), checkpoints));
    }
}
