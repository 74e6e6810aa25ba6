using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace BundLaenderKoordination.Audit;

/// <summary>Signature algorithms a note key may name, as the signed-note key hash encodes them.</summary>
public static class NoteAlgorithms
{
    public const byte Ed25519 = 0x01;

    public static string Name(byte algorithm) => algorithm switch
    {
        Ed25519 => "Ed25519",
        _ => $"unknown (0x{algorithm:x2})",
    };
}

/// <summary>
/// A public key that verifies note signatures, written "name+keyid+base64(algorithm || key)" as C2SP signed-note verifier
/// keys are. The key id is the first four bytes of SHA-256(name || "\n" || algorithm || key).
/// </summary>
public sealed record VerifierKey(string Name, uint KeyId, byte Algorithm, byte[] PublicKey)
{
    public static VerifierKey Create(string name, byte algorithm, byte[] publicKey) =>
        new(name, ComputeKeyId(name, algorithm, publicKey), algorithm, publicKey);

    public static uint ComputeKeyId(string name, byte algorithm, byte[] publicKey)
    {
        var input = Encoding.UTF8.GetBytes(name + "\n").Concat([algorithm]).Concat(publicKey).ToArray();
        var hash = SHA256.HashData(input);
        return (uint)(hash[0] << 24 | hash[1] << 16 | hash[2] << 8 | hash[3]);
    }

    public string KeyIdHex => KeyId.ToString("x8");

    public override string ToString() => $"{Name}+{KeyIdHex}+{Convert.ToBase64String([Algorithm, .. PublicKey])}";

    /// <summary>The length of an Ed25519 public key.</summary>
    public const int Ed25519KeyLength = 32;

    public static VerifierKey? TryParse(string text) => TryParse(text, out _);

    /// <summary>
    /// Reads a verifier key strictly: "name+keyid+base64(algorithm || key)" with nothing around it, a valid key name
    /// (non-empty, no whitespace, no '+'), the key id as 8 lowercase hex digits equal to the id computed from name,
    /// algorithm and key, canonical base64, the algorithm Ed25519 (0x01, the only one this verifier checks) and a
    /// 32-byte key that is a valid Ed25519 point. <paramref name="problem"/> says why not. Never throws.
    /// </summary>
    public static VerifierKey? TryParse(string? text, out string? problem)
    {
        problem = Parse(text, out var key);
        return key;
    }

    private static string? Parse(string? text, out VerifierKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(text)) return "The key is empty.";
        var parts = text.Split('+', 3);
        if (parts.Length != 3) return "A verifier key is name+keyid+base64(algorithm || key).";
        if (NoteEncoding.InvalidKeyName(parts[0]) is { } name) return name;
        if (parts[1].Length != 8 || parts[1].Any(c => c is not (>= '0' and <= '9' or >= 'a' and <= 'f')))
            return "A key id is 8 lowercase hexadecimal digits.";
        var payload = NoteEncoding.TryBase64(parts[2]);
        if (payload is null || payload.Length == 0) return "The key is not canonical base64.";
        if (payload[0] != NoteAlgorithms.Ed25519) return $"The key's algorithm is {NoteAlgorithms.Name(payload[0])}; only Ed25519 (0x01) is supported.";
        if (payload.Length != 1 + Ed25519KeyLength) return $"An Ed25519 key has {Ed25519KeyLength} bytes, not {payload.Length - 1}.";
        try { _ = new Ed25519PublicKeyParameters(payload, 1); }
        catch (ArgumentException) { return "The key is not a valid Ed25519 public key."; }
        var parsed = Create(parts[0], payload[0], payload[1..]);
        if (parsed.KeyIdHex != parts[1]) return $"The key id {parts[1]} is not the id of that name and key ({parsed.KeyIdHex}).";
        key = parsed;
        return null;
    }

    public bool Verify(string text, byte[] signature)
    {
        if (Algorithm != NoteAlgorithms.Ed25519 || PublicKey.Length != Ed25519KeyLength || signature.Length != 64) return false;
        try
        {
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(PublicKey));
            var message = Encoding.UTF8.GetBytes(text);
            verifier.BlockUpdate(message, 0, message.Length);
            return verifier.VerifySignature(signature);
        }
        catch (ArgumentException)
        {
            // Not a point on the curve: nothing verifies with it.
            return false;
        }
    }
}

/// <summary>Something that signs notes: the service's key, a witness, or (in tests) a rogue key.</summary>
public interface INoteSigner
{
    VerifierKey VerifierKey { get; }
    byte[] Sign(byte[] message);
}

public static class NoteSigning
{
    public static SignedNote Sign(string text, INoteSigner signer) =>
        new(text, [new NoteSignature(signer.VerifierKey.Name, signer.VerifierKey.KeyId, signer.Sign(Encoding.UTF8.GetBytes(text)))]);
}

/// <summary>An Ed25519 note signer on BouncyCastle, for tools and tests; the service signs with its own key store.</summary>
public sealed class BouncyCastleEd25519Signer : INoteSigner
{
    private readonly Ed25519PrivateKeyParameters _key;

    public BouncyCastleEd25519Signer(string name, byte[] seed)
    {
        _key = new Ed25519PrivateKeyParameters(seed);
        VerifierKey = VerifierKey.Create(name, NoteAlgorithms.Ed25519, _key.GeneratePublicKey().GetEncoded());
    }

    public static BouncyCastleEd25519Signer Generate(string name) => new(name, RandomNumberGenerator.GetBytes(32));

    public VerifierKey VerifierKey { get; }

    public byte[] Sign(byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }
}
