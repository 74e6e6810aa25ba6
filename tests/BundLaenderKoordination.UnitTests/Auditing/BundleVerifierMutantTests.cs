using BundLaenderKoordination.Tests.Shared;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// What the verifier tells an auditor, fact by fact: each finding's code, message, sequence number and stream on inputs
/// built for it, the limits of each check (first and last sequence number, equal sizes), and what the who-agreed report
/// holds. Expected messages and values are written out here by hand.
/// </summary>
public sealed class BundleVerifierMutantTests
{
    private const string Origin = "test/log";
    private static readonly VerifierKey Key = AuditSample.Signer.VerifierKey;
    private static readonly Guid R = Guid.Parse("0f3c2d9e-1111-4a5b-8c7d-000000000001");
    private static readonly Guid Other = Guid.Parse("0f3c2d9e-4444-4a5b-8c7d-000000000004");
    private static readonly Guid Person = Guid.Parse("0f3c2d9e-5555-4a5b-8c7d-000000000005");
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);
    private static readonly string H1 = AuditSample.TextHashOfText;

    private static readonly AuditSample.Files Sample = AuditSample.Build();
    private static AuditBundle Bundle => Sample.InMemory;
    private static VoteReceipt Receipt => Sample.ReceiptInMemory;
    private static string Kept => System.Text.Encoding.UTF8.GetString(Sample.Kept);
    private static string Latest => Bundle.Checkpoints[^1];
    private static List<JsonObject> Events => Bundle.Events.Select(e => e.DeepClone().AsObject()).ToList();

    private static VerificationReport Verify(AuditBundle bundle, IReadOnlyList<string>? kept = null, IReadOnlyList<VoteReceipt>? receipts = null,
        TimeSpan? tolerance = null, WitnessPolicy? witnesses = null) =>
        BundleVerifier.Verify(bundle, [Key], kept, receipts, tolerance, witnesses);

    private static string Signed(long size, byte[] root, DateTimeOffset time, INoteSigner? signer = null) =>
        NoteSigning.Sign(new Checkpoint(Origin, size, root, time).Body(), signer ?? AuditSample.Signer).ToString();

    private static JsonObject Ev(long seq, long version, string type, JsonNode? data, Guid? stream = null, DateTimeOffset? at = null) =>
        LeafDocument.ForEvent(seq, new Guid($"00000000-0000-4000-8000-{seq:D12}"), stream ?? R, version, type, at ?? T0.AddSeconds(seq), data,
            null, null, null, null, "*DEFAULT*");

    private static JsonArray Paragraphs(params (string Id, string Text)[] paragraphs) =>
        new(paragraphs.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["text"] = p.Text }).ToArray());

    private static JsonObject Proposed(long seq = 1, string? hash = null) => Ev(seq, 1, "resolution_proposed", new JsonObject
    {
        ["resolutionId"] = R.ToString(), ["body"] = "D16", ["title"] = "Digitale Verwaltung",
        ["paragraphs"] = Paragraphs(AuditSample.Paragraphs), ["textVersion"] = 1, ["textHash"] = hash ?? H1,
    });

    private static JsonObject Vote(long seq, long version, string land, int textVersion, string textHash, Guid? ballot = null, string choice = "Yes") =>
        Ev(seq, version, "vote_cast", new JsonObject
        {
            ["resolutionId"] = R.ToString(), ["land"] = land, ["choice"] = choice, ["textVersion"] = textVersion, ["textHash"] = textHash,
            ["castBy"] = new JsonObject { ["personId"] = "p-" + land, ["personName"] = "Vertretung " + land, ["actingFor"] = land, ["role"] = "representative" },
            ["castAt"] = LeafDocument.FormatTimestamp(T0.AddSeconds(seq)), ["ballotId"] = ballot?.ToString(),
        });

    private static JsonObject BallotEvent(long seq, long version, string type, Guid ballot, int? number, int textVersion, string textHash, bool? adopted = null)
    {
        var data = new JsonObject { ["resolutionId"] = R.ToString(), ["ballotId"] = ballot.ToString(), ["textVersion"] = textVersion, ["textHash"] = textHash };
        if (number is not null) data["number"] = number.Value;
        if (adopted is not null) data["adopted"] = adopted.Value;
        return Ev(seq, version, type, data);
    }

    /// <summary>A log whose leaves are these documents (events or gaps) in order, with signed checkpoints of the given sizes (all leaves when none).</summary>
    private static AuditBundle Log(IReadOnlyList<JsonObject> leaves, IReadOnlyList<JsonObject> events, IReadOnlyList<long>? gaps = null,
        params (long Size, DateTimeOffset Time)[] checkpoints)
    {
        var tree = new MerkleTree(leaves.Select(LeafDocument.Hash));
        if (checkpoints.Length == 0) checkpoints = [(tree.Size, T0.AddMinutes(1))];
        return new AuditBundle(AuditBundle.CurrentFormat, Origin, new BundleScope(BundleScope.All, null), T0.AddMinutes(20),
            leaves.Select(e => Convert.ToBase64String(LeafDocument.Hash(e))).ToList(), gaps ?? [],
            checkpoints.Select(c => Signed(c.Size, tree.Root(c.Size), c.Time)).ToList(), [Key.ToString()], events);
    }

    private static AuditBundle Log(params JsonObject[] events) => Log(events, events);

    private static string Text(VerificationReport report) => string.Join("\n", report.Findings.Select(f => $"{f.Code} {f.Seq} {f.Message}"));

    // ---- Reading and the shape of the bundle ----

    [Fact]
    public void A_bundle_text_with_a_lone_surrogate_is_refused_as_not_unicode_rather_than_repaired()
    {
        var text = System.Text.Json.JsonSerializer.Serialize(Bundle, AuditJson.Options);
        text.ShouldContain("Digitale Verwaltung");
        var broken = text.Replace("Digitale Verwaltung", "Digitale \uD800Verwaltung", StringComparison.Ordinal);

        var reading = BundleVerifier.ReadBundle(broken);
        reading.Value.ShouldBeNull();
        reading.Problem.ShouldBe("The bundle is not valid Unicode (a lone surrogate).");
        BundleVerifier.ParseBundle(broken).ShouldBeNull();
        BundleVerifier.ReadBundle(text).Value.ShouldNotBeNull();

        var receipt = System.Text.Json.JsonSerializer.Serialize(Receipt, AuditJson.Options);
        BundleVerifier.ParseReceipt(receipt).ShouldNotBeNull();
        BundleVerifier.ParseReceipt(receipt.Replace("DE-HE", "DE-\uDC00HE", StringComparison.Ordinal)).ShouldBeNull();
    }

    [Fact]
    public void An_unreadable_bundle_is_reported_with_its_reason_first_then_the_other_findings_and_nothing_proven()
    {
        var other = new Finding(FindingCodes.CheckpointMalformed, "Kept checkpoint is not a signed checkpoint note: leer");
        var report = BundleVerifier.Unreadable("Die Datei ist abgeschnitten.", [other]);
        report.Findings.ShouldBe([new Finding(FindingCodes.BundleMalformed, "Die Datei ist abgeschnitten."), other]);
        (report.Clean, report.Origin, report.TreeSize, report.EventsChecked, report.CheckpointsVerified, report.ReceiptsChecked)
            .ShouldBe((false, "", 0L, 0, 0, 0));
        report.WhoAgreedToWhat.ShouldBeEmpty();

        BundleVerifier.Unreadable("Leer.").Findings.ShouldBe([new Finding(FindingCodes.BundleMalformed, "Leer.")]);
    }

    [Theory]
    [InlineData("format")]
    [InlineData("origin")]
    [InlineData("scope")]
    [InlineData("scope.kind")]
    [InlineData("leaves")]
    [InlineData("gaps")]
    [InlineData("checkpoints")]
    [InlineData("publicKeys")]
    [InlineData("events")]
    public void A_bundle_lacking_a_required_part_is_unreadable_with_one_finding_naming_the_parts(string part)
    {
        var bundle = part switch
        {
            "format" => Bundle with { Format = null! },
            "origin" => Bundle with { Origin = null! },
            "scope" => Bundle with { Scope = null! },
            "scope.kind" => Bundle with { Scope = new BundleScope(null!, null) },
            "leaves" => Bundle with { Leaves = null! },
            "gaps" => Bundle with { Gaps = null! },
            "checkpoints" => Bundle with { Checkpoints = null! },
            "publicKeys" => Bundle with { PublicKeys = null! },
            _ => Bundle with { Events = null! },
        };
        var report = Verify(bundle);
        report.Findings.ShouldBe([new Finding(FindingCodes.BundleMalformed,
            "The bundle lacks one of format, origin, scope, leaves, gaps, checkpoints, publicKeys, events.")]);
        report.Origin.ShouldBe("");
        report.Clean.ShouldBeFalse();
    }

    [Fact]
    public void An_unknown_bundle_format_is_reported_with_the_format_it_names()
    {
        Verify(Bundle with { Format = "blk-audit-bundle-v0" }).Findings
            .ShouldBe([new Finding(FindingCodes.BundleMalformed, "Unknown bundle format 'blk-audit-bundle-v0'.")]);
    }

    [Fact]
    public void A_leaf_that_is_not_a_base64_sha256_hash_is_reported_with_its_index()
    {
        var leaves = Bundle.Leaves.ToList();
        leaves[1] = "kein Hash";
        leaves[2] = Convert.ToBase64String(new byte[31]);
        var report = Verify(Bundle with { Leaves = leaves });
        report.Findings.Where(f => f.Code == FindingCodes.BundleMalformed).Select(f => f.Message)
            .ShouldBe(["Leaf 1 is not a base64 SHA-256 hash.", "Leaf 2 is not a base64 SHA-256 hash."]);
    }

    [Fact]
    public void A_public_key_in_the_bundle_that_is_no_verifier_key_is_reported_with_why()
    {
        Verify(Bundle with { PublicKeys = [Key.ToString(), "kaputt"] }).Findings.ShouldBe([new Finding(FindingCodes.BundleMalformed,
            "A public key listed in the bundle is not a verifier key: A verifier key is name+keyid+base64(algorithm || key).")]);
    }

    [Fact]
    public void A_public_key_listed_twice_is_reported_once()
    {
        Verify(Bundle with { PublicKeys = [Key.ToString(), Key.ToString()] }).Findings
            .ShouldBe([new Finding(FindingCodes.BundleMalformed, "A public key is listed twice in the bundle.")]);
    }

    [Fact]
    public void A_checkpoint_listed_twice_is_reported_once_and_counted_once()
    {
        var report = Verify(Bundle with { Checkpoints = [Kept, Latest, Latest] });
        report.Findings.ShouldBe([new Finding(FindingCodes.BundleMalformed, "A checkpoint is listed twice in the bundle.")]);
        report.CheckpointsVerified.ShouldBe(2);
    }

    [Fact]
    public void A_checkpoint_that_is_no_signed_note_is_reported_as_being_in_the_bundle_and_a_kept_one_as_kept()
    {
        Verify(Bundle with { Checkpoints = [.. Bundle.Checkpoints, "kein signierter Checkpoint"] }).Findings
            .ShouldHaveSingleItem().ShouldSatisfyAllConditions(
                f => f.Code.ShouldBe(FindingCodes.CheckpointMalformed),
                f => f.Message.ShouldStartWith("Checkpoint in the bundle is not a signed checkpoint note: "));
        Verify(Bundle, ["kein signierter Checkpoint"]).Findings
            .ShouldHaveSingleItem().ShouldSatisfyAllConditions(
                f => f.Code.ShouldBe(FindingCodes.CheckpointMalformed),
                f => f.Message.ShouldStartWith("Kept checkpoint is not a signed checkpoint note: "));
    }

    [Fact]
    public void A_checkpoint_signed_only_by_unpinned_keys_names_each_signer_by_name_and_key_id()
    {
        var rogue = new BouncyCastleEd25519Signer(Origin, Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        var stranger = new BouncyCastleEd25519Signer("fremd.test/log", Enumerable.Range(140, 32).Select(i => (byte)i).ToArray());
        var text = SignedNote.TryParse(Latest)!.Text;
        var note = new SignedNote(text, [.. NoteSigning.Sign(text, rogue).Signatures, .. NoteSigning.Sign(text, stranger).Signatures]).ToString();
        // The id as the verifier key text spells it: its second field.
        string Id(BouncyCastleEd25519Signer s) => s.VerifierKey.ToString().Split('+')[1];
        var ids = $"{Origin}+{Id(rogue)}, fremd.test/log+{Id(stranger)}";

        Verify(Bundle with { Checkpoints = [Kept, note] }).Findings.ShouldContain(new Finding(FindingCodes.KeyUnknown,
            $"Checkpoint in the bundle of size 7 is signed only by keys that are not pinned ({ids})."));
        Verify(Bundle, [note]).Findings.ShouldBe([new Finding(FindingCodes.KeyUnknown,
            $"Kept checkpoint of size 7 is signed only by keys that are not pinned ({ids}).")]);
        Verify(Bundle, receipts: [Receipt with { Checkpoint = note }]).Findings.ShouldBe([new Finding(FindingCodes.KeyUnknown,
            $"Receipt of the vote of DE-HE (event 5) of size 7 is signed only by keys that are not pinned ({ids}).")]);
    }

    [Fact]
    public void A_checkpoint_whose_signature_does_not_verify_is_reported_with_its_size()
    {
        var note = SignedNote.TryParse(Latest)!;
        var altered = Checkpoint.TryParse(note.Text)! with { Time = T0.AddMinutes(5) };
        Verify(Bundle with { Checkpoints = [Kept, new SignedNote(altered.Body(), note.Signatures).ToString()] }).Findings.ShouldContain(
            new Finding(FindingCodes.SignatureInvalid, "The signature of checkpoint in the bundle of size 7 does not verify with the pinned key."));
    }

    [Fact]
    public void A_pinned_key_that_verifies_counts_even_when_another_pinned_key_has_the_same_name_and_id()
    {
        var lookalike = Key with { PublicKey = BouncyCastleEd25519Signer.Generate(Origin).VerifierKey.PublicKey };
        var report = BundleVerifier.Verify(Bundle, [Key, lookalike], [Kept], [Receipt]);
        report.Findings.ShouldBeEmpty();
        report.CheckpointsVerified.ShouldBe(2);
    }

    // ---- Checkpoints against the leaves ----

    [Fact]
    public void A_checkpoint_larger_than_the_leaves_is_reported_as_truncated_with_both_sizes_and_not_as_surplus_leaves()
    {
        var report = Verify(Bundle with { Leaves = Bundle.Leaves.Take(6).ToList() });
        report.Findings.ShouldContain(new Finding(FindingCodes.Truncated,
            "A signed checkpoint of size 7 is in the bundle, but the log holds only 6 leaves."));
        report.Findings.ShouldNotContain(f => f.Code == FindingCodes.BundleMalformed, Text(report));
        report.TreeSize.ShouldBe(6);
    }

    [Fact]
    public void Leaves_that_do_not_give_a_signed_root_are_reported_with_the_size_of_the_checkpoint()
    {
        var report = Verify(Bundle with { Checkpoints = [Kept, Signed(7, Merkle.HashLeaf("anders"u8), T0.AddMinutes(1))] });
        report.Findings.ShouldContain(new Finding(FindingCodes.RootMismatch, "The leaves do not give the signed root of the checkpoint of size 7."));
    }

    [Fact]
    public void A_bundle_without_a_checkpoint_signed_by_a_pinned_key_says_nothing_in_it_is_proven()
    {
        var report = Verify(Bundle with { Checkpoints = [] });
        report.Findings.ShouldContain(new Finding(FindingCodes.NoCheckpoint,
            "The bundle holds no checkpoint signed by a pinned key; nothing in it is proven."));
        report.TreeSize.ShouldBe(0);
    }

    [Fact]
    public void Leaves_beyond_the_latest_checkpoint_are_reported_with_both_counts_and_a_gap_among_them_is_not_checked()
    {
        var extra = Convert.ToBase64String(Merkle.HashLeaf("noch nicht gesiegelt"u8));
        var report = Verify(Bundle with { Leaves = [.. Bundle.Leaves, extra], Gaps = [4, 8] });
        report.Findings.ShouldBe([new Finding(FindingCodes.BundleMalformed, "The bundle holds 8 leaves, more than its latest signed checkpoint (7).")],
            Text(report));
        report.TreeSize.ShouldBe(7);
    }

    // ---- Backdating ----

    /// <summary>Proposal (seq 1) and a vote (seq 2) stamped T0+20 s; checkpoints of size 1 at T0+10 s and T0+100 s, of size 2 at T0+200 s.</summary>
    private static AuditBundle TwoCheckpointsOfSizeOne()
    {
        var events = new[] { Proposed(), Vote(2, 2, "DE-BY", 1, H1) };
        events[1]["timestamp"] = LeafDocument.FormatTimestamp(T0.AddSeconds(20));
        return Log(events, events, null, (1, T0.AddSeconds(100)), (1, T0.AddSeconds(10)), (2, T0.AddSeconds(200)));
    }

    [Fact]
    public void Of_two_checkpoints_of_one_size_the_later_one_dates_the_events_after_it_and_a_backdated_vote_is_no_signed_act()
    {
        var report = Verify(TwoCheckpointsOfSizeOne());
        report.Findings.ShouldBe([new Finding(FindingCodes.EventBackdated,
            "Event 2 claims 2026-11-29T05:00:20.000000Z, but the checkpoint of 2026-11-29T05:01:40.0000000+00:00 (size 1) did not yet hold it.", 2, R)],
            Text(report));
        // Not proven, so not among the acts whose signatures are checked (an unsigned vote would be a notice).
        report.Notices.ShouldBeEmpty();
        report.WhoAgreedToWhat.Single().Votes.Single().Proven.ShouldBeFalse();
        // The same vote in time is a notice: unsigned.
        var inTime = Verify(Log(Proposed(), Vote(2, 2, "DE-BY", 1, H1)));
        inTime.Findings.ShouldBeEmpty();
        inTime.Notices!.ShouldHaveSingleItem().Code.ShouldBe(FindingCodes.ActNotSigned);
    }

    [Fact]
    public void An_event_sealed_long_after_its_timestamp_is_not_backdated_by_the_checkpoint_that_first_holds_it()
    {
        var events = new[] { Proposed(), Vote(2, 2, "DE-BY", 1, H1) };
        var report = Verify(Log(events, events, null, (2, T0.AddMinutes(10))));
        report.Findings.ShouldBeEmpty();
        report.WhoAgreedToWhat.Single().Votes.Single().Proven.ShouldBeTrue();
    }

    // ---- Kept checkpoints ----

    [Fact]
    public void A_kept_checkpoint_the_log_no_longer_extends_is_reported_as_rewritten_history()
    {
        Verify(Bundle, [Signed(3, Merkle.HashLeaf("umgeschrieben"u8), T0.AddSeconds(30))]).Findings.ShouldBe([new Finding(FindingCodes.ConsistencyFailed,
            "The first 3 leaves of the bundle do not give the root signed in a checkpoint kept from an earlier audit: history was rewritten.")]);
    }

    [Fact]
    public void A_kept_checkpoint_larger_than_the_proven_log_is_reported_as_a_cut_off_tail()
    {
        Verify(Bundle, [Signed(9, Merkle.HashLeaf("länger"u8), T0.AddMinutes(3))]).Findings.ShouldBe([new Finding(FindingCodes.Truncated,
            "The log was signed at size 9 in a checkpoint kept from an earlier audit, but the bundle proves only 7 leaves: the tail was cut off.")]);
    }

    // ---- Events ----

    [Fact]
    public void An_event_that_is_no_object_or_cannot_be_canonicalised_is_reported_with_its_index()
    {
        var events = Events;
        var unwritable = events[1].DeepClone().AsObject();
        unwritable["data"]!["weight"] = JsonValue.Create(double.NaN);
        // The premise: a NaN is no JSON number, and writing it is refused with an ArgumentException.
        Should.Throw<ArgumentException>(() => LeafDocument.CanonicalBytes(unwritable));
        var report = Verify(Bundle with { Events = [events[0], null!, unwritable, .. events.Skip(2)] });
        report.Findings.Where(f => f.Code == FindingCodes.BundleMalformed).ShouldBe([
            new Finding(FindingCodes.BundleMalformed, "Event 1 of the bundle is not a leaf document with a sequence number."),
            new Finding(FindingCodes.BundleMalformed, "Event 2 of the bundle is not a leaf document with a sequence number."),
        ], Text(report));
    }

    [Fact]
    public void A_repeated_sequence_number_is_reported_with_the_number()
    {
        Verify(Bundle with { Events = [.. Events, Events[0]] }).Findings
            .ShouldBe([
                new Finding(FindingCodes.DuplicateSequence, "Sequence number 1 appears twice.", 1, R),
                new Finding(FindingCodes.VersionGap, "Stream 0f3c2d9e-1111-4a5b-8c7d-000000000001 has version 1 twice.", 1, R),
            ]);
    }

    [Fact]
    public void A_changed_copy_under_a_repeated_sequence_number_is_reported_as_the_repetition_alone()
    {
        // The copy is not what was sealed, but it is no second claim on leaf 0: the repetition is the one finding.
        var copy = Events[0];
        copy["userName"] = "jemand anderes";
        Verify(Bundle with { Events = [.. Events, copy] }).Findings
            .ShouldBe([
                new Finding(FindingCodes.DuplicateSequence, "Sequence number 1 appears twice.", 1, R),
                new Finding(FindingCodes.VersionGap, "Stream 0f3c2d9e-1111-4a5b-8c7d-000000000001 has version 1 twice.", 1, R),
            ]);
    }

    [Fact]
    public void Events_numbered_zero_or_beyond_the_checkpoint_are_reported_as_unsealed_with_their_number()
    {
        var report = Verify(Bundle with
        {
            Events = [.. Events, Ev(0, 1, "note_added", new JsonObject { ["text"] = "vorher" }, Other), Ev(8, 2, "note_added", new JsonObject { ["text"] = "nachher" }, Other)],
        });
        report.Findings.ShouldBe([
            new Finding(FindingCodes.EventUnsealed, "Event 0 is not covered by a signed checkpoint.", 0, Other),
            new Finding(FindingCodes.EventUnsealed, "Event 8 is not covered by a signed checkpoint.", 8, Other),
        ], Text(report));
    }

    [Fact]
    public void An_event_that_differs_from_its_leaf_names_the_leaf_and_is_not_taken_as_a_signed_act()
    {
        var events = new[] { Proposed(), Vote(2, 2, "DE-BY", 1, H1) };
        var tampered = events[1].DeepClone().AsObject();
        tampered["data"]!["choice"] = "No";
        var report = Verify(Log(events, [events[0], tampered]));
        report.Findings.ShouldBe([new Finding(FindingCodes.LeafMismatch, "Event 2 differs from what was sealed as leaf 1.", 2, R)], Text(report));
        report.Notices.ShouldBeEmpty();
    }

    // ---- Gaps and redactions ----

    [Fact]
    public void Gaps_at_the_first_and_the_last_sequence_number_are_valid()
    {
        JsonObject[] events = [Proposed(2), Vote(3, 2, "DE-BY", 1, H1)];
        var report = Verify(Log([LeafDocument.ForGap(1), .. events, LeafDocument.ForGap(4)], events, [1, 4]));
        report.Findings.ShouldBeEmpty(Text(report));
    }

    [Fact]
    public void A_gap_outside_the_log_is_reported_with_its_number()
    {
        var report = Verify(Bundle with { Gaps = [4, 0, 8] });
        report.Findings.ShouldBe([
            new Finding(FindingCodes.BundleMalformed, "Sequence number 0 is listed as a gap, but the log has no leaf for it.", 0),
            new Finding(FindingCodes.BundleMalformed, "Sequence number 8 is listed as a gap, but the log has no leaf for it.", 8),
        ], Text(report));
    }

    [Fact]
    public void A_gap_listed_twice_is_reported_once_with_its_number()
    {
        Verify(Bundle with { Gaps = [4, 4] }).Findings
            .ShouldBe([new Finding(FindingCodes.BundleMalformed, "Sequence number 4 is listed as a gap twice.", 4)]);
    }

    [Fact]
    public void A_gap_listed_twice_is_checked_against_its_leaf_once()
    {
        var report = Verify(Bundle with { Gaps = [4, 7, 7] });
        report.Findings.ShouldBe([
            new Finding(FindingCodes.LeafMismatch, "Sequence number 7 is listed as never used, but its leaf says otherwise.", 7),
            new Finding(FindingCodes.BundleMalformed, "Sequence number 7 is listed as a gap twice.", 7),
        ], Text(report));
    }

    [Fact]
    public void A_gap_listed_at_the_last_sealed_number_whose_leaf_is_an_event_is_a_leaf_mismatch()
    {
        Verify(Bundle with { Gaps = [4, 7] }).Findings.ShouldContain(
            new Finding(FindingCodes.LeafMismatch, "Sequence number 7 is listed as never used, but its leaf says otherwise.", 7));
    }

    [Fact]
    public void Redacted_leaves_at_the_first_and_the_last_sealed_number_are_valid()
    {
        var first = Ev(1, 1, "resolution_proposed", new JsonObject { ["title"] = "Papier der A-Länder" }, Other);
        var last = Ev(4, 2, "resolution_text_edited", new JsonObject { ["title"] = "Papier der A-Länder" }, Other);
        JsonObject[] events = [Proposed(2), Vote(3, 2, "DE-BY", 1, H1)];
        var report = Verify(Log([first, .. events, last], events) with { Redacted = [1, 4] });
        report.Findings.ShouldBeEmpty(Text(report));
        report.RedactedLeaves.ShouldBe(2);
    }

    [Fact]
    public void Redactions_that_cover_nothing_sealed_overlap_or_repeat_are_reported_each_with_its_number()
    {
        var report = Verify(Bundle with { Redacted = [6, 0, 9, 3, 4, 6] });
        report.Findings.ShouldBe([
            new Finding(FindingCodes.BundleMalformed, "Sequence number 0 is listed as redacted, but no signed checkpoint covers it.", 0),
            new Finding(FindingCodes.BundleMalformed, "Sequence number 9 is listed as redacted, but no signed checkpoint covers it.", 9),
            new Finding(FindingCodes.BundleMalformed, "Sequence number 3 is listed as redacted, but the bundle also holds it as an event or a gap.", 3),
            new Finding(FindingCodes.BundleMalformed, "Sequence number 4 is listed as redacted, but the bundle also holds it as an event or a gap.", 4),
            new Finding(FindingCodes.BundleMalformed, "Sequence number 6 is listed as redacted twice.", 6),
        ], Text(report));
    }

    [Fact]
    public void The_last_sealed_event_missing_from_a_bundle_of_all_events_is_reported_with_its_leaf_and_number()
    {
        Verify(Bundle with { Events = Events.Where(e => e["seq"]!.GetValue<long>() != 7).ToList() }).Findings
            .ShouldBe([new Finding(FindingCodes.EventMissing, "Leaf 6 was sealed, but event 7 is not in the log.", 7)]);
    }

    // ---- Scope ----

    private static AuditBundle Scoped(BundleScope scope, params JsonObject[] events) => Log(events) with { Scope = scope };

    [Fact]
    public void A_persons_passkey_stream_may_travel_with_a_bundle_of_one_resolution()
    {
        var report = Verify(Scoped(new BundleScope(BundleScope.Resolution, R.ToString()),
            Proposed(),
            Ev(2, 1, "passkey_registered", new JsonObject { ["credentialId"] = "cHJvYmU", ["personId"] = "p-BY", ["publicKey"] = "AQID" }, Person),
            Ev(3, 2, "passkey_approved", new JsonObject { ["credentialId"] = "cHJvYmU", ["personId"] = "p-BY" }, Person)));
        report.Findings.ShouldBeEmpty(Text(report));
    }

    [Fact]
    public void A_stream_outside_the_scope_of_one_resolution_is_reported_even_when_it_holds_a_passkey_event()
    {
        var report = Verify(Scoped(new BundleScope(BundleScope.Resolution, R.ToString()),
            Proposed(),
            Ev(2, 1, "note_added", new JsonObject { ["text"] = "fremd" }, Other),
            Ev(3, 2, "passkey_registered", new JsonObject { ["credentialId"] = "cHJvYmU", ["personId"] = "p-BY", ["publicKey"] = "AQID" }, Other)));
        report.Findings.ShouldBe([new Finding(FindingCodes.BundleMalformed,
            "The bundle is of resolution 0f3c2d9e-1111-4a5b-8c7d-000000000001, but holds events of stream 0f3c2d9e-4444-4a5b-8c7d-000000000004.",
            Stream: Other)], Text(report));
    }

    [Fact]
    public void A_stream_without_a_first_version_is_no_resolution_of_the_body_the_bundle_is_of()
    {
        var report = Verify(Scoped(new BundleScope(BundleScope.Body, "D16"),
            Proposed(), Ev(2, 2, "resolution_text_edited", new JsonObject { ["title"] = "ohne Anfang" }, Other)));
        report.Findings.ShouldContain(new Finding(FindingCodes.BundleMalformed,
            "The bundle is of the resolutions of body D16, but stream 0f3c2d9e-4444-4a5b-8c7d-000000000004 is no resolution proposed to it.",
            Stream: Other), Text(report));
    }

    // ---- Stream versions ----

    [Fact]
    public void Events_listed_out_of_order_are_checked_in_version_order()
    {
        var events = new[] { Proposed(), Vote(2, 2, "DE-BY", 1, H1), Vote(3, 3, "DE-HE", 1, H1) };
        var report = Verify(Log(events, [events[2], events[0], events[1]]));
        report.Findings.ShouldBeEmpty(Text(report));
        report.WhoAgreedToWhat.Single().Votes.Select(v => v.Land).ShouldBe(["DE-BY", "DE-HE"]);
    }

    [Fact]
    public void A_version_jump_is_reported_with_the_last_version_before_it_and_the_one_after()
    {
        Verify(Log(Proposed(), Vote(2, 3, "DE-BY", 1, H1))).Findings.ShouldBe([new Finding(FindingCodes.VersionGap,
            "Stream 0f3c2d9e-1111-4a5b-8c7d-000000000001 jumps from version 1 to 3.", 2, R)]);
    }

    [Fact]
    public void A_version_given_twice_is_reported_as_such()
    {
        Verify(Log(Proposed(), Vote(2, 2, "DE-BY", 1, H1), Vote(3, 2, "DE-HE", 1, H1))).Findings.ShouldBe([new Finding(FindingCodes.VersionGap,
            "Stream 0f3c2d9e-1111-4a5b-8c7d-000000000001 has version 2 twice.", 3, R)]);
    }

    // ---- Receipts ----

    private const string What = "Receipt of the vote of DE-HE (event 5)";

    [Fact]
    public void A_receipt_for_a_sealed_vote_missing_from_a_bundle_of_all_events_is_reported_for_its_resolution()
    {
        var report = Verify(Bundle with { Events = [] }, receipts: [Receipt]);
        report.Findings.ShouldContain(new Finding(FindingCodes.EventMissing,
            $"{What}: the vote was sealed, but the bundle holding its resolution lacks it.", 5, R), Text(report));
    }

    [Fact]
    public void A_receipt_of_a_resolution_a_narrower_bundle_does_not_hold_is_not_missing_from_it()
    {
        var report = Verify(Bundle with { Scope = new BundleScope(BundleScope.Resolution, Other.ToString()), Events = [] }, receipts: [Receipt]);
        report.Findings.ShouldBeEmpty(Text(report));
    }

    [Fact]
    public void A_receipt_of_the_last_sealed_vote_missing_from_the_bundle_is_reported()
    {
        var events = new[] { Proposed(), Vote(2, 2, "DE-BY", 1, H1) };
        var tree = new MerkleTree(events.Select(LeafDocument.Hash));
        var bundle = Log(events, [events[0]]);
        var receipt = new VoteReceipt(VoteReceipt.CurrentFormat, R, null, 1, H1, "DE-BY", "p-DE-BY", "Vertretung DE-BY", "yes", T0.AddSeconds(2),
            2, 1, events[1], 2, tree.InclusionProof(1, 2).Select(Convert.ToBase64String).ToList(), bundle.Checkpoints[0]);
        Verify(bundle, receipts: [receipt]).Findings.ShouldBe([
            new Finding(FindingCodes.EventMissing, "Leaf 1 was sealed, but event 2 is not in the log.", 2),
            new Finding(FindingCodes.EventMissing, "Receipt of the vote of DE-BY (event 2): the vote was sealed, but the bundle holding its resolution lacks it.", 2, R),
        ]);
        Verify(Log(events), receipts: [receipt]).Findings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("event")]
    [InlineData("proof")]
    [InlineData("choice")]
    public void A_receipt_lacking_a_part_is_malformed_with_its_sequence_number(string part)
    {
        var receipt = part switch
        {
            "checkpoint" => Receipt with { Checkpoint = null! },
            "event" => Receipt with { Event = null! },
            "proof" => Receipt with { InclusionProof = null! },
            _ => Receipt with { Choice = null! },
        };
        Verify(Bundle, receipts: [receipt]).Findings
            .ShouldBe([new Finding(FindingCodes.ReceiptMalformed, "A receipt lacks its event, inclusion proof, checkpoint or choice.", 5)]);
    }

    [Fact]
    public void A_missing_receipt_is_malformed_without_a_sequence_number()
    {
        Verify(Bundle, receipts: [null!]).Findings
            .ShouldBe([new Finding(FindingCodes.ReceiptMalformed, "A receipt lacks its event, inclusion proof, checkpoint or choice.")]);
    }

    [Fact]
    public void A_receipt_whose_event_cannot_be_canonicalised_is_malformed()
    {
        var broken = Receipt.Event.DeepClone().AsObject();
        broken["data"]!["weight"] = JsonValue.Create(double.NaN);
        Verify(Bundle, receipts: [Receipt with { Event = broken }]).Findings
            .ShouldBe([new Finding(FindingCodes.ReceiptMalformed, $"{What}: the event it carries is not a leaf document.", 5)]);
    }

    public static TheoryData<string> ReceiptChanges() =>
    [
        "seq", "leafIndex", "treeSize", "resolution", "choice", "land", "textVersion", "textHash", "personId", "personName", "ballot",
        "castAt", "landNotUnicode", "eventType", "eventSeq", "eventData",
    ];

    [Theory]
    [MemberData(nameof(ReceiptChanges))]
    public void A_receipt_stating_anything_other_than_the_event_it_carries_is_a_mismatch(string change)
    {
        JsonObject EventWith(Action<JsonObject> edit)
        {
            var e = Receipt.Event.DeepClone().AsObject();
            edit(e);
            return e;
        }
        var (receipt, what) = change switch
        {
            "seq" => (Receipt with { Seq = 6, LeafIndex = 5 }, "Receipt of the vote of DE-HE (event 6)"),
            "leafIndex" => (Receipt with { LeafIndex = 3 }, What),
            "treeSize" => (Receipt with { TreeSize = 6 }, What),
            "resolution" => (Receipt with { Resolution = Other }, What),
            "choice" => (Receipt with { Choice = "yes" }, What),
            "land" => (Receipt with { Land = "DE-BY" }, "Receipt of the vote of DE-BY (event 5)"),
            "textVersion" => (Receipt with { TextVersion = 2 }, What),
            "textHash" => (Receipt with { TextHash = new string('0', 64) }, What),
            "personId" => (Receipt with { PersonId = "p-DE-BY" }, What),
            "personName" => (Receipt with { PersonName = "Vertretung Bayern" }, What),
            "ballot" => (Receipt with { Ballot = null }, What),
            "castAt" => (Receipt with { CastAt = Receipt.CastAt.AddSeconds(1) }, What),
            "landNotUnicode" => (Receipt with { Land = "DE-HE\uD800" }, "Receipt of the vote of DE-HE\uD800 (event 5)"),
            "eventType" => (Receipt with { Event = EventWith(e => e["type"] = "vote_withdrawn") }, What),
            "eventSeq" => (Receipt with { Event = EventWith(e => e["seq"] = 6) }, What),
            _ => (Receipt with { Event = EventWith(e => e["data"] = null) }, What),
        };
        Verify(Bundle, receipts: [receipt]).Findings
            .ShouldBe([new Finding(FindingCodes.ReceiptMismatch, $"{what}: what it states differs from the event it carries.", receipt.Seq)]);
    }

    [Fact]
    public void A_receipt_whose_proof_does_not_lead_to_its_checkpoint_is_a_mismatch()
    {
        var expected = new Finding(FindingCodes.ReceiptMismatch, $"{What}: the event it carries is not in the log its checkpoint signs.", 5);
        Verify(Bundle, receipts: [Receipt with { InclusionProof = [.. Receipt.InclusionProof.SkipLast(1), "kein Hash"] }]).Findings.ShouldBe([expected]);
        Verify(Bundle, receipts: [Receipt with { InclusionProof = [.. Receipt.InclusionProof.SkipLast(1), Convert.ToBase64String(new byte[32])] }])
            .Findings.ShouldBe([expected]);
    }

    [Fact]
    public void A_receipt_checkpoint_beyond_the_proven_log_is_reported_as_a_cut_off_tail()
    {
        var bundle = Bundle with
        {
            Leaves = Bundle.Leaves.Take(3).ToList(), Checkpoints = [Kept], Gaps = [], Redacted = [],
            Events = Events.Where(e => e["seq"]!.GetValue<long>() <= 3).ToList(),
        };
        Verify(bundle).Findings.ShouldBeEmpty();
        Verify(bundle, receipts: [Receipt]).Findings.ShouldBe([new Finding(FindingCodes.Truncated,
            "The log was signed at size 7 in receipt of the vote of de-he (event 5), but the bundle proves only 3 leaves: the tail was cut off.")]);
    }

    [Fact]
    public void A_receipt_whose_vote_the_bundle_holds_differently_is_reported()
    {
        var events = Events;
        events.Single(e => e["seq"]!.GetValue<long>() == 5)["data"]!["choice"] = "Yes";
        var report = Verify(Bundle with { Events = events }, receipts: [Receipt]);
        report.Findings.ShouldBe([
            new Finding(FindingCodes.LeafMismatch, "Event 5 differs from what was sealed as leaf 4.", 5, R),
            new Finding(FindingCodes.ReceiptMismatch, $"{What}: the bundle holds another event under that sequence number.", 5),
        ], Text(report));
    }

    // ---- Witnesses ----

    private static readonly Cosigner WitnessA = TestWitnesses.Bavaria;
    private static readonly Cosigner WitnessB = TestWitnesses.Hesse;
    private static WitnessPolicy Witnesses => new([WitnessA.Key, WitnessB.Key], 2);
    private static string NameOf(Cosigner w) => w.Key.Name + "+" + w.Key.KeyIdHex;

    private static string Cosigned(string note, params Cosigner[] witnesses) => TestWitnesses.Cosigned(note, T0, witnesses);

    /// <summary>The note cosigned by A, with B's cosignature of <paramref name="from"/>'s text moved onto it.</summary>
    private static string WithMovedCosignature(string note, string from)
    {
        var moved = SignedNote.TryParse(Cosigned(from, WitnessB))!.Signatures.Single(s => WitnessB.Key.Names(s));
        return Cosignatures.AddTo(Cosigned(note, WitnessA), [moved]);
    }

    [Fact]
    public void An_invalid_cosignature_names_the_witness_and_the_checkpoint_it_is_on()
    {
        var latest = WithMovedCosignature(Latest, Kept);
        var onLatest = BundleVerifier.Verify(Bundle with { Checkpoints = [Kept, latest] }, [Key], witnesses: Witnesses);
        onLatest.Findings.ShouldContain(new Finding(FindingCodes.CosignatureInvalid,
            $"The cosignature of the witness {NameOf(WitnessB)} on the checkpoint of size 7 does not verify."), Text(onLatest));

        var onKept = BundleVerifier.Verify(Bundle with { Checkpoints = [Kept, Cosigned(Latest, WitnessA, WitnessB)] }, [Key],
            [WithMovedCosignature(Kept, Latest)], witnesses: Witnesses);
        onKept.Findings.ShouldBe([new Finding(FindingCodes.CosignatureInvalid,
            $"The cosignature of the witness {NameOf(WitnessB)} on the kept checkpoint of size 3 does not verify.")], Text(onKept));

        var onReceipt = BundleVerifier.Verify(Bundle with { Checkpoints = [Kept, Cosigned(Latest, WitnessA, WitnessB)] }, [Key],
            receipts: [Receipt with { Checkpoint = latest }], witnesses: Witnesses);
        onReceipt.Findings.ShouldBe([new Finding(FindingCodes.CosignatureInvalid,
            $"The cosignature of the witness {NameOf(WitnessB)} on the checkpoint (size 7) of the receipt of event 5 does not verify.")], Text(onReceipt));
    }

    [Fact]
    public void A_latest_checkpoint_short_of_the_quorum_is_reported_with_the_count_the_quorum_and_the_witnesses_that_cosigned()
    {
        BundleVerifier.Verify(Bundle with { Checkpoints = [Kept, Cosigned(Latest, WitnessA)] }, [Key], witnesses: Witnesses).Findings
            .ShouldBe([new Finding(FindingCodes.CheckpointNotWitnessed,
                $"The latest checkpoint (size 7) is cosigned by 1 of the pinned witnesses, fewer than the quorum of 2 ({NameOf(WitnessA)}).")]);
        BundleVerifier.Verify(Bundle, [Key], witnesses: Witnesses).Findings
            .ShouldBe([new Finding(FindingCodes.CheckpointNotWitnessed,
                "The latest checkpoint (size 7) is cosigned by 0 of the pinned witnesses, fewer than the quorum of 2.")]);
    }

    [Fact]
    public void A_latest_checkpoint_short_of_a_quorum_of_three_names_both_witnesses_that_cosigned()
    {
        var witnessC = new Cosigner("witness.test/sn", Enumerable.Range(120, 32).Select(i => (byte)i).ToArray());
        var policy = new WitnessPolicy([WitnessA.Key, WitnessB.Key, witnessC.Key], 3);
        BundleVerifier.Verify(Bundle with { Checkpoints = [Kept, Cosigned(Latest, WitnessA, WitnessB)] }, [Key], witnesses: policy).Findings
            .ShouldBe([new Finding(FindingCodes.CheckpointNotWitnessed,
                $"The latest checkpoint (size 7) is cosigned by 2 of the pinned witnesses, fewer than the quorum of 3 ({NameOf(WitnessA)}, {NameOf(WitnessB)}).")]);
    }

    // ---- Texts and votes ----

    [Fact]
    public void An_event_without_data_is_passed_over_by_the_text_and_vote_checks_and_the_summary()
    {
        var report = Verify(Log(Proposed(), Ev(2, 2, "resolution_text_edited", null), Ev(3, 3, "vote_cast", null), Vote(4, 4, "DE-BY", 1, H1)));
        report.Findings.ShouldBeEmpty(Text(report));
        report.WhoAgreedToWhat.Single().Votes.Select(v => (v.Land, v.Seq)).ShouldBe([("DE-BY", 4L)]);
    }

    [Fact]
    public void A_paragraph_without_id_or_text_is_hashed_with_an_empty_id_or_text()
    {
        var hash = Oracles.TextHash("Digitale Verwaltung", [("", "Die Länder bündeln ihre Verfahren."), ("p2", "")]);
        var proposed = Proposed(hash: hash);
        proposed["data"]!["paragraphs"] = new JsonArray(new JsonObject { ["text"] = "Die Länder bündeln ihre Verfahren." }, new JsonObject { ["id"] = "p2" });
        var report = Verify(Log(proposed, Vote(2, 2, "DE-BY", 1, hash)));
        report.Findings.ShouldBeEmpty(Text(report));
    }

    [Fact]
    public void A_text_whose_stated_hash_is_not_its_hash_is_reported_with_version_event_and_stated_hash()
    {
        var wrong = new string('0', 64);
        Verify(Log(Proposed(hash: wrong))).Findings.ShouldBe([new Finding(FindingCodes.TextHashMismatch,
            $"Text version 1 (event 1) states hash {wrong}, but its title and paragraphs hash to another value.", 1, R)]);
    }

    [Fact]
    public void A_text_edit_that_states_no_hash_does_not_become_the_current_text()
    {
        var report = Verify(Log(Proposed(), Ev(2, 2, "resolution_text_edited", new JsonObject { ["textVersion"] = 2 }), Vote(3, 3, "DE-BY", 1, H1)));
        report.Findings.ShouldBeEmpty(Text(report));
    }

    private static readonly (string Id, string Text)[] Edited = [("p1", "Die Länder bündeln alle Verfahren.")];
    private static string H2 => Oracles.TextHash("Digitale Verwaltung", Edited);

    private static JsonObject Edit(long seq, long version) => Ev(seq, version, "resolution_text_edited", new JsonObject
    {
        ["resolutionId"] = R.ToString(), ["paragraphs"] = Paragraphs(Edited), ["textVersion"] = 2, ["textHash"] = H2,
    });

    [Fact]
    public void A_vote_on_an_earlier_text_version_is_reported_with_the_version_it_names_and_the_current_one()
    {
        var report = Verify(Log(Proposed(), Edit(2, 2), Vote(3, 3, "DE-BY", 1, H1)));
        report.Findings.ShouldBe([new Finding(FindingCodes.VoteTextMismatch,
            $"The vote of DE-BY (event 3) names text version 1 with hash {H1}, but the text current when it was cast was version 2.", 3, R)],
            Text(report));
    }

    // ---- Who agreed to what ----

    [Fact]
    public void A_stream_not_opened_by_a_proposal_with_data_has_no_summary()
    {
        var report = Verify(Log(
            Ev(1, 1, "resolution_proposed", null),
            Ev(2, 1, "ballot_opened", new JsonObject { ["ballotId"] = AuditSample.Ballot.ToString(), ["number"] = 1 }, Other)));
        report.WhoAgreedToWhat.ShouldBeEmpty();
    }

    [Fact]
    public void A_vote_summary_carries_each_fact_of_the_vote()
    {
        var ballot = AuditSample.Ballot;
        var report = Verify(Log(Proposed(), BallotEvent(2, 2, "ballot_opened", ballot, 1, 1, H1), Vote(3, 3, "DE-BY", 1, H1, ballot, "Abstain")));
        report.Findings.ShouldBeEmpty(Text(report));
        var resolution = report.WhoAgreedToWhat.Single();
        (resolution.Resolution, resolution.Body, resolution.Title, resolution.Adopted, resolution.AdoptedTextVersion, resolution.AdoptedTextHash)
            .ShouldBe((R, "D16", "Digitale Verwaltung", false, (int?)null, (string?)null));
        resolution.Votes.ShouldBe([new VoteSummary("DE-BY", "p-DE-BY", "Vertretung DE-BY", "abstain", 1, H1,
            new DateTimeOffset(2026, 11, 29, 5, 0, 3, TimeSpan.Zero), 3, true, ballot)]);
        var open = resolution.Ballots!.ShouldHaveSingleItem();
        (open.Ballot, open.Number, open.Status, open.TextVersion, open.TextHash, open.Adopted).ShouldBe((ballot, 1, "open", (int?)1, H1, (bool?)null));
    }

    [Fact]
    public void A_vote_stating_none_of_its_facts_is_summarised_with_empty_values()
    {
        var report = Verify(Log(Proposed(), Ev(2, 2, "vote_cast", new JsonObject { ["resolutionId"] = R.ToString() })));
        report.WhoAgreedToWhat.Single().Votes.ShouldBe([new VoteSummary("", "", "", "", 0, "", default, 2, false)]);
    }

    [Fact]
    public void A_ballot_takes_the_number_it_states_and_a_ballot_without_one_its_position()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var report = Verify(Log(Proposed(), BallotEvent(2, 2, "ballot_opened", first, 5, 1, H1), BallotEvent(3, 3, "ballot_opened", second, null, 1, H1)));
        report.WhoAgreedToWhat.Single().Ballots!.Select(b => (b.Ballot, b.Number)).ShouldBe([(first, 5), (second, 2)]);
    }

    [Fact]
    public void A_single_ballot_closed_with_adoption_is_closed_adopted_and_gives_the_adopted_text()
    {
        var ballot = Guid.NewGuid();
        var report = Verify(Log(Proposed(), BallotEvent(2, 2, "ballot_opened", ballot, 1, 1, H1), Vote(3, 3, "DE-BY", 1, H1, ballot),
            BallotEvent(4, 4, "ballot_closed", ballot, 1, 1, H1, adopted: true)));
        report.Findings.ShouldBeEmpty(Text(report));
        var resolution = report.WhoAgreedToWhat.Single();
        (resolution.Adopted, resolution.AdoptedTextVersion, resolution.AdoptedTextHash).ShouldBe((true, (int?)1, H1));
        var closed = resolution.Ballots!.ShouldHaveSingleItem();
        (closed.Status, closed.Adopted, closed.Votes.Single().Land).ShouldBe(("closed", (bool?)true, "DE-BY"));
        resolution.Votes.Select(v => v.Land).ShouldBe(["DE-BY"]);
    }

    [Fact]
    public void The_adopting_ballot_decides_even_when_a_later_ballot_is_open()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var report = Verify(Log(Proposed(),
            BallotEvent(2, 2, "ballot_opened", first, 1, 1, H1), Vote(3, 3, "DE-BY", 1, H1, first),
            BallotEvent(4, 4, "ballot_closed", first, 1, 1, H1, adopted: true),
            BallotEvent(5, 5, "ballot_opened", second, 2, 1, H1), Vote(6, 6, "DE-HE", 1, H1, second)));
        var resolution = report.WhoAgreedToWhat.Single();
        resolution.Votes.Select(v => (v.Land, v.Ballot)).ShouldBe([("DE-BY", (Guid?)first)]);
        resolution.Ballots!.Select(b => b.Status).ShouldBe(["closed", "open"]);
    }

    [Fact]
    public void Without_adoption_the_latest_ballot_not_cancelled_decides()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var report = Verify(Log(Proposed(),
            BallotEvent(2, 2, "ballot_opened", first, 1, 1, H1), Vote(3, 3, "DE-BY", 1, H1, first),
            BallotEvent(4, 4, "ballot_opened", second, 2, 1, H1), Vote(5, 5, "DE-HE", 1, H1, second),
            BallotEvent(6, 6, "ballot_cancelled", second, 2, 1, H1)));
        var resolution = report.WhoAgreedToWhat.Single();
        resolution.Adopted.ShouldBeFalse();
        resolution.Votes.Select(v => (v.Land, v.Ballot)).ShouldBe([("DE-BY", (Guid?)first)]);
        resolution.Ballots!.Select(b => b.Status).ShouldBe(["open", "cancelled"]);
    }

    [Fact]
    public void A_ballot_without_votes_of_its_own_counts_the_votes_cast_outside_ballots_on_its_text()
    {
        var ballot = Guid.NewGuid();
        var report = Verify(Log(Proposed(), Vote(2, 2, "DE-BY", 1, H1), Edit(3, 3), Vote(4, 4, "DE-HE", 2, H2),
            BallotEvent(5, 5, "ballot_opened", ballot, 1, 2, H2), BallotEvent(6, 6, "ballot_closed", ballot, 1, 2, H2, adopted: true)));
        report.Findings.ShouldBeEmpty(Text(report));
        var resolution = report.WhoAgreedToWhat.Single();
        resolution.Ballots!.Single().Votes.Select(v => v.Land).ShouldBe(["DE-HE"]);
        resolution.Votes.Select(v => v.Land).ShouldBe(["DE-HE"]);
        (resolution.AdoptedTextVersion, resolution.AdoptedTextHash).ShouldBe(((int?)2, H2));
    }

    [Fact]
    public void Without_ballots_an_adopted_resolution_counts_the_votes_on_the_adopted_text_and_lists_no_ballots()
    {
        var report = Verify(Log(Proposed(), Vote(2, 2, "DE-BY", 1, H1), Edit(3, 3), Vote(4, 4, "DE-HE", 2, H2),
            Ev(5, 5, "resolution_adopted", new JsonObject { ["resolutionId"] = R.ToString(), ["textVersion"] = 2, ["textHash"] = H2 })));
        report.Findings.ShouldBeEmpty(Text(report));
        var resolution = report.WhoAgreedToWhat.Single();
        (resolution.Adopted, resolution.AdoptedTextVersion, resolution.AdoptedTextHash).ShouldBe((true, (int?)2, H2));
        resolution.Votes.Select(v => v.Land).ShouldBe(["DE-HE"]);
        resolution.Ballots.ShouldBeNull();
    }
}
