using System.Security.Cryptography;
using System.Text;
using BundLaenderKoordination.Audit;
using Org.BouncyCastle.Crypto.Parameters;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The edges of log and witness keys, signed notes and cosignatures, each against an expectation written out here: the
/// key id as the first four bytes of SHA-256 over name, newline, type and key; the reason a key is refused, in words an
/// operator can act on; a key that is no Ed25519 point verifying nothing; the latest cosignature time that still counts.
/// </summary>
public sealed class NoteKeyEdgeTests
{
    private static readonly byte[] Seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly BouncyCastleEd25519Signer Log = new("log.test", Seed);
    private static readonly Cosigner Witness = new("witness.test/sh", Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
    private const string Body = "test/log\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";

    /// <summary>The key id written out: SHA-256(name || "\n" || type || key), first four bytes, as 8 lower-case hex digits.</summary>
    private static string KeyIdOf(string name, byte type, byte[] key)
    {
        var hash = SHA256.HashData([.. Encoding.UTF8.GetBytes(name), (byte)'\n', type, .. key]);
        return string.Concat(hash[..4].Select(b => b.ToString("x2")));
    }

    /// <summary>32 bytes that are not the encoding of a point on Ed25519 (found by trying; about half of all values are not).</summary>
    private static byte[] NotAPoint()
    {
        for (var i = 2; i < 256; i++)
        {
            var candidate = new byte[32];
            candidate[0] = (byte)i;
            try { _ = new Ed25519PublicKeyParameters(candidate); }
            catch (ArgumentException) { return candidate; }
        }
        throw new InvalidOperationException("No invalid point found.");
    }

    private static string KeyText(string name, string id, byte type, byte[] key) => $"{name}+{id}+{Convert.ToBase64String([type, .. key])}";

    [Fact]
    public void A_log_key_and_a_witness_key_are_written_with_the_key_id_of_their_name_type_and_key()
    {
        var logKey = Log.VerifierKey.PublicKey;
        Log.VerifierKey.ToString().ShouldBe(KeyText("log.test", KeyIdOf("log.test", 0x01, logKey), 0x01, logKey));
        var witnessKey = Witness.Key.PublicKey;
        Witness.Key.KeyIdHex.ShouldBe(KeyIdOf("witness.test/sh", 0x04, witnessKey));
        Witness.Key.ToString().ShouldBe(KeyText("witness.test/sh", KeyIdOf("witness.test/sh", 0x04, witnessKey), 0x04, witnessKey));
    }

    [Fact]
    public void The_algorithm_of_a_log_key_is_named_in_words()
    {
        NoteAlgorithms.Name(0x01).ShouldBe("Ed25519");
        NoteAlgorithms.Name(0x04).ShouldBe("unknown (0x04)");
        var key = Log.VerifierKey.PublicKey;
        VerifierKey.TryParse(KeyText("log.test", KeyIdOf("log.test", 0x04, key), 0x04, key), out var problem).ShouldBeNull();
        problem.ShouldBe("The key's algorithm is unknown (0x04); only Ed25519 (0x01) is supported.");
    }

    [Fact]
    public void A_log_key_id_is_exactly_eight_lower_case_hexadecimal_digits()
    {
        var key = Log.VerifierKey.PublicKey;
        var id = KeyIdOf("log.test", 0x01, key);
        foreach (var wrong in new[] { id[..3], id + "0", id.ToUpperInvariant() == id ? "ABCDEF01" : id.ToUpperInvariant(), "0000000g" })
        {
            VerifierKey.TryParse(KeyText("log.test", wrong, 0x01, key), out var problem).ShouldBeNull(wrong);
            problem.ShouldBe("A key id is 8 lowercase hexadecimal digits.", wrong);
        }
        // A well-formed id that is not the id of this name and key says which id it should be.
        VerifierKey.TryParse(KeyText("log.test", "00000000", 0x01, key), out var other).ShouldBeNull();
        other.ShouldBe($"The key id 00000000 is not the id of that name and key ({id}).");
    }

    [Fact]
    public void Key_ids_with_the_letters_a_and_f_are_read()
    {
        // Keys are tried until both edge letters of the hexadecimal range have appeared in an id that is read back.
        var seen = new HashSet<char>();
        for (var i = 0; i < 64 && !(seen.Contains('a') && seen.Contains('f')); i++)
        {
            var signer = new BouncyCastleEd25519Signer($"log{i}.test", SHA256.HashData([(byte)i]));
            var id = KeyIdOf($"log{i}.test", 0x01, signer.VerifierKey.PublicKey);
            var parsed = VerifierKey.TryParse(KeyText($"log{i}.test", id, 0x01, signer.VerifierKey.PublicKey), out var problem);
            problem.ShouldBeNull();
            parsed!.KeyIdHex.ShouldBe(id);
            seen.UnionWith(id);
        }
        seen.ShouldContain('a');
        seen.ShouldContain('f');
    }

    [Fact]
    public void A_log_key_of_the_wrong_length_says_how_many_bytes_it_has()
    {
        var key = Log.VerifierKey.PublicKey;
        VerifierKey.TryParse(KeyText("log.test", KeyIdOf("log.test", 0x01, key[..31]), 0x01, key[..31]), out var shorter).ShouldBeNull();
        shorter.ShouldBe("An Ed25519 key has 32 bytes, not 31.");
        CosignerKey.TryParse(KeyText("w.test", KeyIdOf("w.test", 0x04, [.. key, 7]), 0x04, [.. key, 7]), out var longer).ShouldBeNull();
        longer.ShouldBe("An Ed25519 key has 32 bytes, not 33.");
    }

    [Fact]
    public void A_witness_key_that_is_no_point_on_the_curve_is_refused_and_names_why()
    {
        var bad = NotAPoint();
        CosignerKey.TryParse(KeyText("w.test", KeyIdOf("w.test", 0x04, bad), 0x04, bad), out var problem).ShouldBeNull();
        problem.ShouldBe("The key is not a valid Ed25519 public key.");
        VerifierKey.TryParse(KeyText("log.test", KeyIdOf("log.test", 0x01, bad), 0x01, bad), out var logProblem).ShouldBeNull();
        logProblem.ShouldBe("The key is not a valid Ed25519 public key.");
    }

    [Fact]
    public void A_witness_key_names_each_part_it_lacks()
    {
        CosignerKey.TryParse("", out var empty).ShouldBeNull();
        empty.ShouldBe("The key is empty.");
        CosignerKey.TryParse(null, out var missing).ShouldBeNull();
        missing.ShouldBe("The key is empty.");
        CosignerKey.TryParse("w.test+01020304", out var parts).ShouldBeNull();
        parts.ShouldBe("A witness key is name+keyid+base64(0x04 || key).");
        var key = Witness.Key.PublicKey;
        CosignerKey.TryParse(KeyText("w.test", KeyIdOf("w.test", 0x01, key), 0x01, key), out var type).ShouldBeNull();
        type.ShouldBe("A witness key has the type 0x04 (Ed25519 cosignature/v1), not 0x01.");
        CosignerKey.TryParse("w.test+01020304+AAE", out var base64).ShouldBeNull();
        base64.ShouldBe("The key is not canonical base64.");
        CosignerKey.TryParse(KeyText("w.test", "00000000", 0x04, key), out var id).ShouldBeNull();
        id.ShouldBe($"The key id 00000000 is not the id of that name and key ({KeyIdOf("w.test", 0x04, key)}).");
    }

    [Fact]
    public void A_log_key_of_another_algorithm_or_length_verifies_no_signature_even_a_valid_one()
    {
        var signature = Log.Sign(Encoding.UTF8.GetBytes("text\n"));
        var key = Log.VerifierKey;
        key.Verify("text\n", signature).ShouldBeTrue();
        (key with { Algorithm = 0x04 }).Verify("text\n", signature).ShouldBeFalse();
        (key with { PublicKey = [.. key.PublicKey, 0] }).Verify("text\n", signature).ShouldBeFalse();
        key.Verify("text\n", [.. signature, 0]).ShouldBeFalse();
        key.Verify("text\n", signature[..63]).ShouldBeFalse();
    }

    [Fact]
    public void A_log_key_or_a_witness_key_that_is_no_point_verifies_nothing_and_does_not_throw()
    {
        var bad = NotAPoint();
        new VerifierKey("log.test", 1, NoteAlgorithms.Ed25519, bad).Verify("text\n", new byte[64]).ShouldBeFalse();
        var line = Witness.Cosign(Body, 1_764_400_000);
        new CosignerKey(Witness.Key.Name, Witness.Key.KeyId, bad).Verify(Body, line).ShouldBeNull();
    }

    [Fact]
    public void A_cosignature_at_the_latest_representable_time_counts()
    {
        var line = Witness.Cosign(Body, long.MaxValue);
        Witness.Key.Verify(Body, line).ShouldBe(long.MaxValue);
    }

    [Fact]
    public void An_answer_that_is_null_gives_no_cosignature()
    {
        Cosignatures.Accept(Body, null!, Witness.Key).ShouldBeEmpty();
        Cosignatures.Accept(Body, "", Witness.Key).ShouldBeEmpty();
    }

    [Fact]
    public void Adding_cosignatures_to_something_that_is_no_signed_note_is_refused_in_words()
    {
        var e = Should.Throw<ArgumentException>(() => Cosignatures.AddTo("no note", []));
        e.ParamName.ShouldBe("note");
        e.Message.ShouldStartWith("Not a signed note.");
    }

    [Fact]
    public void A_note_whose_text_is_a_single_newline_is_read_as_such()
    {
        // "\n\n" at the very start: the text is the one newline, the signatures follow (a checkpoint then refuses it).
        var note = SignedNote.TryParse("\n\n\u2014 a AAAAAAA=\n");
        note.ShouldNotBeNull();
        note.Text.ShouldBe("\n");
        note.Signatures.Single().KeyName.ShouldBe("a");
        Checkpoint.TryParse(note.Text).ShouldBeNull();
    }
}
