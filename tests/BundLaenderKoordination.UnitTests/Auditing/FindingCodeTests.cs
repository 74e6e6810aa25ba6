using System.Reflection;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// Every finding code the verifier declares is produced by a bundle, receipt or kept checkpoint built for it here; the
/// list of cases is checked against the declared codes, so a new code without a case fails, and so does a verifier that
/// stops reporting one.
/// </summary>
public sealed class FindingCodeTests
{
    private static readonly AuditSample.Files Sample = AuditSample.Build();
    private static readonly VerifierKey Key = AuditSample.Signer.VerifierKey;
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    private static AuditBundle Bundle => Sample.InMemory;
    private static string Kept => System.Text.Encoding.UTF8.GetString(Sample.Kept);
    private static string Latest => Bundle.Checkpoints[^1];
    private static byte[] Root => Checkpoint.TryParse(SignedNote.TryParse(Latest)!.Text)!.RootHash;

    private static string Signed(Checkpoint checkpoint) => NoteSigning.Sign(checkpoint.Body(), AuditSample.Signer).ToString();

    private static VerificationReport Verify(AuditBundle bundle, IReadOnlyList<string>? kept = null, IReadOnlyList<VoteReceipt>? receipts = null,
        TimeSpan? tolerance = null) =>
        BundleVerifier.Verify(bundle, [Key], kept, receipts, tolerance);

    private static readonly Cosigner WitnessA = TestWitnesses.Bavaria;
    private static readonly Cosigner WitnessB = TestWitnesses.Hesse;
    private static WitnessPolicy Witnesses => new([WitnessA.Key, WitnessB.Key], 2);

    private static string Cosigned(string note, params Cosigner[] witnesses) => TestWitnesses.Cosigned(note, T0, witnesses);

    private static AuditBundle WithLatest(string note) => Bundle with { Checkpoints = [.. Bundle.Checkpoints.SkipLast(1), note] };

    private static List<JsonObject> Events => Bundle.Events.Select(e => e.DeepClone().AsObject()).ToList();

    /// <summary>A log of just these events, sealed anew (each its own leaf, one signed checkpoint over all).</summary>
    private static AuditBundle Resealed(params JsonObject[] events)
    {
        var tree = new MerkleTree(events.Select(LeafDocument.Hash));
        return new AuditBundle(AuditBundle.CurrentFormat, AuditSample.Origin, new BundleScope(BundleScope.All, null), T0.AddMinutes(2),
            events.Select(e => Convert.ToBase64String(LeafDocument.Hash(e))).ToList(), [],
            [Signed(new Checkpoint(AuditSample.Origin, tree.Size, tree.Root(), T0.AddMinutes(1)))], [Key.ToString()], events);
    }

    private static JsonObject Event(long seq, string type, JsonObject data) =>
        LeafDocument.ForEvent(seq, Guid.NewGuid(), AuditSample.Stream, seq, type, T0.AddSeconds(seq), data, null, null, null, null, "*DEFAULT*");

    private static JsonObject Proposed(string textHash) => Event(1, "resolution_proposed", new JsonObject
    {
        ["resolutionId"] = AuditSample.Stream.ToString(), ["body"] = "D16", ["title"] = "Digitale Verwaltung",
        ["paragraphs"] = new JsonArray(AuditSample.Paragraphs.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["text"] = p.Text }).ToArray()),
        ["textVersion"] = 1, ["textHash"] = textHash,
    });

    private static JsonObject Vote(long seq, int textVersion, string textHash) => Event(seq, "vote_cast", new JsonObject
    {
        ["resolutionId"] = AuditSample.Stream.ToString(), ["land"] = "DE-BY", ["choice"] = "Yes", ["textVersion"] = textVersion, ["textHash"] = textHash,
        ["castBy"] = new JsonObject { ["personId"] = "p-BY", ["personName"] = "Vertretung Bayern", ["actingFor"] = "DE-BY", ["role"] = "representative" },
        ["castAt"] = LeafDocument.FormatTimestamp(T0.AddSeconds(seq)),
    });

    private static readonly System.Security.Cryptography.ECDsa Passkey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    private static byte[] CoseKeyOfPasskey() => TestPasskeys.Cose(Passkey);

    private static JsonObject SignatureOver(SignedActStatement statement) => TestPasskeys.Assertion(statement, Passkey, "cHJvYmU");

    /// <summary>The nonce of the signed vote: base64url of the 17 bytes "nonce-of-16-bytes".</summary>
    private const string SignedNonce = "bm9uY2Utb2YtMTYtYnl0ZXM";

    /// <summary>
    /// The passkey registered to the voter and approved; then their vote, signed over <paramref name="signedHash"/>; with
    /// <paramref name="replayed"/> the same vote, assertion and all, logged a second time.
    /// </summary>
    private static AuditBundle SignedVote(string signedHash, bool replayed = false)
    {
        var vote = Vote(4, 1, AuditSample.TextHashOfText);
        vote["data"]!["signature"] = SignatureOver(new SignedActStatement(SignedActStatement.Vote, AuditSample.Stream, "DE-BY", "yes", 1, signedHash, null, SignedNonce));
        JsonObject[] events =
        [
            Proposed(AuditSample.TextHashOfText),
            Event(2, "passkey_registered", new JsonObject { ["credentialId"] = "cHJvYmU", ["personId"] = "p-BY", ["publicKey"] = Base64UrlText.Encode(CoseKeyOfPasskey()) }),
            Event(3, "passkey_approved", new JsonObject { ["credentialId"] = "cHJvYmU", ["personId"] = "p-BY" }),
            Event(4, "vote_cast", vote["data"]!.DeepClone().AsObject()),
        ];
        return Resealed(replayed ? [.. events, Event(5, "vote_cast", vote["data"]!.DeepClone().AsObject())] : events);
    }

    /// <summary>One case per finding code: the input that must produce it.</summary>
    private static readonly Dictionary<string, Func<VerificationReport>> Cases = new()
    {
        [FindingCodes.BundleMalformed] = () => Verify(Bundle with { Format = "blk-audit-bundle-v0" }),
        [FindingCodes.CheckpointMalformed] = () => Verify(Bundle with { Checkpoints = [.. Bundle.Checkpoints, "kein signierter Checkpoint"] }),
        [FindingCodes.NoCheckpoint] = () => Verify(Bundle with { Checkpoints = [] }),
        [FindingCodes.KeyUnknown] = () => BundleVerifier.Verify(Bundle, [BouncyCastleEd25519Signer.Generate(AuditSample.Origin).VerifierKey]),
        // The latest checkpoint's text with another time under the signature made for the original text.
        [FindingCodes.SignatureInvalid] = () =>
        {
            var note = SignedNote.TryParse(Latest)!;
            var altered = Checkpoint.TryParse(note.Text)! with { Time = T0.AddMinutes(5) };
            return Verify(Bundle with { Checkpoints = [Kept, new SignedNote(altered.Body(), note.Signatures).ToString()] });
        },
        // A validly signed checkpoint of the right size whose root the leaves do not give.
        [FindingCodes.RootMismatch] = () =>
            Verify(Bundle with { Checkpoints = [Kept, Signed(new Checkpoint(AuditSample.Origin, 7, Merkle.HashLeaf("anders"u8), T0.AddMinutes(1)))] }),
        [FindingCodes.Truncated] = () => Verify(Bundle with { Leaves = Bundle.Leaves.Take(6).ToList() }),
        // A checkpoint kept from an earlier audit, signed at size 3 over a root the first three leaves do not give.
        [FindingCodes.ConsistencyFailed] = () =>
            Verify(Bundle, [Signed(new Checkpoint(AuditSample.Origin, 3, Merkle.HashLeaf("umgeschrieben"u8), T0.AddSeconds(30)))]),
        [FindingCodes.LeafMismatch] = () =>
        {
            var events = Events;
            events[0]["data"]!["title"] = "Analoge Verwaltung";
            return Verify(Bundle with { Events = events });
        },
        [FindingCodes.EventMissing] = () => Verify(Bundle with { Events = Events.Where(e => e["seq"]!.GetValue<long>() != 5).ToList() }),
        [FindingCodes.EventUnsealed] = () =>
        {
            var events = Events;
            var extra = events[^1].DeepClone().AsObject();
            extra["seq"] = 8;
            return Verify(Bundle with { Events = [.. events, extra] });
        },
        // Event 5 claims T0+5 s; the checkpoint kept at size 3 was signed at T0+30 s: 25 s backdated, 10 s tolerated.
        [FindingCodes.EventBackdated] = () => Verify(Bundle, tolerance: TimeSpan.FromSeconds(10)),
        [FindingCodes.DuplicateSequence] = () => Verify(Bundle with { Events = [.. Events, Events[0]] }),
        [FindingCodes.VersionGap] = () => Verify(Bundle with { Events = Events.Where(e => e["seq"]!.GetValue<long>() != 3).ToList() }),
        // The right text version with a hash that is not that version's.
        [FindingCodes.VoteTextMismatch] = () => Verify(Resealed(Proposed(AuditSample.TextHashOfText), Vote(2, 1, new string('a', 64)))),
        [FindingCodes.TextHashMismatch] = () => Verify(Resealed(Proposed(new string('0', 64)), Vote(2, 1, new string('0', 64)))),
        [FindingCodes.ReceiptMismatch] = () => Verify(Bundle, receipts: [Sample.ReceiptInMemory with { Choice = "yes" }]),
        [FindingCodes.ReceiptMalformed] = () => Verify(Bundle, receipts: [Sample.ReceiptInMemory with { Event = null! }]),
        // One of two witnesses cosigned the latest checkpoint; the quorum is two.
        // An unsigned vote in D16, whose acts the auditor requires to be signed.
        [FindingCodes.ActNotSigned] = () => BundleVerifier.Verify(Resealed(Proposed(AuditSample.TextHashOfText), Vote(2, 1, AuditSample.TextHashOfText)), [Key],
            signatures: new SignaturePolicy(new HashSet<string> { "D16" })),
        // The voter's approved passkey signed the vote on another text hash than the one the vote names.
        [FindingCodes.ActSignatureInvalid] = () => Verify(SignedVote(new string('0', 64))),
        // The voter's valid signed vote, logged again with the same assertion (the same nonce and signature counter).
        [FindingCodes.ActSignatureReused] = () => Verify(SignedVote(AuditSample.TextHashOfText, replayed: true)),
        [FindingCodes.CheckpointNotWitnessed] = () => BundleVerifier.Verify(WithLatest(Cosigned(Latest, WitnessA)), [Key], witnesses: Witnesses),
        // Witness B's cosignature of the kept (older) checkpoint's text, moved onto the latest checkpoint.
        [FindingCodes.CosignatureInvalid] = () =>
        {
            var moved = SignedNote.TryParse(Cosigned(Kept, WitnessB))!.Signatures.Single(s => WitnessB.Key.Names(s));
            return BundleVerifier.Verify(WithLatest(Cosignatures.AddTo(Cosigned(Latest, WitnessA), [moved])), [Key], witnesses: Witnesses);
        },
    };

    public static IEnumerable<object[]> DeclaredCodes() =>
        typeof(FindingCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => new object[] { (string)f.GetRawConstantValue()! });

    [Fact]
    public void The_sample_log_with_its_receipt_and_kept_checkpoint_is_clean()
    {
        var report = Verify(Bundle, [Kept], [Sample.ReceiptInMemory]);
        report.Findings.ShouldBeEmpty();
        report.Clean.ShouldBeTrue();
    }

    [Fact]
    public void A_latest_checkpoint_cosigned_by_the_quorum_is_clean_and_names_its_witnesses()
    {
        var report = BundleVerifier.Verify(WithLatest(Cosigned(Latest, WitnessA, WitnessB)), [Key], [Kept], [Sample.ReceiptInMemory], witnesses: Witnesses);
        report.Findings.ShouldBeEmpty();
        report.WitnessedBy.ShouldBe([WitnessA.Key.Name + "+" + WitnessA.Key.KeyIdHex, WitnessB.Key.Name + "+" + WitnessB.Key.KeyIdHex]);
        // Without a policy nothing is said about witnesses, and cosignature lines of keys that are not pinned are ignored.
        var unpinned = Verify(WithLatest(Cosigned(Latest, WitnessA, WitnessB)), [Kept]);
        unpinned.Clean.ShouldBeTrue();
        unpinned.WitnessedBy.ShouldBeNull();
    }

    [Fact]
    public void An_invalid_cosignature_does_not_count_towards_the_quorum()
    {
        var report = Cases[FindingCodes.CosignatureInvalid]();
        report.Findings.Select(f => f.Code).Order().ShouldBe([FindingCodes.CheckpointNotWitnessed, FindingCodes.CosignatureInvalid]);
        report.WitnessedBy.ShouldBe([WitnessA.Key.Name + "+" + WitnessA.Key.KeyIdHex]);
        // Only the latest checkpoint needs the quorum: an older one without cosignatures is fine.
        BundleVerifier.Verify(WithLatest(Cosigned(Latest, WitnessA)), [Key], witnesses: Witnesses with { Quorum = 1 }).Clean.ShouldBeTrue();
    }

    [Fact]
    public void A_vote_signed_over_its_own_text_verifies_offline_and_names_its_signer()
    {
        var report = Verify(SignedVote(AuditSample.TextHashOfText));
        report.Findings.ShouldBeEmpty(string.Join("\n", report.Findings.Select(f => f.Code + " " + f.Message)));
        var signed = report.SignedActs!.ShouldHaveSingleItem();
        (signed.PersonId, signed.Land, signed.Choice, signed.TextHash).ShouldBe(("p-BY", "DE-BY", "yes", AuditSample.TextHashOfText));
        // Unsigned and no policy: reported as a notice, the bundle stays clean.
        var unsigned = Verify(Resealed(Proposed(AuditSample.TextHashOfText), Vote(2, 1, AuditSample.TextHashOfText)));
        unsigned.Clean.ShouldBeTrue();
        unsigned.Notices!.ShouldHaveSingleItem().Code.ShouldBe(FindingCodes.ActNotSigned);
    }

    [Fact]
    public void With_pinned_credentials_a_signature_counts_only_by_a_pinned_key_registered_to_the_same_person()
    {
        var key = Base64UrlText.Encode(CoseKeyOfPasskey());
        SignaturePolicy Pinning(params PinnedCredential[] credentials) => new(new HashSet<string>()) { Credentials = credentials };
        var bundle = SignedVote(AuditSample.TextHashOfText);

        var pinned = BundleVerifier.Verify(bundle, [Key], signatures: Pinning(new PinnedCredential("cHJvYmU", "p-BY", key)));
        pinned.Findings.ShouldBeEmpty();
        pinned.SignedActs!.ShouldHaveSingleItem().CredentialId.ShouldBe("cHJvYmU");

        // The bundle's registration is not enough: the auditor pinned other passkeys only.
        var other = BundleVerifier.Verify(bundle, [Key], signatures: Pinning(new PinnedCredential("b3RoZXI", "p-BY", key)));
        other.Findings.ShouldHaveSingleItem().Message.ShouldContain("not among the credentials the auditor pinned");
        other.SignedActs.ShouldBeEmpty();
        // The same id pinned with another key (the operator registered a key of their own under it), or to another person.
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var q = stranger.ExportParameters(false).Q;
        var strangerKey = Base64UrlText.Encode([0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20, .. q.X!, 0x22, 0x58, 0x20, .. q.Y!]);
        BundleVerifier.Verify(bundle, [Key], signatures: Pinning(new PinnedCredential("cHJvYmU", "p-BY", strangerKey)))
            .Findings.ShouldHaveSingleItem().Message.ShouldContain("with another key or to another person");
        BundleVerifier.Verify(bundle, [Key], signatures: Pinning(new PinnedCredential("cHJvYmU", "p-HE", key)))
            .Findings.ShouldHaveSingleItem().Code.ShouldBe(FindingCodes.ActSignatureInvalid);
    }

    [Theory]
    [InlineData("[{\"credentialId\":\"cHJvYmU\",\"personId\":\"p-BY\",\"publicKey\":\"AQID\",\"status\":\"active\"}]", 1, null)]
    [InlineData("[]", 0, null)]
    [InlineData("{}", -1, "not a JSON array")]
    [InlineData("[{\"credentialId\":\"cHJvYmU\",\"personId\":\"p-BY\"}]", -1, "entry 1 lacks")]
    [InlineData("[{\"credentialId\":\"a+b\",\"personId\":\"p-BY\",\"publicKey\":\"AQID\"}]", -1, "entry 1 lacks")]
    [InlineData("[1, ", -1, "not JSON")]
    public void Pinned_credentials_are_read_as_the_service_lists_passkeys(string json, int count, string? problem)
    {
        var read = PinnedCredential.Read(System.Text.Encoding.UTF8.GetBytes(json), out var why);
        if (count < 0)
        {
            read.ShouldBeNull();
            why!.ShouldContain(problem!);
        }
        else read!.Count.ShouldBe(count);
    }

    [Fact]
    public void Every_declared_finding_code_has_a_case()
    {
        var declared = DeclaredCodes().Select(c => (string)c[0]).Order().ToList();
        declared.Count.ShouldBeGreaterThanOrEqualTo(18);
        Cases.Keys.Order().ShouldBe(declared);
    }

    [Theory]
    [MemberData(nameof(DeclaredCodes))]
    public void The_verifier_reports_the_code_for_the_input_built_for_it(string code)
    {
        Cases.ShouldContainKey(code);
        var report = Cases[code]();
        report.Findings.Select(f => f.Code).ShouldContain(code);
        report.Clean.ShouldBeFalse();
    }

    [Fact]
    public void A_vote_naming_the_current_text_version_with_a_wrong_hash_is_the_one_finding_and_its_vote_is_not_proven()
    {
        var report = Cases[FindingCodes.VoteTextMismatch]();
        var finding = report.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe(FindingCodes.VoteTextMismatch);
        finding.Seq.ShouldBe(2);
        finding.Stream.ShouldBe(AuditSample.Stream);
        report.WhoAgreedToWhat.Single().Votes.Single().Proven.ShouldBeFalse();
    }

    [Fact]
    public void A_checkpoint_for_another_log_is_malformed_for_this_one()
    {
        var other = Signed(new Checkpoint("other/log", 7, Root, T0.AddMinutes(1)));
        var report = Verify(Bundle with { Checkpoints = [Kept, other] });
        report.Findings.ShouldContain(f => f.Code == FindingCodes.CheckpointMalformed && f.Message.Contains("other/log"));
    }

    [Fact]
    public void A_sequence_number_that_appears_twice_is_reported_once_with_its_number()
    {
        var report = Verify(Bundle with { Events = [.. Events, Events[0]] });
        report.Findings.Where(f => f.Code == FindingCodes.DuplicateSequence).ShouldHaveSingleItem().Seq.ShouldBe(1);
    }

    [Fact]
    public void Leaves_that_do_not_give_the_signed_root_prove_no_vote()
    {
        var report = Cases[FindingCodes.RootMismatch]();
        report.WhoAgreedToWhat.SelectMany(r => r.Votes).ShouldAllBe(v => !v.Proven);
    }
}
