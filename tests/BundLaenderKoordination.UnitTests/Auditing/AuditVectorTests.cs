using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The checked-in test vectors of docs/audit-vectors (docs/audit-bundle.md): regenerated with
/// <c>UPDATE_AUDIT_VECTORS=1</c>, otherwise compared byte for byte with what the code produces, recomputed from the
/// files, and checked by hand where that can be done without the production code.
/// </summary>
public sealed class AuditVectorTests
{
    private static readonly string Folder = FindFolder();

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln")))
                return Path.Combine(dir.FullName, "docs", "audit-vectors");
        throw new DirectoryNotFoundException("The repository root (BundLaenderKoordination.sln) was not found.");
    }

    private static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    private static JsonObject Expected => JsonNode.Parse(Read("expected.json"))!.AsObject();

    private static VerifierKey PublishedKey => VerifierKey.TryParse(Encoding.UTF8.GetString(Read("log.pub")).TrimEnd('\n'))!;

    private static byte[] Hex(JsonNode? node) => Convert.FromHexString(node!.GetValue<string>());

    [Fact]
    public void The_checked_in_vectors_are_what_the_service_code_produces()
    {
        var files = AuditVectors.Files();
        if (Environment.GetEnvironmentVariable("UPDATE_AUDIT_VECTORS") == "1")
        {
            var leaves = Path.Combine(Folder, "leaves");
            if (Directory.Exists(leaves)) Directory.Delete(leaves, recursive: true);
            foreach (var (name, bytes) in files)
            {
                var path = Path.Combine(Folder, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
            }
        }
        foreach (var (name, bytes) in files)
            Encoding.UTF8.GetString(Read(name)).ShouldBe(Encoding.UTF8.GetString(bytes), $"docs/audit-vectors/{name} is out of date; regenerate with UPDATE_AUDIT_VECTORS=1.");
        Directory.GetFiles(Path.Combine(Folder, "leaves")).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(files.Keys.Where(k => k.StartsWith("leaves/", StringComparison.Ordinal)).Select(k => k["leaves/".Length..]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_leaf_hashes_recomputed_from_the_files_are_the_expected_ones()
    {
        var expected = Expected["leaves"]!.AsArray().Select(l => l!.AsObject()).ToList();
        var bundle = BundleVerifier.ParseBundle(Read("bundle.json"))!;

        bundle.Leaves.Select(l => Convert.ToHexStringLower(Convert.FromBase64String(l)))
            .ShouldBe(expected.Select(l => l["leafHash"]!.GetValue<string>()));
        foreach (var leaf in expected)
        {
            var canonical = Read(leaf["canonical"]!.GetValue<string>());
            Merkle.HashLeaf(canonical).ShouldBe(Hex(leaf["leafHash"]), $"leaf of sequence number {leaf["seq"]}");
            LeafDocument.Hash(canonical).ShouldBe(Hex(leaf["leafHash"]));
        }
        // Each event recomputed from its own bytes in the bundle, and from the parsed document.
        for (var i = 0; i < bundle.Events.Count; i++)
        {
            var seq = bundle.Events[i]["seq"]!.GetValue<long>();
            var leafHash = Hex(expected.Single(l => l["seq"]!.GetValue<long>() == seq)["leafHash"]);
            bundle.EventLeafHashes![i].ShouldBe(leafHash);
            LeafDocument.Hash(bundle.Events[i]).ShouldBe(leafHash);
        }
        bundle.Gaps.ShouldBe([3L]);
        LeafDocument.Hash(LeafDocument.ForGap(3)).ShouldBe(Hex(expected.Single(l => l["kind"]!.GetValue<string>() == "gap")["leafHash"]));
        bundle.Redacted.ShouldBe([4L]);
    }

    [Fact]
    public void The_roots_are_the_expected_ones_and_the_checkpoints_sign_them_with_the_published_key()
    {
        var bundle = BundleVerifier.ParseBundle(Read("bundle.json"))!;
        var tree = new MerkleTree(bundle.Leaves.Select(Convert.FromBase64String));
        foreach (var root in Expected["roots"]!.AsArray())
            tree.Root(root!["size"]!.GetValue<long>()).ShouldBe(Hex(root["root"]));

        var key = PublishedKey;
        key.ToString().ShouldBe(Expected["key"]!["verifierKey"]!.GetValue<string>());
        bundle.PublicKeys.ShouldBe([key.ToString()]);
        var notes = Expected["checkpoints"]!.AsArray();
        bundle.Checkpoints.ShouldBe(notes.Select(n => n!["note"]!.GetValue<string>()));
        foreach (var expected in notes)
        {
            var note = SignedNote.TryParse(expected!["note"]!.GetValue<string>())!;
            note.Text.ShouldBe(expected["signedText"]!.GetValue<string>());
            var checkpoint = Checkpoint.TryParse(note.Text)!;
            checkpoint.Origin.ShouldBe(AuditVectors.Origin);
            checkpoint.Size.ShouldBe(expected["size"]!.GetValue<long>());
            checkpoint.RootHash.ShouldBe(tree.Root(checkpoint.Size));
            note.Signatures.Single().KeyId.ShouldBe(key.KeyId);
            key.Verify(note.Text, note.Signatures.Single().Signature).ShouldBeTrue();
        }
        Encoding.UTF8.GetString(Read("checkpoint-3.note")).ShouldBe(notes[0]!["note"]!.GetValue<string>());
        Encoding.UTF8.GetString(Read("checkpoint-6.note")).ShouldBe(notes[1]!["note"]!.GetValue<string>());

        var consistency = Expected["consistencyProof"]!["proof"]!.AsArray().Select(Hex).ToList();
        tree.ConsistencyProof(3, 6).ShouldBe(consistency);
        Merkle.VerifyConsistency(3, 6, tree.Root(3), tree.Root(6), consistency).ShouldBeTrue();
    }

    [Theory]
    [InlineData("resolution", "0193a5c0-7d2e-7b41-9c3a-5e8f00000001", true)]
    [InlineData("resolution", "0193a5c0-7d2e-7b41-9c3a-5e8f00000002", false)]
    [InlineData("body", "D16", true)]
    [InlineData("body", "MPK", false)]
    public void A_bundle_whose_events_lie_outside_its_stated_scope_is_malformed(string kind, string value, bool fits)
    {
        // The scope is not signed; relabelling a bundle must not let it hide events behind a narrower scope unnoticed.
        var json = Encoding.UTF8.GetString(Read("bundle.json")).Replace("\"scope\":{\"kind\":\"all\",\"value\":null}", $"\"scope\":{{\"kind\":\"{kind}\",\"value\":\"{value}\"}}");
        var report = BundleVerifier.Verify(BundleVerifier.ParseBundle(json)!, [PublishedKey]);

        report.Clean.ShouldBe(fits, string.Join("; ", report.Findings.Select(f => f.Message)));
        if (!fits) report.Findings.ShouldContain(f => f.Code == FindingCodes.BundleMalformed && f.Message.Contains("but"));
    }

    [Fact]
    public void A_receipt_whose_sealed_vote_is_missing_from_a_bundle_of_its_resolution_is_reported_missing()
    {
        var bundle = JsonNode.Parse(Read("bundle.json"))!.AsObject();
        bundle["scope"] = new JsonObject { ["kind"] = "resolution", ["value"] = AuditVectors.Resolution.ToString() };
        var events = bundle["events"]!.AsArray();
        events.Remove(events.Single(e => e!["seq"]!.GetValue<long>() == 5));
        var receipt = BundleVerifier.ParseReceipt(Encoding.UTF8.GetString(Read("receipt-DE-BY.json")))!;

        var report = BundleVerifier.Verify(BundleVerifier.ParseBundle(bundle.ToJsonString())!, [PublishedKey], receipts: [receipt]);

        report.Findings.ShouldContain(f => f.Code == FindingCodes.EventMissing && f.Seq == 5);
    }

    [Fact]
    public void Leaves_that_do_not_give_a_signed_root_prove_no_vote()
    {
        var bundle = JsonNode.Parse(Read("bundle.json"))!.AsObject();
        var leaves = bundle["leaves"]!.AsArray();
        leaves[0] = Convert.ToBase64String(new byte[32]);

        var report = BundleVerifier.Verify(BundleVerifier.ParseBundle(bundle.ToJsonString())!, [PublishedKey]);

        report.Findings.ShouldContain(f => f.Code == FindingCodes.RootMismatch);
        report.WhoAgreedToWhat.SelectMany(r => r.Votes).ShouldNotBeEmpty();
        report.WhoAgreedToWhat.SelectMany(r => r.Votes).ShouldAllBe(v => !v.Proven);
    }

    [Fact]
    public void An_origin_cannot_draw_a_CLEAN_line_into_the_report()
    {
        var folder = Directory.CreateTempSubdirectory("blk-origin-").FullName;
        try
        {
            var bundle = JsonNode.Parse(Read("bundle.json"))!.AsObject();
            bundle["origin"] = "log\nCLEAN\n\u2028CLEAN";
            File.WriteAllText(Path.Combine(folder, "bundle.json"), bundle.ToJsonString());
            File.WriteAllBytes(Path.Combine(folder, "log.pub"), Read("log.pub"));
            var output = new StringWriter();

            var exit = BundLaenderKoordination.Verifier.VerifyCommand.Run(
                ["verify", Path.Combine(folder, "bundle.json"), "--key", Path.Combine(folder, "log.pub")], output, new StringWriter());

            exit.ShouldBe(1);
            output.ToString().Split('\n').ShouldNotContain(line => line.Trim() == "CLEAN");
            output.ToString().ShouldContain("log\\u000aCLEAN");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_verifier_finds_the_bundle_clean_and_the_receipt_valid()
    {
        var bundle = BundleVerifier.ParseBundle(Read("bundle.json"))!;
        var receipt = BundleVerifier.ParseReceipt(Encoding.UTF8.GetString(Read("receipt-DE-BY.json")))!;

        var report = BundleVerifier.Verify(bundle, [PublishedKey], [Encoding.UTF8.GetString(Read("checkpoint-3.note"))], [receipt]);

        report.Findings.ShouldBeEmpty();
        report.Clean.ShouldBeTrue();
        report.Origin.ShouldBe(AuditVectors.Origin);
        report.TreeSize.ShouldBe(6);
        report.EventsChecked.ShouldBe(4);
        report.CheckpointsVerified.ShouldBe(2);
        report.ReceiptsChecked.ShouldBe(1);
        report.RedactedLeaves.ShouldBe(1);
        var resolution = report.WhoAgreedToWhat.Single();
        resolution.Resolution.ShouldBe(AuditVectors.Resolution);
        resolution.Votes.Select(v => (v.Land, v.Choice, v.TextVersion, v.Seq, v.Proven))
            .ShouldBe([("DE-BE", "abstain", 2, 6L, true), ("DE-BY", "yes", 2, 5L, true)]);

        var proof = receipt.InclusionProof.Select(Convert.FromBase64String).ToList();
        proof.ShouldBe(Expected["inclusionProof"]!["proof"]!.AsArray().Select(Hex));
        Merkle.VerifyInclusion(receipt.LeafIndex, receipt.TreeSize, Merkle.HashLeaf(Read("leaves/5.json")), proof,
            Checkpoint.TryParse(SignedNote.TryParse(receipt.Checkpoint)!.Text)!.RootHash).ShouldBeTrue();
    }

    // The checks below use SHA-256, Ed25519 and literal bytes only, not the production canonicaliser, tree or note code.

    private static byte[] Leaf(byte[] entry) => SHA256.HashData([0x00, .. entry]);

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    [Fact]
    public void The_gap_leaf_hashed_by_hand_is_the_expected_one()
    {
        var canonical = "{\"gap\":true,\"seq\":3}"u8.ToArray();
        Read("leaves/3.json").ShouldBe(canonical);
        var leafHash = Leaf(canonical);
        Convert.ToHexStringLower(leafHash).ShouldBe("8299f87ca498b9ca98a1d9ba6caca694df1042bd8ffec9bdddabc05a112d218e");
        leafHash.ShouldBe(Hex(Expected["leaves"]!.AsArray().Single(l => l!["seq"]!.GetValue<long>() == 3)!["leafHash"]));
    }

    [Fact]
    public void A_vote_leaf_written_out_by_hand_is_the_expected_one()
    {
        // The members sorted by name at every level, no whitespace, strings with the minimal escapes, UTF-8.
        const string canonical =
            "{\"causationId\":null,\"correlationId\":\"a8d6f0652ef424d7ef8816350113f80d\"," +
            "\"data\":{\"ballotId\":null,\"castAt\":\"2026-11-29T09:10:00.25+00:00\"," +
            "\"castBy\":{\"actingFor\":\"DE-BY\",\"personId\":\"5d6c9a1e-2b47-4f0e-9a31-7c2d8e4f6a01\",\"personName\":\"Anna Berger\",\"role\":\"representative\"}," +
            "\"choice\":\"Yes\",\"land\":\"DE-BY\",\"resolutionId\":\"0193a5c0-7d2e-7b41-9c3a-5e8f00000001\"," +
            "\"textHash\":\"934726f655c34622ddf1cddfa8978b3e2fec0e847f71810fe66b3230d80a0fc8\",\"textVersion\":2}," +
            "\"headers\":null,\"id\":\"0193a5c1-0a00-7000-8000-000000000005\",\"seq\":5,\"stream\":\"0193a5c0-7d2e-7b41-9c3a-5e8f00000001\"," +
            "\"tenant\":\"*DEFAULT*\",\"timestamp\":\"2026-11-29T09:10:00.254017Z\",\"type\":\"vote_cast\"," +
            "\"userName\":\"5d6c9a1e-2b47-4f0e-9a31-7c2d8e4f6a01\",\"version\":3}";
        var bytes = Encoding.UTF8.GetBytes(canonical);
        Read("leaves/5.json").ShouldBe(bytes);
        var leafHash = Leaf(bytes);
        Convert.ToHexStringLower(leafHash).ShouldBe("88064f8bb46e94bd0f50953b1fa0da63e3c09d62cd9affc05851005b6b4e15f7");
        leafHash.ShouldBe(Hex(Expected["leaves"]!.AsArray().Single(l => l!["seq"]!.GetValue<long>() == 5)!["leafHash"]));
    }

    [Fact]
    public void The_roots_computed_by_hand_from_the_leaf_files_are_the_signed_ones()
    {
        var l = Enumerable.Range(1, 6).Select(seq => Leaf(Read($"leaves/{seq}.json"))).ToArray();
        // RFC 9162 §2.1.1: split at the largest power of two smaller than the size.
        var root3 = Node(Node(l[0], l[1]), l[2]);
        var root6 = Node(Node(Node(l[0], l[1]), Node(l[2], l[3])), Node(l[4], l[5]));

        var roots = Expected["roots"]!.AsArray();
        roots[3]!["root"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(root3));
        roots[6]!["root"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(root6));
        roots[0]!["root"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(SHA256.HashData([])));

        var notes = Expected["checkpoints"]!.AsArray().Select(n => n!["note"]!.GetValue<string>()).ToList();
        notes[0].ShouldStartWith($"{AuditVectors.Origin}\n3\n{Convert.ToBase64String(root3)}\ntime ");
        notes[1].ShouldStartWith($"{AuditVectors.Origin}\n6\n{Convert.ToBase64String(root6)}\ntime ");
    }

    [Fact]
    public void The_signatures_verify_by_hand_with_the_key_from_the_published_seed()
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes("blk test vector key"));
        var publicKey = new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded();
        var name = AuditVectors.Origin;
        var keyId = SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, 0x01, .. publicKey])[..4];
        Encoding.UTF8.GetString(Read("log.pub"))
            .ShouldBe($"{name}+{Convert.ToHexStringLower(keyId)}+{Convert.ToBase64String([0x01, .. publicKey])}\n");

        foreach (var note in new[] { "checkpoint-3.note", "checkpoint-6.note" }.Select(f => Encoding.UTF8.GetString(Read(f))))
        {
            var blank = note.LastIndexOf("\n\n", StringComparison.Ordinal);
            var text = note[..(blank + 1)];
            var line = note[(blank + 2)..];
            line.ShouldStartWith($"\u2014 {name} ");
            line.ShouldEndWith("\n");
            var payload = Convert.FromBase64String(line[$"\u2014 {name} ".Length..^1]);
            payload.Length.ShouldBe(4 + 64);
            payload[..4].ShouldBe(keyId);
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(publicKey));
            var message = Encoding.UTF8.GetBytes(text);
            verifier.BlockUpdate(message, 0, message.Length);
            verifier.VerifySignature(payload[4..]).ShouldBeTrue();
        }
    }
}
