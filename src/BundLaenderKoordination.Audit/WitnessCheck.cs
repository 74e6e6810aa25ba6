using System.Globalization;

namespace BundLaenderKoordination.Audit;

/// <summary>One pinned witness's valid cosignature of a checkpoint: its key (name+keyid) and the time it states.</summary>
public sealed record WitnessCosigned(string Witness, DateTimeOffset At);

/// <summary>
/// What the pinned witnesses say about one checkpoint the auditor holds: the bundle's latest (<c>bundle</c>), a checkpoint
/// kept from an earlier audit (<c>kept</c>) or the checkpoint of a vote receipt (<c>receipt</c>, with the vote's
/// sequence number): which of them cosigned it (each once) and whether that makes the quorum.
/// </summary>
public sealed record CheckpointWitnessing(string Source, long TreeSize, IReadOnlyList<WitnessCosigned> CosignedBy, int Quorum, bool QuorumMet,
    long? Seq = null)
{
    public const string Bundle = "bundle";
    public const string Kept = "kept";
    public const string Receipt = "receipt";
}

/// <summary>
/// The cosignatures of pinned witnesses on one signed checkpoint note: a line naming a pinned witness key counts when it
/// verifies and its time is not later than the verifier's clock plus <see cref="WitnessPolicy.ClockTolerance"/>; else it
/// is <c>COSIGNATURE_INVALID</c> and does not count. Lines of other keys are ignored.
/// </summary>
public static class WitnessCheck
{
    /// <param name="source">What the checkpoint is to the auditor (<see cref="CheckpointWitnessing.Bundle"/> etc.).</param>
    /// <param name="what">How the findings name the checkpoint ("the checkpoint of size 12").</param>
    /// <param name="checkpoint">The checkpoint as read from <paramref name="note"/>.</param>
    /// <param name="note">The signed note carrying the log's signature and the cosignature lines.</param>
    /// <param name="policy">The pinned witnesses, the quorum and the verifier's clock.</param>
    /// <param name="findings">Where <c>COSIGNATURE_INVALID</c> is reported.</param>
    /// <param name="seq">For a receipt: the sequence number of its vote.</param>
    public static CheckpointWitnessing Check(string source, string what, Checkpoint checkpoint, SignedNote note, WitnessPolicy policy,
        List<Finding> findings, long? seq = null)
    {
        var now = (policy.Now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var latestAllowed = now + (long)Math.Ceiling(policy.ClockTolerance.TotalSeconds);
        var cosigned = new List<WitnessCosigned>();
        foreach (var line in note.Signatures)
        {
            var key = (policy.Keys ?? []).FirstOrDefault(k => k is not null && k.Names(line));
            if (key is null) continue;
            var name = key.Name + "+" + key.KeyIdHex;
            var time = key.Verify(note.Text, line);
            if (time is null)
                findings.Add(new(FindingCodes.CosignatureInvalid, $"The cosignature of the witness {name} on {what} does not verify."));
            else if (time.Value > latestAllowed)
                findings.Add(new(FindingCodes.CosignatureInvalid,
                    $"The cosignature of the witness {name} on {what} is dated {Describe(time.Value)}, later than this verifier's clock " +
                    $"({Describe(now)}) by more than {policy.ClockTolerance.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; it does not count."));
            else if (cosigned.All(c => c.Witness != name))
                cosigned.Add(new WitnessCosigned(name, DateTimeOffset.FromUnixTimeSeconds(time.Value)));
        }
        return new CheckpointWitnessing(source, checkpoint.Size, cosigned, policy.Quorum, cosigned.Count >= policy.Quorum, seq);
    }

    private static string Describe(long unixSeconds) =>
        unixSeconds <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
            : unixSeconds.ToString(CultureInfo.InvariantCulture) + " (Unix seconds)";
}
