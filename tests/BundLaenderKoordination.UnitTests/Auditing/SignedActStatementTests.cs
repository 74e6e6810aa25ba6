using System.Security.Cryptography;
using System.Text;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The statement a delegate signs, written out byte by byte (docs/audit.md, signed acts), and the offline check of a
/// WebAuthn assertion, one reason for refusal at a time against an assertion that holds otherwise.
/// </summary>
public sealed class SignedActStatementTests
{
    private static readonly Guid Resolution = Guid.Parse("0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static readonly Guid Ballot = Guid.Parse("0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c");
    private const string Hash = "3f1c9b8a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a";
    private const string Nonce = "AAECAwQFBgcICQoLDA0ODw";

    [Fact]
    public void A_vote_statement_is_these_lines_and_its_challenge_their_SHA_256()
    {
        var statement = new SignedActStatement(SignedActStatement.Vote, Resolution, "DE-BY", "yes", 3, Hash, Ballot, Nonce);
        var expected = "blk-signed-act/v2\nact vote\nresolution 0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\nland DE-BY\nchoice yes\ntext-version 3\n" +
                       $"text-hash {Hash}\nballot 0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c\nnonce {Nonce}\n";
        Encoding.ASCII.GetString(statement.CanonicalBytes()).ShouldBe(expected);
        statement.Challenge().ShouldBe(SHA256.HashData(Encoding.ASCII.GetBytes(expected)));
        Encoding.ASCII.GetString((statement with { Ballot = null }).CanonicalBytes()).ShouldContain("\nballot none\n");
    }

    [Fact]
    public void Consents_name_their_procedure_and_Protokollerklaerungen_their_declaration_and_its_text_hash()
    {
        Encoding.ASCII.GetString(new SignedActStatement(SignedActStatement.Consent, Resolution, "DE-SN", "consent", 3, Hash, Ballot, Nonce).CanonicalBytes())
            .ShouldEndWith($"text-hash {Hash}\nprocedure 0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c\nnonce {Nonce}\n");
        Encoding.ASCII.GetString(new SignedActStatement(SignedActStatement.Objection, Resolution, "DE-SN", "object", 3, Hash, Ballot, Nonce).CanonicalBytes())
            .ShouldContain("\nprocedure 0199a1b2");
        var declarationHash = Convert.ToHexStringLower(SHA256.HashData("Bayern erklärt."u8));
        SignedActStatement.HashOfDeclaration("Bayern erklärt.").ShouldBe(declarationHash);
        Encoding.ASCII.GetString(new SignedActStatement(SignedActStatement.Declaration, Resolution, "DE-BY", "attach", 3, Hash, null, Nonce, declarationHash)
                .CanonicalBytes())
            .ShouldEndWith($"text-hash {Hash}\ndeclaration none\ndeclaration-hash {declarationHash}\nnonce {Nonce}\n");
        // Only a Protokollerklärung names a declaration hash, even if one is given.
        Encoding.ASCII.GetString(new SignedActStatement(SignedActStatement.Vote, Resolution, "DE-BY", "yes", 3, Hash, null, Nonce, declarationHash)
            .CanonicalBytes()).ShouldNotContain("declaration-hash");
    }

    [Theory]
    [InlineData(15, false)]
    [InlineData(16, true)]
    [InlineData(40, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void A_nonce_is_base64url_of_16_to_64_bytes(int bytes, bool valid) =>
        SignedActStatement.IsNonce(Base64UrlText.Encode(new byte[bytes])).ShouldBe(valid);

    [Fact]
    public void A_nonce_that_is_not_base64url_is_none()
    {
        SignedActStatement.IsNonce(null).ShouldBeFalse();
        SignedActStatement.IsNonce(Convert.ToBase64String(new byte[20])).ShouldBeFalse("padding is not base64url");
    }

    [Fact]
    public void The_signature_counter_is_read_big_endian_from_bytes_33_to_36()
    {
        byte[] data = [.. new byte[32], 0x05, 0x81, 0x42, 0x23, 0x04];
        WebAuthnAssertion.SignCount(Base64UrlText.Encode(data)).ShouldBe(0x81422304u);
        WebAuthnAssertion.SignCount(Base64UrlText.Encode(data[..36])).ShouldBeNull();
        WebAuthnAssertion.SignCount("not base64url!").ShouldBeNull();
    }

    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static byte[] Cose(ECDsa key, byte kty = 0x02, byte crv = 0x01, byte alg = 0x26, int coordinate = 32)
    {
        var q = key.ExportParameters(false).Q;
        return [0xA5, 0x01, kty, 0x03, alg, 0x20, crv, 0x21, 0x58, (byte)coordinate, .. q.X![..coordinate], 0x22, 0x58, 0x20, .. q.Y!];
    }

    private static readonly byte[] Challenge = SHA256.HashData("statement"u8);

    private static ActSignatureParts Assertion(byte flags = 0x05, string type = "webauthn.get", byte[]? challenge = null, int authenticatorLength = 37,
        string? clientDataOverride = null)
    {
        var clientData = Encoding.UTF8.GetBytes(clientDataOverride ??
            $"{{\"type\":\"{type}\",\"challenge\":\"{Base64UrlText.Encode(challenge ?? Challenge)}\",\"origin\":\"http://localhost:5180\"}}");
        byte[] authenticatorData = [.. SHA256.HashData("localhost"u8), flags, 0, 0, 0, 7];
        authenticatorData = authenticatorData[..authenticatorLength];
        var signature = Key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new ActSignatureParts("cHJvYmU", Base64UrlText.Encode(authenticatorData), Base64UrlText.Encode(clientData), Base64UrlText.Encode(signature), Nonce);
    }

    [Fact]
    public void An_assertion_holds_offline_only_as_a_whole()
    {
        WebAuthnAssertion.Check(Assertion(), Cose(Key), Challenge).ShouldBeNull();

        WebAuthnAssertion.Check(Assertion() with { ClientDataJson = "a+b" }, Cose(Key), Challenge).ShouldBe("a part of the assertion is not base64url");
        WebAuthnAssertion.Check(Assertion() with { AuthenticatorData = "a/b" }, Cose(Key), Challenge).ShouldBe("a part of the assertion is not base64url");
        WebAuthnAssertion.Check(Assertion() with { Signature = "a=" }, Cose(Key), Challenge).ShouldBe("a part of the assertion is not base64url");
        WebAuthnAssertion.Check(Assertion(authenticatorLength: 36), Cose(Key), Challenge).ShouldBe("the authenticator data is too short");
        WebAuthnAssertion.Check(Assertion(flags: 0x04), Cose(Key), Challenge).ShouldBe("the authenticator did not see the user present");
        WebAuthnAssertion.Check(Assertion(clientDataOverride: "not json"), Cose(Key), Challenge).ShouldBe("the client data is not JSON");
        WebAuthnAssertion.Check(Assertion(type: "webauthn.create"), Cose(Key), Challenge).ShouldBe("the client data is of type 'webauthn.create', not an assertion");
        WebAuthnAssertion.Check(Assertion(clientDataOverride: "{\"type\":1,\"challenge\":\"x\"}"), Cose(Key), Challenge)
            .ShouldBe("the client data is of type '', not an assertion");
        WebAuthnAssertion.Check(Assertion(clientDataOverride: "{\"type\":\"webauthn.get\",\"challenge\":5}"), Cose(Key), Challenge)
            .ShouldStartWith("the assertion was made over another statement");
        WebAuthnAssertion.Check(Assertion(challenge: SHA256.HashData("another"u8)), Cose(Key), Challenge).ShouldStartWith("the assertion was made over another statement");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WebAuthnAssertion.Check(Assertion(), Cose(other), Challenge).ShouldBe("the signature does not verify with the registered key");
        WebAuthnAssertion.Check(Assertion() with { Signature = Base64UrlText.Encode([0x30, 0x01, 0x00]) }, Cose(Key), Challenge)
            .ShouldBeOneOf("the signature is malformed", "the signature does not verify with the registered key");
    }

    [Fact]
    public void Only_an_ES256_key_on_P_256_is_a_registered_key()
    {
        using (var key = CoseKey.ToEcdsa(Cose(Key), out var none)) { key.ShouldNotBeNull(); none.ShouldBeNull(); }
        CoseKey.ToEcdsa(Cose(Key, kty: 0x01), out var kty).ShouldBeNull();
        kty.ShouldBe("the registered key is not an ES256 key on P-256");
        CoseKey.ToEcdsa(Cose(Key, crv: 0x02), out var crv).ShouldBeNull();
        crv.ShouldBe("the registered key is not an ES256 key on P-256");
        CoseKey.ToEcdsa(Cose(Key, alg: 0x27), out var alg).ShouldBeNull();
        alg.ShouldBe("the registered key is not an ES256 key on P-256");
        CoseKey.ToEcdsa(Cose(Key, coordinate: 31), out var shortX).ShouldBeNull();
        shortX.ShouldBe("the registered key is not an ES256 key on P-256");
        CoseKey.ToEcdsa([0x82, 0x01, 0x02], out var array).ShouldBeNull();
        array.ShouldNotBeNull();
        CoseKey.ToEcdsa([0xA1, 0x01, 0x58, 0x40, 0x00], out var beyond).ShouldBeNull();
        beyond.ShouldBe("the registered key is not a COSE key");
        CoseKey.ToEcdsa([], out var empty).ShouldBeNull();
        empty.ShouldBe("the registered key is not a COSE key");
    }
}
