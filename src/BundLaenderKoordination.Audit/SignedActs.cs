using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// What a delegate approves when they sign an act with their passkey: the act (vote, consent, objection, Protokollerklärung),
/// the resolution, the Land, the choice, the text version and its hash, what the act belongs to (ballot, written
/// procedure or Protokollerklärung; the declaration's own text by its hash), and a nonce the signer chose, so that no two
/// signed acts have the same statement and an assertion cannot be used twice. The WebAuthn challenge is the SHA-256 of
/// <see cref="CanonicalBytes"/>, so the authenticator's signature covers exactly these facts; the service and the
/// offline verifier compute the same bytes from the stored event.
/// </summary>
public sealed record SignedActStatement(string Act, Guid Resolution, string Land, string Choice, int TextVersion, string TextHash, Guid? Ballot,
    string Nonce, string? DeclarationHash = null)
{
    public const string Format = "blk-signed-act/v2";
    public const string Vote = "vote";
    public const string Consent = "consent";
    public const string Objection = "objection";
    public const string Declaration = "declaration";

    /// <summary>A nonce is base64url of 16 to 64 bytes.</summary>
    public static bool IsNonce(string? nonce) => Base64UrlText.TryDecode(nonce) is { Length: >= 16 and <= 64 };

    /// <summary>The hash a declaration statement names: SHA-256 (lower-case hex) of the declaration's text as stored (UTF-8, NFC).</summary>
    public static string HashOfDeclaration(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// One line per fact, LF-terminated, in a fixed order; every value is ASCII (codes, numbers, hashes, ids). The line
    /// naming what the act belongs to says what it is: <c>ballot</c> (a vote), <c>procedure</c> (consent, objection),
    /// <c>declaration</c> (followed by <c>declaration-hash</c>; "none" when the act makes the declaration, which has no id yet).
    /// </summary>
    public byte[] CanonicalBytes() => Encoding.UTF8.GetBytes(
        $"{Format}\nact {Act}\nresolution {Resolution:D}\nland {Land}\nchoice {Choice}\ntext-version {TextVersion}\n" +
        $"text-hash {TextHash}\n{BelongsTo} {(Ballot is { } b ? b.ToString("D") : "none")}\n" +
        (Act == Declaration ? $"declaration-hash {DeclarationHash}\n" : "") +
        $"nonce {Nonce}\n");

    private string BelongsTo => Act switch
    {
        Consent or Objection => "procedure",
        Declaration => "declaration",
        _ => "ballot",
    };

    /// <summary>The WebAuthn challenge an assertion over this act carries: SHA-256 of the canonical bytes.</summary>
    public byte[] Challenge() => SHA256.HashData(CanonicalBytes());
}

/// <summary>A WebAuthn assertion as stored with a signed act: base64url of the credential id and the three signed parts, and the signer's nonce.</summary>
public sealed record ActSignatureParts(string CredentialId, string AuthenticatorData, string ClientDataJson, string Signature, string Nonce = "");

/// <summary>
/// Checks a WebAuthn assertion offline with nothing but the credential's public key (COSE, ES256 on P-256): the client
/// data is a <c>webauthn.get</c> over the act's challenge, the authenticator saw the user present, and the signature over
/// <c>authenticatorData || SHA-256(clientDataJSON)</c> verifies. Returns null when it holds, else what failed.
/// </summary>
public static class WebAuthnAssertion
{
    public const int Es256 = -7;

    /// <summary>The authenticator's signature counter (bytes 33 to 36 of the authenticator data, big-endian); null when unreadable.</summary>
    public static uint? SignCount(string? authenticatorData) =>
        Base64UrlText.TryDecode(authenticatorData) is { Length: >= 37 } data
            ? (uint)(data[33] << 24 | data[34] << 16 | data[35] << 8 | data[36])
            : null;

    public static string? Check(ActSignatureParts signature, byte[] coseKey, byte[] expectedChallenge)
    {
        var authenticatorData = Base64UrlText.TryDecode(signature.AuthenticatorData);
        var clientData = Base64UrlText.TryDecode(signature.ClientDataJson);
        var der = Base64UrlText.TryDecode(signature.Signature);
        if (authenticatorData is null || clientData is null || der is null) return "a part of the assertion is not base64url";
        if (authenticatorData.Length < 37) return "the authenticator data is too short";
        if ((authenticatorData[32] & 0x01) == 0) return "the authenticator did not see the user present";
        string? type, challenge;
        try
        {
            using var json = JsonDocument.Parse(clientData);
            type = json.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            challenge = json.RootElement.TryGetProperty("challenge", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        catch (JsonException)
        {
            return "the client data is not JSON";
        }
        if (type != "webauthn.get") return $"the client data is of type '{type}', not an assertion";
        if (challenge is null || Base64UrlText.TryDecode(challenge) is not { } signedChallenge || !signedChallenge.AsSpan().SequenceEqual(expectedChallenge))
            return "the assertion was made over another statement (its challenge is not the hash of this act)";
        using var key = CoseKey.ToEcdsa(coseKey, out var problem);
        if (key is null) return problem;
        var signed = new byte[authenticatorData.Length + 32];
        authenticatorData.CopyTo(signed, 0);
        SHA256.HashData(clientData).CopyTo(signed, authenticatorData.Length);
        try
        {
            return key.VerifyData(signed, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence) ? null : "the signature does not verify with the registered key";
        }
        catch (CryptographicException)
        {
            return "the signature is malformed";
        }
    }
}

/// <summary>The EC2 public keys of COSE (RFC 9053) that WebAuthn ES256 credentials carry, read without a CBOR library.</summary>
public static class CoseKey
{
    public static ECDsa? ToEcdsa(byte[] cose, out string? problem)
    {
        problem = null;
        Dictionary<long, object>? map;
        try { map = ReadMap(cose); }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            problem = "the registered key is not a COSE key";
            return null;
        }
        long? Number(long label) => map is not null && map.TryGetValue(label, out var v) && v is long n ? n : null;
        byte[]? Coordinate(long label) => map is not null && map.TryGetValue(label, out var v) && v is byte[] { Length: 32 } b ? b : null;
        var (xb, yb) = (Coordinate(-2), Coordinate(-3));
        // kty 2 (EC2), crv 1 (P-256), alg -7 (ES256) when stated.
        if (Number(1) != 2 || Number(-1) != 1 || xb is null || yb is null || (map!.ContainsKey(3) && Number(3) != WebAuthnAssertion.Es256))
        {
            problem = "the registered key is not an ES256 key on P-256";
            return null;
        }
        try
        {
            return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = xb, Y = yb } });
        }
        catch (CryptographicException)
        {
            problem = "the registered key is not a point on P-256";
            return null;
        }
    }

    // A CBOR map of small integer keys to integers or byte strings: what a COSE EC2 key holds.
    private static Dictionary<long, object>? ReadMap(byte[] cbor)
    {
        var at = 0;
        var (major, count) = Head(cbor, ref at);
        if (major != 5) return null;
        var map = new Dictionary<long, object>();
        for (ulong i = 0; i < count; i++)
        {
            var key = ReadItem(cbor, ref at);
            var value = ReadItem(cbor, ref at);
            if (key is long k) map[k] = value;
        }
        return map;
    }

    private static object ReadItem(byte[] cbor, ref int at)
    {
        var (major, value) = Head(cbor, ref at);
        switch (major)
        {
            case 0: return (long)value;
            case 1: return -1 - (long)value;
            case 2 or 3:
                if (value > (ulong)(cbor.Length - at)) throw new FormatException("string beyond the end");
                var bytes = cbor.AsSpan(at, (int)value).ToArray();
                at += (int)value;
                return bytes;
            default: throw new FormatException($"CBOR major type {major} in a COSE key");
        }
    }

    private static (int Major, ulong Value) Head(byte[] cbor, ref int at)
    {
        var initial = cbor[at++];
        var (major, info) = (initial >> 5, initial & 0x1F);
        ulong value = info switch
        {
            < 24 => (ulong)info,
            24 => cbor[at],
            25 => (ulong)(cbor[at] << 8 | cbor[at + 1]),
            26 => (ulong)cbor[at] << 24 | (ulong)cbor[at + 1] << 16 | (ulong)cbor[at + 2] << 8 | cbor[at + 3],
            _ => throw new FormatException("unsupported CBOR length"),
        };
        at += info switch { < 24 => 0, 24 => 1, 25 => 2, _ => 4 };
        return (major, value);
    }
}

/// <summary>Base64url without padding (RFC 4648 §5), as WebAuthn uses it.</summary>
public static class Base64UrlText
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[]? TryDecode(string? text)
    {
        if (text is null || text.Contains('=') || text.Contains('+') || text.Contains('/')) return null;
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        try { return Convert.FromBase64String(padded); }
        catch (FormatException) { return null; }
    }
}
