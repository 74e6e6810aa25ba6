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

    public static VerifierKey? TryParse(string text)
    {
        var parts = text.Trim().Split('+', 3);
        if (parts.Length != 3 || parts[0].Length == 0) return null;
        byte[] payload;
        try { payload = Convert.FromBase64String(parts[2]); }
        catch (FormatException) { return null; }
        if (payload.Length < 2) return null;
        var key = Create(parts[0], payload[0], payload[1..]);
        return key.KeyIdHex == parts[1].ToLowerInvariant() ? key : null;
    }

    public bool Verify(string text, byte[] signature)
    {
        if (Algorithm != NoteAlgorithms.Ed25519 || PublicKey.Length != 32 || signature.Length != 64) return false;
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(PublicKey));
        var message = Encoding.UTF8.GetBytes(text);
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
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
