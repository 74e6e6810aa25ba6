using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The check of pinned witnesses' cosignatures on one checkpoint: which count, the boundary of the verifier's clock plus
/// its tolerance, and the messages of <c>COSIGNATURE_INVALID</c> word for word (with times as an auditor reads them).
/// </summary>
public sealed class WitnessCheckTests
{
    private static readonly BouncyCastleEd25519Signer Log = new("test/log", Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private static readonly Cosigner Witness = TestWitnesses.Bavaria;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Checkpoint Checkpoint = new("test/log", 12, Merkle.HashLeaf("wurzel"u8), Now.AddMinutes(-10));
    private static string Text => Checkpoint.Body();
    private static string Name => "witness.test/by+" + Witness.Key.KeyIdHex;

    private static SignedNote Note(params NoteSignature[] cosignatures) =>
        new(Text, [NoteSigning.Sign(Text, Log).Signatures.Single(), .. cosignatures]);

    private static (CheckpointWitnessing Result, List<Finding> Findings) Check(SignedNote note, WitnessPolicy? policy = null)
    {
        var findings = new List<Finding>();
        var result = WitnessCheck.Check(CheckpointWitnessing.Bundle, "the checkpoint of size 12", Checkpoint, note,
            policy ?? new WitnessPolicy([Witness.Key], 1) { Now = Now }, findings);
        return (result, findings);
    }

    [Fact]
    public void Without_pinned_witness_keys_no_line_counts_and_nothing_is_found()
    {
        var (result, findings) = Check(Note(Witness.Cosign(Text, Now.ToUnixTimeSeconds())), new WitnessPolicy(null!, 1) { Now = Now });
        findings.ShouldBeEmpty();
        result.ShouldBe(new CheckpointWitnessing(CheckpointWitnessing.Bundle, 12, result.CosignedBy, 1, false));
        result.CosignedBy.ShouldBeEmpty();
    }

    [Fact]
    public void A_cosignature_that_does_not_verify_is_reported_naming_the_witness_and_the_checkpoint()
    {
        var (result, findings) = Check(Note(Witness.Cosign("test/log\n11\nAAAA\n", Now.ToUnixTimeSeconds())));
        findings.ShouldBe([new Finding(FindingCodes.CosignatureInvalid, $"The cosignature of the witness {Name} on the checkpoint of size 12 does not verify.")]);
        result.QuorumMet.ShouldBeFalse();
    }

    [Fact]
    public void A_cosignature_dated_exactly_at_the_clock_plus_the_tolerance_counts_one_second_later_it_does_not()
    {
        var policy = new WitnessPolicy([Witness.Key], 1) { Now = Now, ClockTolerance = TimeSpan.FromSeconds(300) };
        var (atLimit, none) = Check(Note(Witness.Cosign(Text, Now.AddSeconds(300).ToUnixTimeSeconds())), policy);
        none.ShouldBeEmpty();
        atLimit.CosignedBy.ShouldBe([new WitnessCosigned(Name, Now.AddSeconds(300))]);
        atLimit.QuorumMet.ShouldBeTrue();

        var (beyond, findings) = Check(Note(Witness.Cosign(Text, Now.AddSeconds(301).ToUnixTimeSeconds())), policy);
        beyond.CosignedBy.ShouldBeEmpty();
        findings.ShouldBe([new Finding(FindingCodes.CosignatureInvalid,
            $"The cosignature of the witness {Name} on the checkpoint of size 12 is dated 2026-12-01T12:05:01Z, later than this verifier's clock " +
            "(2026-12-01T12:00:00Z) by more than 300 s; it does not count.")]);
    }

    [Theory]
    [InlineData(253402300799, "9999-12-31T23:59:59Z")]
    [InlineData(253402300800, "253402300800 (Unix seconds)")]
    [InlineData(9223372036854775807, "9223372036854775807 (Unix seconds)")]
    public void A_time_beyond_the_year_9999_is_stated_in_Unix_seconds(long unixSeconds, string stated)
    {
        var (_, findings) = Check(Note(Witness.Cosign(Text, unixSeconds)));
        findings.ShouldHaveSingleItem().Message.ShouldBe(
            $"The cosignature of the witness {Name} on the checkpoint of size 12 is dated {stated}, later than this verifier's clock " +
            "(2026-12-01T12:00:00Z) by more than 300 s; it does not count.");
    }
}
