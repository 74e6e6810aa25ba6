using BundLaenderKoordination.Tests.Shared;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>The verifier on bundles built in memory: no database, no network.</summary>
public sealed class BundleVerifierTests
{
    private const string Origin = "test/log";
    private static readonly BouncyCastleEd25519Signer Signer = new(Origin, Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private static readonly Guid Stream = Guid.Parse("0f3c2d9e-1111-4a5b-8c7d-000000000001");
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    private static JsonObject Actor(string land) => new() { ["personId"] = "p-" + land, ["personName"] = "Vertretung " + land, ["actingFor"] = land, ["role"] = "representative" };

    private static JsonObject Event(long seq, string type, JsonObject data) =>
        LeafDocument.ForEvent(seq, Guid.NewGuid(), Stream, seq, type, T0.AddSeconds(seq), data, null, null, null, null, "*DEFAULT*");

    private static AuditBundle Bundle(params JsonObject[] events)
    {
        var tree = new MerkleTree(events.Select(LeafDocument.Hash));
        var checkpoint = new Checkpoint(Origin, tree.Size, tree.Root(), T0.AddMinutes(1));
        return new AuditBundle(AuditBundle.CurrentFormat, Origin, new BundleScope(BundleScope.All, null), T0.AddMinutes(2),
            events.Select(e => Convert.ToBase64String(LeafDocument.Hash(e))).ToList(), [],
            [NoteSigning.Sign(checkpoint.Body(), Signer).ToString()], [Signer.VerifierKey.ToString()], events);
    }

    private static JsonObject Proposed(string? hash = null)
    {
        var paragraphs = new[] { ("p1", "Die Länder bündeln ihre Verfahren.") };
        return Event(1, "resolution_proposed", new JsonObject
        {
            ["resolutionId"] = Stream.ToString(), ["body"] = "D16", ["title"] = "Digitale Verwaltung",
            ["paragraphs"] = new JsonArray(paragraphs.Select(p => (JsonNode)new JsonObject { ["id"] = p.Item1, ["text"] = p.Item2 }).ToArray()),
            ["textVersion"] = 1, ["textHash"] = hash ?? Oracles.TextHash("Digitale Verwaltung", paragraphs),
            ["proposedBy"] = Actor("DE-RP"), ["proposedAt"] = LeafDocument.FormatTimestamp(T0),
        });
    }

    private static JsonObject Vote(long seq, string land, int textVersion, string textHash, Guid? ballot = null, string choice = "Yes") => Event(seq, "vote_cast", new JsonObject
    {
        ["resolutionId"] = Stream.ToString(), ["land"] = land, ["choice"] = choice, ["textVersion"] = textVersion, ["textHash"] = textHash,
        ["castBy"] = Actor(land), ["castAt"] = LeafDocument.FormatTimestamp(T0.AddSeconds(seq)), ["ballotId"] = ballot?.ToString(),
    });

    private static JsonObject BallotEvent(long seq, string type, Guid ballot, int number, string textHash, bool? adopted = null)
    {
        var data = new JsonObject { ["resolutionId"] = Stream.ToString(), ["ballotId"] = ballot.ToString(), ["number"] = number, ["textVersion"] = 1, ["textHash"] = textHash };
        if (adopted is not null) data["adopted"] = adopted.Value;
        return Event(seq, type, data);
    }

    [Fact]
    public void With_ballots_the_deciding_votes_are_those_of_the_adopting_ballot_and_a_cancelled_ballot_is_listed_as_such()
    {
        var proposed = Proposed();
        var hash = proposed["data"]!["textHash"]!.GetValue<string>();
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var report = BundleVerifier.Verify(Bundle(
            proposed,
            BallotEvent(2, "ballot_opened", first, 1, hash),
            Vote(3, "DE-BY", 1, hash, first),
            BallotEvent(4, "ballot_cancelled", first, 1, hash),
            BallotEvent(5, "ballot_opened", second, 2, hash),
            Vote(6, "DE-BY", 1, hash, second, "No"),
            Vote(7, "DE-HE", 1, hash, second),
            BallotEvent(8, "ballot_closed", second, 2, hash, adopted: true)), [Signer.VerifierKey]);

        report.Findings.ShouldBeEmpty();
        var resolution = report.WhoAgreedToWhat.Single();
        resolution.Adopted.ShouldBeTrue();
        resolution.Votes.Select(v => (v.Land, v.Choice, v.Ballot)).ShouldBe([("DE-BY", "no", (Guid?)second), ("DE-HE", "yes", (Guid?)second)]);
        resolution.Ballots!.Select(b => (b.Number, b.Status, b.Adopted, b.Votes.Count)).ShouldBe([(1, "cancelled", (bool?)null, 1), (2, "closed", (bool?)true, 2)]);
    }

    [Fact]
    public void A_consistent_bundle_is_clean_and_tells_who_agreed()
    {
        var proposed = Proposed();
        var report = BundleVerifier.Verify(Bundle(proposed, Vote(2, "DE-BY", 1, proposed["data"]!["textHash"]!.GetValue<string>())), [Signer.VerifierKey]);
        report.Findings.ShouldBeEmpty();
        report.WhoAgreedToWhat.Single().Votes.Single().ShouldSatisfyAllConditions(
            v => v.Land.ShouldBe("DE-BY"), v => v.Choice.ShouldBe("yes"), v => v.Proven.ShouldBeTrue());
    }

    [Fact]
    public void A_text_whose_stated_hash_is_not_its_hash_is_reported()
    {
        var wrong = new string('0', 64);
        var report = BundleVerifier.Verify(Bundle(Proposed(wrong), Vote(2, "DE-BY", 1, wrong)), [Signer.VerifierKey]);
        report.Findings.Select(f => f.Code).ShouldBe([FindingCodes.TextHashMismatch]);
    }

    [Fact]
    public void A_vote_naming_a_text_version_that_was_not_current_is_reported()
    {
        var proposed = Proposed();
        var report = BundleVerifier.Verify(Bundle(proposed, Vote(2, "DE-BY", 2, proposed["data"]!["textHash"]!.GetValue<string>())), [Signer.VerifierKey]);
        report.Findings.Select(f => f.Code).ShouldBe([FindingCodes.VoteTextMismatch]);
    }

    [Fact]
    public void Without_the_pinned_key_nothing_is_proven()
    {
        var report = BundleVerifier.Verify(Bundle(Proposed()), [BouncyCastleEd25519Signer.Generate(Origin).VerifierKey]);
        report.Findings.Select(f => f.Code).ShouldBe([FindingCodes.KeyUnknown, FindingCodes.NoCheckpoint, FindingCodes.EventUnsealed]);
    }
    [Fact]
    public void A_bundle_read_from_its_text_recomputes_each_leaf_from_the_event_bytes_as_from_the_parsed_event()
    {
        var proposed = Proposed();
        var hash = proposed["data"]!["textHash"]!.GetValue<string>();
        var bundle = Bundle(proposed, Vote(2, "DE-BY", 1, hash), Vote(3, "DE-HE", 1, hash));
        var parsed = BundleVerifier.ParseBundle(System.Text.Json.JsonSerializer.Serialize(bundle, AuditJson.Options))!;

        parsed.EventLeafHashes.ShouldNotBeNull();
        parsed.EventLeafHashes.Select(h => Convert.ToBase64String(h!)).ShouldBe(parsed.Events.Select(e => Convert.ToBase64String(LeafDocument.Hash(e))));
        BundleVerifier.Verify(parsed, [Signer.VerifierKey]).Findings.ShouldBeEmpty();
    }

    [Fact]
    public void An_event_changed_in_the_bundle_text_no_longer_matches_its_leaf()
    {
        var proposed = Proposed();
        var hash = proposed["data"]!["textHash"]!.GetValue<string>();
        var text = System.Text.Json.JsonSerializer.Serialize(Bundle(proposed, Vote(2, "DE-BY", 1, hash, choice: "No")), AuditJson.Options);
        var tampered = BundleVerifier.ParseBundle(text.Replace("\"choice\":\"No\"", "\"choice\":\"Yes\"", StringComparison.Ordinal))!;

        var report = BundleVerifier.Verify(tampered, [Signer.VerifierKey]);
        report.Findings.Select(f => (f.Code, f.Seq)).ShouldBe([(FindingCodes.LeafMismatch, (long?)2)]);
    }

    /// <summary>Leaves 1 and 3 of one resolution, leaf 2 an event of another (restricted) resolution withheld from this reader.</summary>
    private static AuditBundle WithWithheldLeaf(IReadOnlyList<long> redacted)
    {
        var proposed = Proposed();
        var vote = Vote(2, "DE-BY", 1, proposed["data"]!["textHash"]!.GetValue<string>());
        vote["seq"] = 3L;
        var withheld = LeafDocument.ForEvent(2, Guid.NewGuid(), Guid.NewGuid(), 1, "resolution_proposed", T0.AddSeconds(2),
            new JsonObject { ["title"] = "Papier der A-Länder" }, null, null, null, null, "*DEFAULT*");
        var full = Bundle(proposed, withheld, vote);
        return full with { Events = [proposed, vote], Redacted = redacted };
    }

    [Fact]
    public void Redacted_leaves_of_restricted_events_count_in_the_roots_and_are_reported_not_taken_for_deletions()
    {
        var report = BundleVerifier.Verify(WithWithheldLeaf([2]), [Signer.VerifierKey]);

        report.Findings.ShouldBeEmpty();
        report.Clean.ShouldBeTrue();
        report.RedactedLeaves.ShouldBe(1);
        report.TreeSize.ShouldBe(3);
        report.WhoAgreedToWhat.Single().Votes.Single().Proven.ShouldBeTrue();
    }

    [Fact]
    public void A_withheld_event_that_is_not_listed_as_redacted_is_missing()
    {
        var report = BundleVerifier.Verify(WithWithheldLeaf([]), [Signer.VerifierKey]);
        report.Findings.Select(f => (f.Code, f.Seq)).ShouldBe([(FindingCodes.EventMissing, (long?)2)]);
    }

    [Theory]
    [InlineData(4L)] // beyond the signed log
    [InlineData(3L)] // also held as an event
    public void A_redaction_that_hides_nothing_sealed_or_overlaps_an_event_is_malformed(long seq)
    {
        var report = BundleVerifier.Verify(WithWithheldLeaf([2, seq]), [Signer.VerifierKey]);
        report.Findings.Select(f => f.Code).ShouldBe([FindingCodes.BundleMalformed]);
    }

    [Fact]
    public void A_redaction_listed_twice_is_malformed()
    {
        var report = BundleVerifier.Verify(WithWithheldLeaf([2, 2]), [Signer.VerifierKey]);
        report.Findings.Select(f => f.Code).ShouldBe([FindingCodes.BundleMalformed]);
    }
}

