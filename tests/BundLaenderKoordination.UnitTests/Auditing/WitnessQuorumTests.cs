using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Audit;
using Microsoft.Extensions.Options;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The quorum wherever a checkpoint serves as proof: the bundle's latest, a kept checkpoint and a receipt's checkpoint
/// each say which pinned witnesses cosigned them and whether that makes the quorum; a cosignature dated in the future
/// (beyond the tolerance) does not count, in the verifier and in the service.
/// </summary>
public sealed class WitnessQuorumTests
{
    private static readonly AuditSample.Files Sample = AuditSample.Build();
    private static readonly VerifierKey Key = AuditSample.Signer.VerifierKey;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Cosigner WitnessA = TestWitnesses.Bavaria;
    private static readonly Cosigner WitnessB = TestWitnesses.Hesse;
    private static WitnessPolicy Policy => new([WitnessA.Key, WitnessB.Key], 2) { Now = Now };

    private static AuditBundle Bundle => Sample.InMemory;
    private static string Kept => System.Text.Encoding.UTF8.GetString(Sample.Kept);

    private static string Cosigned(string note, DateTimeOffset at, params Cosigner[] witnesses) => TestWitnesses.Cosigned(note, at, witnesses);

    private static AuditBundle WithLatest(string note) => Bundle with { Checkpoints = [.. Bundle.Checkpoints.SkipLast(1), note] };

    [Fact]
    public void A_cosignature_dated_in_the_future_beyond_the_tolerance_does_not_count()
    {
        var latest = Bundle.Checkpoints[^1];
        var bundle = WithLatest(Cosignatures.AddTo(Cosigned(latest, Now.AddMinutes(-1), WitnessA),
            [WitnessB.Cosign(SignedNote.TryParse(latest)!.Text, Now.AddHours(1).ToUnixTimeSeconds())]));
        var report = BundleVerifier.Verify(bundle, [Key], witnesses: Policy);
        report.Findings.Select(f => f.Code).Order().ShouldBe([FindingCodes.CheckpointNotWitnessed, FindingCodes.CosignatureInvalid]);
        report.Findings.Single(f => f.Code == FindingCodes.CosignatureInvalid).Message.ShouldContain("later than this verifier's clock");
        report.WitnessedBy.ShouldBe([WitnessA.Key.Name + "+" + WitnessA.Key.KeyIdHex]);

        // Within the tolerance (clocks differ a little), or once that time has come, it counts.
        BundleVerifier.Verify(bundle, [Key], witnesses: Policy with { ClockTolerance = TimeSpan.FromHours(2) }).Findings.ShouldBeEmpty();
        BundleVerifier.Verify(bundle, [Key], witnesses: Policy with { Now = Now.AddHours(1) }).Findings.ShouldBeEmpty();
        WitnessPolicy.DefaultClockTolerance.ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Kept_checkpoints_and_receipts_say_which_witnesses_cosigned_them_and_whether_the_quorum_is_met()
    {
        var latest = Cosigned(Bundle.Checkpoints[^1], Now.AddMinutes(-5), WitnessA, WitnessB);
        var kept = Cosigned(Kept, Now.AddMinutes(-30), WitnessA);
        var receipt = Sample.ReceiptInMemory with { Checkpoint = Cosigned(Sample.ReceiptInMemory.Checkpoint, Now.AddMinutes(-10), WitnessA, WitnessB) };

        var report = BundleVerifier.Verify(WithLatest(latest), [Key], [kept], [receipt], witnesses: Policy);
        report.Findings.ShouldBeEmpty();
        report.Witnessing!.Select(w => w.Source).ShouldBe([CheckpointWitnessing.Bundle, CheckpointWitnessing.Kept, CheckpointWitnessing.Receipt]);
        var ofKept = report.Witnessing!.Single(w => w.Source == CheckpointWitnessing.Kept);
        ofKept.QuorumMet.ShouldBeFalse();
        ofKept.CosignedBy.ShouldBe([new WitnessCosigned(WitnessA.Key.Name + "+" + WitnessA.Key.KeyIdHex, Now.AddMinutes(-30))]);
        var ofReceipt = report.Witnessing!.Single(w => w.Source == CheckpointWitnessing.Receipt);
        ofReceipt.Seq.ShouldBe(receipt.Seq);
        ofReceipt.QuorumMet.ShouldBeTrue();
        ofReceipt.CosignedBy.Select(c => c.At).ShouldAllBe(at => at == Now.AddMinutes(-10));

        // A cosignature line on a receipt's checkpoint that does not verify (copied from another checkpoint) is reported.
        var copied = SignedNote.TryParse(kept)!.Signatures.Single(s => s.KeyName == WitnessA.Key.Name);
        var forged = Sample.ReceiptInMemory with { Checkpoint = Cosignatures.AddTo(Sample.ReceiptInMemory.Checkpoint, [copied]) };
        var withForged = BundleVerifier.Verify(WithLatest(latest), [Key], receipts: [forged], witnesses: Policy);
        withForged.Findings.Select(f => f.Code).ShouldBe([FindingCodes.CosignatureInvalid]);
        withForged.Witnessing!.Single(w => w.Source == CheckpointWitnessing.Receipt).CosignedBy.ShouldBeEmpty();

        // Without witness keys nothing about witnesses is said.
        BundleVerifier.Verify(WithLatest(latest), [Key], [kept], [receipt]).Witnessing.ShouldBeNull();
    }

    [Fact]
    public void The_service_keeps_and_shows_only_cosignatures_of_its_witnesses_not_dated_in_the_future()
    {
        var directory = new WitnessDirectory(Options.Create(new WitnessingOptions
        {
            Witnesses =
            [
                new WitnessEndpoint { Url = "http://127.0.0.1:9/", PublicKey = WitnessA.Key.ToString() },
                new WitnessEndpoint { Url = "http://127.0.0.1:10/", PublicKey = WitnessB.Key.ToString() },
            ],
        }));
        directory.Quorum.ShouldBe(2);
        directory.ClockTolerance.ShouldBe(TimeSpan.FromSeconds(60));
        WitnessClock.AheadOf(Now.AddSeconds(60).ToUnixTimeSeconds(), Now, directory.ClockTolerance).ShouldBeNull();
        WitnessClock.AheadOf(Now.AddSeconds(61).ToUnixTimeSeconds(), Now, directory.ClockTolerance).ShouldBe(61);

        var latest = Bundle.Checkpoints[^1];
        var both = Cosigned(latest, Now.AddSeconds(-3), WitnessA, WitnessB);
        var described = WitnessedCheckpoints.Describe(both, directory, Now);
        described.Witnessed.ShouldBeTrue();
        described.Cosignatures.Select(c => (c.Witness, c.CosignedAt)).ShouldBe([(WitnessA.Key.Name, Now.AddSeconds(-3)), (WitnessB.Key.Name, Now.AddSeconds(-3))]);

        var oneAhead = Cosignatures.AddTo(Cosigned(latest, Now, WitnessA),
            [WitnessB.Cosign(SignedNote.TryParse(latest)!.Text, Now.AddMinutes(10).ToUnixTimeSeconds())]);
        var refused = WitnessedCheckpoints.Describe(oneAhead, directory, Now);
        refused.Witnessed.ShouldBeFalse();
        refused.Cosignatures.Select(c => c.Witness).ShouldBe([WitnessA.Key.Name]);
    }
}
