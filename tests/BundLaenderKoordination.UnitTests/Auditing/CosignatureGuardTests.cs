using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The edges of witness keys and cosignature lines, one check at a time against a line that holds otherwise: a line
/// counts only with the witness's name and key id both, exactly 8 + 64 bytes and a time that fits; an answer counts only
/// when it ends in a newline and belongs to this checkpoint; each witness's line is added to a note once.
/// </summary>
public sealed class CosignatureGuardTests
{
    private static readonly Cosigner Witness = TestWitnesses.Hesse;
    private const string Body = "test/log\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";

    [Fact]
    public void A_cosignature_counts_only_with_the_witness_name_and_key_id_both()
    {
        var line = Witness.Cosign(Body, 1_764_400_000);
        Witness.Key.Verify(Body, line).ShouldBe(1_764_400_000);
        Witness.Key.Verify(Body, line with { KeyName = "witness.test/by" }).ShouldBeNull();
        Witness.Key.Verify(Body, line with { KeyId = line.KeyId ^ 1 }).ShouldBeNull();
        Witness.Key.Names(line with { KeyId = line.KeyId ^ 1 }).ShouldBeFalse();
        Witness.Key.Names(line with { KeyName = "x" }).ShouldBeFalse();
    }

    [Fact]
    public void A_cosignature_of_another_length_or_with_a_time_beyond_the_signed_range_counts_for_nothing()
    {
        var line = Witness.Cosign(Body, 1_764_400_000);
        Witness.Key.Verify(Body, line with { Signature = line.Signature[..^1] }).ShouldBeNull();
        Witness.Key.Verify(Body, line with { Signature = [.. line.Signature, 0] }).ShouldBeNull();
        // The time field with its top bit set is beyond 2^63 - 1: refused before any arithmetic on it.
        var beyond = line.Signature.ToArray();
        beyond[0] = 0x80;
        Witness.Key.Verify(Body, line with { Signature = beyond }).ShouldBeNull();
        // The largest time that fits is read as such (and does not verify, being another message).
        var largest = line.Signature.ToArray();
        largest[0] = 0x7F;
        for (var i = 1; i < 8; i++) largest[i] = 0xFF;
        Witness.Key.Verify(Body, line with { Signature = largest }).ShouldBeNull();
    }

    [Fact]
    public void A_witness_answer_counts_only_when_it_ends_in_a_newline_and_holds_a_line_of_this_witness_over_this_checkpoint()
    {
        var line = Witness.Cosign(Body, 1_764_400_000);
        var answer = $"\u2014 {line.KeyName} {Convert.ToBase64String([.. BitConverter.GetBytes(line.KeyId).Reverse(), .. line.Signature])}\n";
        Cosignatures.Accept(Body, answer, Witness.Key).ShouldHaveSingleItem().Signature.ShouldBe(line.Signature);
        Cosignatures.Accept(Body, answer.TrimEnd('\n'), Witness.Key).ShouldBeEmpty();
        Cosignatures.Accept(Body, "", Witness.Key).ShouldBeEmpty();
        Cosignatures.Accept(Body, "nonsense\n", Witness.Key).ShouldBeEmpty();
        Cosignatures.Accept(Body.Replace("\n5\n", "\n6\n"), answer, Witness.Key).ShouldBeEmpty();
    }

    [Fact]
    public void A_witness_key_is_read_strictly_and_never_throws()
    {
        var text = Witness.Key.ToString();
        CosignerKey.TryParse(text).ShouldBe(Witness.Key with { }, new CosignerKeyComparer());
        var parts = text.Split('+', 3);
        CosignerKey.TryParse($"{parts[0]}+{parts[1]}+", out var empty).ShouldBeNull();
        empty.ShouldBe("The key is not canonical base64.");
        CosignerKey.TryParse($"{parts[0]}+{parts[1]}+{Convert.ToBase64String([0x04, .. new byte[33]])}", out var longer).ShouldBeNull();
        longer.ShouldBe("An Ed25519 key has 32 bytes, not 33.");
        CosignerKey.TryParse($"{parts[0]}+{parts[1]}+{Convert.ToBase64String([0x04, .. new byte[31]])}", out var shorter).ShouldBeNull();
        shorter.ShouldBe("An Ed25519 key has 32 bytes, not 31.");
        CosignerKey.TryParse($"{parts[0]}+00000000+{parts[2]}", out var wrongId).ShouldBeNull();
        wrongId!.ShouldContain($"is not the id of that name and key ({parts[1]})");
    }

    [Fact]
    public void Each_witness_line_is_added_to_a_note_once()
    {
        var log = new BouncyCastleEd25519Signer("test/log", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var note = NoteSigning.Sign(Body, log).ToString();
        var line = Witness.Cosign(Body, 1_764_400_000);
        var other = new Cosigner("witness.test/he", Enumerable.Range(10, 32).Select(i => (byte)i).ToArray()).Cosign(Body, 1_764_400_000);
        var once = Cosignatures.AddTo(note, [line, line with { Signature = Witness.Cosign(Body, 1_764_400_001).Signature }]);
        SignedNote.TryParse(once)!.Signatures.Count.ShouldBe(2);
        // Same name, another key: another witness, added.
        SignedNote.TryParse(Cosignatures.AddTo(once, [other]))!.Signatures.Count.ShouldBe(3);
        // Same key id, another name: added as well.
        SignedNote.TryParse(Cosignatures.AddTo(once, [line with { KeyName = "witness.test/sn" }]))!.Signatures.Count.ShouldBe(3);
    }

    private sealed class CosignerKeyComparer : IEqualityComparer<CosignerKey>
    {
        public bool Equals(CosignerKey? x, CosignerKey? y) =>
            x is not null && y is not null && x.Name == y.Name && x.KeyId == y.KeyId && x.PublicKey.AsSpan().SequenceEqual(y.PublicKey);
        public int GetHashCode(CosignerKey obj) => obj.Name.GetHashCode();
    }
}
