using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// The public key of a witness (a cosigner, C2SP tlog-cosignature), written as a signed-note verifier key with the
/// signature type 0x04: "name+keyid+base64(0x04 || 32-byte Ed25519 key)". The key id is the first four bytes of
/// SHA-256(name || "\n" || 0x04 || key); a cosignature line carries that name and id.
/// </summary>
public sealed record CosignerKey(string Name, uint KeyId, byte[] PublicKey)
{
    /// <summary>The signature type of an Ed25519 cosignature/v1 in a verifier key and its key id.</summary>
    public const byte Type = 0x04;

    public static CosignerKey Create(string name, byte[] publicKey) => new(name, VerifierKey.ComputeKeyId(name, Type, publicKey), publicKey);

    public string KeyIdHex => KeyId.ToString("x8", CultureInfo.InvariantCulture);

    public override string ToString() => $"{Name}+{KeyIdHex}+{Convert.ToBase64String([Type, .. PublicKey])}";

    public static CosignerKey? TryParse(string? text) => TryParse(text, out _);

    /// <summary>
    /// Reads a witness key strictly, as <see cref="VerifierKey.TryParse(string?, out string?)"/> reads a log key but with
    /// the type 0x04. <paramref name="problem"/> says why not. Never throws.
    /// </summary>
    public static CosignerKey? TryParse(string? text, out string? problem)
    {
        problem = Parse(text, out var key);
        return key;
    }

    private static string? Parse(string? text, out CosignerKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(text)) return "The key is empty.";
        var parts = text.Split('+', 3);
        if (parts.Length != 3) return "A witness key is name+keyid+base64(0x04 || key).";
        if (NoteEncoding.InvalidKeyName(parts[0]) is { } name) return name;
        var payload = NoteEncoding.TryBase64(parts[2]);
        if (payload is null || payload.Length == 0) return "The key is not canonical base64.";
        if (payload[0] != Type) return $"A witness key has the type 0x04 (Ed25519 cosignature/v1), not 0x{payload[0]:x2}.";
        if (payload.Length != 1 + VerifierKey.Ed25519KeyLength) return $"An Ed25519 key has {VerifierKey.Ed25519KeyLength} bytes, not {payload.Length - 1}.";
        try { _ = new Ed25519PublicKeyParameters(payload, 1); }
        catch (ArgumentException) { return "The key is not a valid Ed25519 public key."; }
        var parsed = Create(parts[0], payload[1..]);
        if (parsed.KeyIdHex != parts[1]) return $"The key id {parts[1]} is not the id of that name and key ({parsed.KeyIdHex}).";
        key = parsed;
        return null;
    }

    /// <summary>True when the signature line is this key's (same name and key id).</summary>
    public bool Names(NoteSignature signature) => signature.KeyName == Name && signature.KeyId == KeyId;

    /// <summary>
    /// The time (POSIX seconds) of a valid cosignature of this key over the checkpoint body, or null when the signature is
    /// not 8 + 64 bytes, its time exceeds 2^63 - 1, or it does not verify.
    /// </summary>
    public long? Verify(string checkpointBody, NoteSignature signature)
    {
        if (!Names(signature) || signature.Signature.Length != 8 + 64) return null;
        var time = BinaryPrimitives.ReadUInt64BigEndian(signature.Signature);
        if (time > long.MaxValue) return null;
        try
        {
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(PublicKey));
            var message = Cosignatures.Message(checkpointBody, (long)time);
            verifier.BlockUpdate(message, 0, message.Length);
            return verifier.VerifySignature(signature.Signature[8..]) ? (long)time : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>The cosignature/v1 message and lines (C2SP tlog-cosignature).</summary>
public static class Cosignatures
{
    /// <summary>"cosignature/v1\ntime &lt;seconds&gt;\n" followed by the whole checkpoint body, as UTF-8.</summary>
    public static byte[] Message(string checkpointBody, long unixSeconds) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {unixSeconds.ToString(CultureInfo.InvariantCulture)}\n{checkpointBody}");

    /// <summary>
    /// Reads the answer of a witness (one or more signature lines, each "— name base64" ending in a newline) by appending
    /// it to the checkpoint's note, as C2SP tlog-witness suggests; the lines of <paramref name="witness"/> that verify.
    /// </summary>
    public static IReadOnlyList<NoteSignature> Accept(string checkpointBody, string response, CosignerKey witness)
    {
        if (string.IsNullOrEmpty(response) || !response.EndsWith('\n')) return [];
        var note = SignedNote.TryParse(checkpointBody + "\n" + response);
        if (note is null || note.Text != checkpointBody) return [];
        return note.Signatures.Where(s => witness.Verify(checkpointBody, s) is not null).ToList();
    }

    /// <summary>The checkpoint's note with these cosignature lines added after its own signatures (each line once).</summary>
    public static string AddTo(string note, IEnumerable<NoteSignature> cosignatures)
    {
        var signed = SignedNote.TryParse(note) ?? throw new ArgumentException("Not a signed note.", nameof(note));
        var lines = signed.Signatures.ToList();
        foreach (var cosignature in cosignatures)
            if (!lines.Any(s => s.KeyName == cosignature.KeyName && s.KeyId == cosignature.KeyId))
                lines.Add(cosignature);
        return new SignedNote(signed.Text, lines).ToString();
    }
}

/// <summary>A witness's own key: signs cosignature/v1 lines over checkpoint bodies.</summary>
public sealed class Cosigner
{
    private readonly Ed25519PrivateKeyParameters _key;

    public Cosigner(string name, byte[] seed)
    {
        if (NoteEncoding.InvalidKeyName(name) is { } problem) throw new ArgumentException(problem, nameof(name));
        _key = new Ed25519PrivateKeyParameters(seed);
        Key = CosignerKey.Create(name, _key.GeneratePublicKey().GetEncoded());
    }

    public static Cosigner Generate(string name) => new(name, RandomNumberGenerator.GetBytes(32));

    public CosignerKey Key { get; }

    /// <summary>The cosignature of the checkpoint body at that time: key name, key id, timestamp (8 bytes) || signature.</summary>
    public NoteSignature Cosign(string checkpointBody, long unixSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        var message = Cosignatures.Message(checkpointBody, unixSeconds);
        signer.BlockUpdate(message, 0, message.Length);
        var payload = new byte[8 + 64];
        BinaryPrimitives.WriteUInt64BigEndian(payload, (ulong)unixSeconds);
        signer.GenerateSignature().CopyTo(payload, 8);
        return new NoteSignature(Key.Name, Key.KeyId, payload);
    }
}
