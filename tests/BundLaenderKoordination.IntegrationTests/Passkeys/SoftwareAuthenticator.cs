using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;

namespace BundLaenderKoordination.IntegrationTests.Passkeys;

/// <summary>
/// A WebAuthn authenticator in software, as a delegate's device would be: an ES256 key on P-256 that never leaves it,
/// attestation "none" on registration, and assertions (authenticator data, client data JSON, signature) over a
/// challenge. It speaks for the origin and relying party the service is configured with.
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    public const string Origin = "http://localhost:5180";
    public const string RelyingPartyId = "localhost";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private uint _counter;

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);
    public string CredentialIdText => Base64UrlText.Encode(CredentialId);

    /// <summary>The answer to the creation options of <c>POST /api/passkeys/registration-options</c>.</summary>
    public object Attest(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!;
        var challenge = options["challenge"]!.GetValue<string>();
        var clientData = ClientData("webauthn.create", challenge);

        var parameters = _key.ExportParameters(false);
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1); cose.WriteInt32(2); // kty: EC2
        cose.WriteInt32(3); cose.WriteInt32(-7); // alg: ES256
        cose.WriteInt32(-1); cose.WriteInt32(1); // crv: P-256
        cose.WriteInt32(-2); cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3); cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();

        var authenticatorData = new List<byte>(AuthenticatorData(flags: 0x01 | 0x04 | 0x40, counter: 0));
        authenticatorData.AddRange(new byte[16]); // AAGUID: none
        authenticatorData.Add((byte)(CredentialId.Length >> 8));
        authenticatorData.Add((byte)CredentialId.Length);
        authenticatorData.AddRange(CredentialId);
        authenticatorData.AddRange(cose.Encode());

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt"); attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt"); attestation.WriteStartMap(0); attestation.WriteEndMap();
        attestation.WriteTextString("authData"); attestation.WriteByteString(authenticatorData.ToArray());
        attestation.WriteEndMap();

        return new
        {
            id = CredentialIdText,
            clientDataJson = Base64UrlText.Encode(clientData),
            attestationObject = Base64UrlText.Encode(attestation.Encode()),
        };
    }

    /// <summary>An assertion over <paramref name="challenge"/>, as the service expects it in an act's "signature" (with the statement's nonce).</summary>
    public object Assert(byte[] challenge, string? nonce = null)
    {
        var clientData = ClientData("webauthn.get", Base64UrlText.Encode(challenge));
        var authenticatorData = AuthenticatorData(flags: 0x01 | 0x04, counter: ++_counter);
        var signed = authenticatorData.Concat(SHA256.HashData(clientData)).ToArray();
        var signature = _key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new
        {
            credentialId = CredentialIdText,
            authenticatorData = Base64UrlText.Encode(authenticatorData),
            clientDataJson = Base64UrlText.Encode(clientData),
            signature = Base64UrlText.Encode(signature),
            nonce,
        };
    }

    /// <summary>An assertion over the canonical statement of an act, sent with the statement's nonce.</summary>
    public object Sign(SignedActStatement statement) => Assert(statement.Challenge(), statement.Nonce);

    /// <summary>A fresh nonce for a statement: 16 random bytes, base64url.</summary>
    public static string NewNonce() => Base64UrlText.Encode(RandomNumberGenerator.GetBytes(16));

    private static byte[] ClientData(string type, string challenge) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, challenge, origin = Origin, crossOrigin = false }));

    private static byte[] AuthenticatorData(byte flags, uint counter)
    {
        var data = new List<byte>(SHA256.HashData(Encoding.UTF8.GetBytes(RelyingPartyId))) { flags };
        data.AddRange([(byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter]);
        return data.ToArray();
    }

    public void Dispose() => _key.Dispose();
}
