using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>Signed notes and verifier keys as C2SP signed-note specifies them, read strictly and never throwing.</summary>
public sealed class SignedNoteStrictnessTests
{
    private static readonly BouncyCastleEd25519Signer Signer = new("blk.example/log", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string Body = new Checkpoint("blk.example/log", 42, new byte[32], new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero)).Body();
    private static readonly string Note = NoteSigning.Sign(Body, Signer).ToString();

    [Fact]
    public void The_service_s_note_parses()
    {
        SignedNote.TryParse(Note, out var problem).ShouldNotBeNull();
        problem.ShouldBeNull();
    }

    [Theory]
    [InlineData(0x0D)]
    [InlineData(0x09)]
    [InlineData(0x00)]
    [InlineData(0x1B)]
    [InlineData(0x7F)]
    [InlineData(0x85)]
    [InlineData(0x9B)]
    [InlineData(0xD800)] // a lone surrogate: not valid UTF-8
    [InlineData(0xDC00)]
    public void A_note_with_a_control_character_or_a_lone_surrogate_is_refused(int code)
    {
        var bad = ((char)code).ToString();
        SignedNote.TryParse(Note.Insert(5, bad), out var problem).ShouldBeNull();
        problem.ShouldNotBeNull();
        SignedNote.TryParse(Note.Replace("\n", bad + "\n", StringComparison.Ordinal), out _).ShouldBeNull();
    }

    [Fact]
    public void A_note_without_signatures_or_ending_in_an_extra_blank_line_is_refused_without_throwing()
    {
        string[] broken =
        [
            Note + "\n", // an extra blank line at the end
            Body + "\n", // the separator, then nothing
            Body, // no separator
            Note[..^1], // no final newline
            Note.Replace("\u2014 ", "- ", StringComparison.Ordinal), // a hyphen, not an em dash
            Note.Replace("\u2014 ", "\u2014", StringComparison.Ordinal),
            Note.Replace("blk.example/log ", "blk.example/log  ", StringComparison.Ordinal), // two spaces
            Note.Replace("\u2014 blk.example/log", "\u2014 blk example/log", StringComparison.Ordinal),
            Note.Replace("\u2014 blk.example/log", "\u2014 blk+example/log", StringComparison.Ordinal),
            Note + Note[(Note.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)..], // the same key twice
            Note.Insert(Note.Length - 1, " "), // trailing space: not canonical base64
            "", "\n", "\n\n", "\n\n\n",
        ];
        foreach (var note in broken)
        {
            SignedNote.TryParse(note, out var problem).ShouldBeNull(note);
            problem.ShouldNotBeNullOrEmpty();
        }
        SignedNote.TryParse(null, out _).ShouldBeNull();
    }

    [Fact]
    public void A_note_whose_signature_is_spelled_in_non_canonical_base64_is_refused()
    {
        var line = Note[(Note.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)..^1];
        var b64 = line.Split(' ')[2];
        b64.ShouldEndWith("=");
        // Change the last data character's unused low bits: decodes to the same bytes in lenient decoders.
        var last = b64[^2];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var twin = alphabet[alphabet.IndexOf(last) ^ 1];
        SignedNote.TryParse(Note.Replace(b64, b64[..^2] + twin + "=", StringComparison.Ordinal), out _).ShouldBeNull();
    }

    [Fact]
    public void Verifier_keys_are_refused_unless_strictly_well_formed()
    {
        var key = Signer.VerifierKey.ToString();
        VerifierKey.TryParse(key, out var ok).ShouldNotBeNull();
        ok.ShouldBeNull();
        string Payload(byte[] payload) => $"blk.example/log+{VerifierKey.ComputeKeyId("blk.example/log", payload[0], payload[1..]):x8}+{Convert.ToBase64String(payload)}";
        string[] refused =
        [
            Payload([0x02, .. Signer.VerifierKey.PublicKey]), // an unknown algorithm
            Payload([0x01, .. Signer.VerifierKey.PublicKey[..31]]), // 31 bytes
            Payload([0x01, .. Signer.VerifierKey.PublicKey, 0x00]), // 33 bytes
            Payload([0x01, .. Enumerable.Repeat((byte)0xFF, 32)]), // not a point
            key.Replace(Signer.VerifierKey.KeyIdHex, "00000000", StringComparison.Ordinal), // the wrong key id
            key.Replace(Signer.VerifierKey.KeyIdHex, Signer.VerifierKey.KeyIdHex.ToUpperInvariant(), StringComparison.Ordinal) is var upper && upper != key ? upper : "x",
            " " + key, key + " ", key + "\r", "blk example/log+" + key.Split('+', 2)[1], "+" + key.Split('+', 2)[1],
            key.Replace("blk.example/log", "blk.example/lo\tg", StringComparison.Ordinal),
            "", "+", "++", "a+b+c", key[..^1],
        ];
        foreach (var text in refused)
        {
            VerifierKey.TryParse(text, out var problem).ShouldBeNull(text);
            problem.ShouldNotBeNullOrEmpty();
        }
        VerifierKey.TryParse(null, out _).ShouldBeNull();
    }

    [Fact]
    public void A_second_signature_of_the_pinned_key_that_does_not_verify_rejects_the_note()
    {
        var other = new BouncyCastleEd25519Signer("blk.example/log", Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());
        var signed = NoteSigning.Sign(Body, Signer);
        var forged = signed with { Signatures = [.. signed.Signatures, new NoteSignature("blk.example/log", other.VerifierKey.KeyId, new byte[64])] };
        var bundle = new AuditBundle(AuditBundle.CurrentFormat, "blk.example/log", new BundleScope(BundleScope.All, null), DateTimeOffset.UnixEpoch,
            Enumerable.Repeat(Convert.ToBase64String(new byte[32]), 42).ToList(), [], [forged.ToString()], [], []);
        BundleVerifier.Verify(bundle, [Signer.VerifierKey, other.VerifierKey]).Findings.Select(f => f.Code).ShouldContain(FindingCodes.SignatureInvalid);
    }
}
