using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>The witnesses of the audit tests: fixed seeds, so that their keys and key ids are the same in every run.</summary>
internal static class TestWitnesses
{
    public static readonly Cosigner Bavaria = new("witness.test/by", Enumerable.Range(60, 32).Select(i => (byte)i).ToArray());
    public static readonly Cosigner Hesse = new("witness.test/he", Enumerable.Range(90, 32).Select(i => (byte)i).ToArray());

    /// <summary>The note with cosignatures of these witnesses over its own text, made at <paramref name="at"/>.</summary>
    public static string Cosigned(string note, DateTimeOffset at, params Cosigner[] witnesses) =>
        Cosignatures.AddTo(note, witnesses.Select(w => w.Cosign(SignedNote.TryParse(note)!.Text, at.ToUnixTimeSeconds())));
}

/// <summary>Passkeys of the audit tests: their COSE keys and the WebAuthn assertions they make, written out byte by byte.</summary>
internal static class TestPasskeys
{
    /// <summary>The key as COSE (EC2, ES256, P-256).</summary>
    public static byte[] Cose(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        return [0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20, .. q.X!, 0x22, 0x58, 0x20, .. q.Y!];
    }

    /// <summary>A WebAuthn assertion by <paramref name="key"/> over the statement, as stored with an act, with the given signature counter.</summary>
    public static JsonObject Assertion(SignedActStatement statement, ECDsa key, string credentialId, uint counter = 1)
    {
        var clientData = Encoding.UTF8.GetBytes(
            $"{{\"type\":\"webauthn.get\",\"challenge\":\"{Base64UrlText.Encode(SHA256.HashData(statement.CanonicalBytes()))}\",\"origin\":\"http://localhost:5180\"}}");
        byte[] authenticatorData = [.. SHA256.HashData("localhost"u8), 0x05, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter];
        var signature = key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);
        return new JsonObject
        {
            ["credentialId"] = credentialId, ["authenticatorData"] = Base64UrlText.Encode(authenticatorData),
            ["clientDataJson"] = Base64UrlText.Encode(clientData), ["signature"] = Base64UrlText.Encode(signature), ["nonce"] = statement.Nonce,
        };
    }
}
