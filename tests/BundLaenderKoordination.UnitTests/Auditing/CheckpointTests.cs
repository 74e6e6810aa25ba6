using System.Text;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

public sealed class CheckpointTests
{
    private static readonly BouncyCastleEd25519Signer Signer = new("blk.example/log", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static Checkpoint Sample => new("blk.example/log", 42, Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray(),
        new DateTimeOffset(2026, 11, 29, 5, 0, 0, 123, TimeSpan.Zero));

    [Fact]
    public void A_checkpoint_body_has_origin_size_root_and_time_lines_and_parses_back()
    {
        var body = Sample.Body();
        body.ShouldBe("blk.example/log\n42\nAAMGCQwPEhUYGx4hJCcqLTAzNjk8P0JFSEtOUVRXWl0=\ntime 2026-11-29T05:00:00.123Z\n");
        var parsed = Checkpoint.TryParse(body)!;
        parsed.SameTree(Sample).ShouldBeTrue();
        parsed.Time.ShouldBe(Sample.Time);
    }

    [Fact]
    public void A_signed_note_verifies_with_its_key_and_fails_when_any_line_changes()
    {
        var note = NoteSigning.Sign(Sample.Body(), Signer).ToString();
        note.ShouldStartWith(Sample.Body() + "\n\u2014 blk.example/log ");

        var parsed = SignedNote.TryParse(note)!;
        parsed.Text.ShouldBe(Sample.Body());
        parsed.Signatures.Single().KeyId.ShouldBe(Signer.VerifierKey.KeyId);
        Signer.VerifierKey.Verify(parsed.Text, parsed.Signatures[0].Signature).ShouldBeTrue();

        var altered = SignedNote.TryParse(note.Replace("\n42\n", "\n43\n", StringComparison.Ordinal))!;
        Signer.VerifierKey.Verify(altered.Text, altered.Signatures[0].Signature).ShouldBeFalse();
    }

    [Fact]
    public void A_verifier_key_names_its_algorithm_and_key_id_and_parses_back()
    {
        var text = Signer.VerifierKey.ToString();
        text.ShouldStartWith($"blk.example/log+{Signer.VerifierKey.KeyIdHex}+");
        Convert.FromBase64String(text.Split('+', 3)[2])[0].ShouldBe(NoteAlgorithms.Ed25519);
        var parsed = VerifierKey.TryParse(text)!;
        parsed.KeyId.ShouldBe(Signer.VerifierKey.KeyId);
        parsed.PublicKey.ShouldBe(Signer.VerifierKey.PublicKey);
        VerifierKey.TryParse(text.Replace(Signer.VerifierKey.KeyIdHex, "00000000", StringComparison.Ordinal)).ShouldBeNull();
    }

    [Fact]
    public void A_rogue_key_of_the_same_name_has_another_key_id()
    {
        var rogue = BouncyCastleEd25519Signer.Generate("blk.example/log");
        rogue.VerifierKey.KeyId.ShouldNotBe(Signer.VerifierKey.KeyId);
        var sig = rogue.Sign(Encoding.UTF8.GetBytes(Sample.Body()));
        Signer.VerifierKey.Verify(Sample.Body(), sig).ShouldBeFalse();
    }
}
