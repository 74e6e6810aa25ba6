using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// Edges of the leaf hash and of the passkey keys read from a bundle, against bytes written out here: a leaf given as
/// JSON text is hashed with its strings in NFC, as the log stores them; a leaf hashed after a failed one is not disturbed
/// by what the failed one left; a COSE key with longer CBOR length heads is the same key; a key that is no point on P-256
/// and an unknown CBOR item are each named; a signature that is no DER sequence does not verify.
/// </summary>
public sealed class LeafAndCoseEdgeTests
{
    private static byte[] Leaf(string canonicalJson) => SHA256.HashData([0x00, .. Encoding.UTF8.GetBytes(canonicalJson)]);

    [Fact]
    public void A_leaf_given_as_json_text_is_hashed_with_its_strings_in_nfc()
    {
        // "e" followed by the combining acute accent is "é" (U+00E9) in NFC; the canonical bytes hold the composed letter.
        var decomposed = Encoding.UTF8.GetBytes("{ \"b\": 1, \"a\": \"Caf\\u0065\\u0301\" }");
        LeafDocument.Hash(decomposed).ShouldBe(Leaf("{\"a\":\"Café\",\"b\":1}"));
    }

    [Fact]
    public void A_leaf_hashed_after_one_that_failed_midway_is_its_own()
    {
        var id = Guid.Parse("0b0e0f00-0000-4000-8000-000000000001");
        var stream = Guid.Parse("0b0e0f00-0000-4000-8000-000000000002");
        var at = new DateTimeOffset(2026, 12, 3, 9, 30, 0, TimeSpan.Zero);
        // Data that is not JSON fails after part of the leaf has been written.
        Should.Throw<Exception>(() => LeafDocument.HashEvent(1, id, stream, 1, "vote_cast", at, "{\"a\":"u8, "u", null, null, [], false, null));
        var hash = LeafDocument.HashEvent(2, id, stream, 2, "vote_cast", at, "{\"land\":\"DE-BY\"}"u8, "u", null, null, [], false, null);
        hash.ShouldBe(Leaf(
            "{\"causationId\":null,\"correlationId\":null,\"data\":{\"land\":\"DE-BY\"},\"headers\":null," +
            "\"id\":\"0b0e0f00-0000-4000-8000-000000000001\",\"seq\":2,\"stream\":\"0b0e0f00-0000-4000-8000-000000000002\"," +
            "\"tenant\":null,\"timestamp\":\"2026-12-03T09:30:00.000000Z\",\"type\":\"vote_cast\",\"userName\":\"u\",\"version\":2}"));
    }

    [Fact]
    public void Normalising_a_document_composes_its_strings_and_keeps_everything_else()
    {
        var normalized = LeafDocument.Normalize(new JsonObject
        {
            ["text"] = "Stra\u0073\u0073e, e\u0301\r\nzwei", ["n"] = 5, ["flag"] = true, ["list"] = new JsonArray("a\u0308", 2, null),
        })!;
        normalized.ToJsonString().ShouldBe(new JsonObject
        {
            ["text"] = "Strasse, \u00e9\nzwei", ["n"] = 5, ["flag"] = true, ["list"] = new JsonArray("\u00e4", 2, null),
        }.ToJsonString());
        LeafDocument.Normalize(null).ShouldBeNull();
    }

    private static readonly ECDsa Passkey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECPoint Q = Passkey.ExportParameters(false).Q;

    /// <summary>A COSE EC2 key whose byte strings carry their length in a head of <paramref name="head"/> (the CBOR initial bytes).</summary>
    private static byte[] Cose(byte[] head, byte[] x, byte[] y) => [0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, .. head, .. x, 0x22, .. head, .. y];

    [Fact]
    public void A_cose_key_whose_coordinates_carry_two_or_four_byte_length_heads_is_the_same_key()
    {
        var data = "signed"u8.ToArray();
        var signature = Passkey.SignData(data, HashAlgorithmName.SHA256);
        foreach (var head in new[] { new byte[] { 0x58, 0x20 }, [0x59, 0x00, 0x20], [0x5A, 0x00, 0x00, 0x00, 0x20] })
        {
            using var key = CoseKey.ToEcdsa(Cose(head, Q.X!, Q.Y!), out var problem);
            problem.ShouldBeNull();
            key!.VerifyData(data, signature, HashAlgorithmName.SHA256).ShouldBeTrue();
        }
        // A two-byte head of 0x0120 (288 bytes) is not 0x20: the coordinate then runs beyond the key.
        // Likewise each higher byte of a four-byte head counts: 0x01000020, 0x00010020 and 0x00000120 bytes run beyond it.
        foreach (var head in new[] { new byte[] { 0x59, 0x01, 0x20 }, [0x5A, 0x01, 0x00, 0x00, 0x20], [0x5A, 0x00, 0x01, 0x00, 0x20], [0x5A, 0x00, 0x00, 0x01, 0x20] })
        {
            CoseKey.ToEcdsa(Cose(head, Q.X!, Q.Y!), out var beyond).ShouldBeNull();
            beyond.ShouldBe("the registered key is not a COSE key");
        }
    }

    [Fact]
    public void A_cose_key_with_an_eight_byte_length_head_or_another_item_type_is_not_a_cose_key()
    {
        CoseKey.ToEcdsa(Cose([0x5B, 0, 0, 0, 0, 0, 0, 0, 0x20], Q.X!, Q.Y!), out var eight).ShouldBeNull();
        eight.ShouldBe("the registered key is not a COSE key");
        // An array (major type 4) where a coordinate belongs.
        CoseKey.ToEcdsa([0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x80, 0x22, 0x58, 0x20, .. Q.Y!], out var array).ShouldBeNull();
        array.ShouldBe("the registered key is not a COSE key");
    }

    [Fact]
    public void A_cose_key_that_is_no_point_on_p256_is_named_so()
    {
        var x = Enumerable.Repeat((byte)1, 32).ToArray();
        CoseKey.ToEcdsa(Cose([0x58, 0x20], x, x), out var problem).ShouldBeNull();
        problem.ShouldBe("the registered key is not a point on P-256");
    }

    [Fact]
    public void An_assertion_whose_signature_is_not_der_does_not_verify()
    {
        var statement = new SignedActStatement(SignedActStatement.Vote, Guid.Parse("0b0e0f00-0000-4000-8000-000000000003"), "DE-BY", "yes", 1,
            new string('a', 64), Guid.Parse("0b0e0f00-0000-4000-8000-000000000004"), "bm9uY2Utb2YtMTYtYnl0ZXM");
        var clientData = Encoding.UTF8.GetBytes($"{{\"type\":\"webauthn.get\",\"challenge\":\"{Base64UrlText.Encode(SHA256.HashData(statement.CanonicalBytes()))}\"}}");
        byte[] authenticatorData = [.. SHA256.HashData("localhost"u8), 0x05, 0, 0, 0, 1];
        var parts = new ActSignatureParts("cHJvYmU", Base64UrlText.Encode(authenticatorData), Base64UrlText.Encode(clientData),
            Base64UrlText.Encode([0x30, 0x03, 0x02, 0x01]), statement.Nonce);
        var problem = WebAuthnAssertion.Check(parts, Cose([0x58, 0x20], Q.X!, Q.Y!), statement.Challenge());
        problem.ShouldNotBeNull();
        // .NET reads a malformed DER sequence as a signature that does not verify (it does not throw).
        problem.ShouldBe("the signature does not verify with the registered key");
    }
}
