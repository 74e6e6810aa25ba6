using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The offline check of signed acts on bundles built here event by event: a passkey stream (registered, approved,
/// revoked) and resolution streams with votes, consents, objections and Protokollerklärungen, each signed by a P-256
/// key of the test as an authenticator would. What an auditor reads is asserted as written by hand: the summary of each
/// act that holds, and the message of each finding with its event, Land, author and reason.
/// </summary>
public sealed class SignedActCheckTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);
    private static readonly VerifierKey Key = AuditSample.Signer.VerifierKey;

    private static readonly Guid Keys = Guid.Parse("0f3c2d9e-9999-4a5b-8c7d-000000000009");
    private static readonly Guid R = Guid.Parse("0f3c2d9e-aaaa-4a5b-8c7d-00000000000a");
    private static readonly Guid R2 = Guid.Parse("0f3c2d9e-bbbb-4a5b-8c7d-00000000000b");
    private static readonly Guid Ballot = Guid.Parse("0f3c2d9e-cccc-4a5b-8c7d-00000000000c");
    private static readonly Guid Procedure = Guid.Parse("0f3c2d9e-dddd-4a5b-8c7d-00000000000d");
    private static readonly Guid Declaration = Guid.Parse("0f3c2d9e-eeee-4a5b-8c7d-00000000000e");

    private const string H1 = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string H2 = "2222222222222222222222222222222222222222222222222222222222222222";

    /// <summary>Credential ids: base64url of "by-key", "he-key", "other".</summary>
    private const string ByCredential = "Ynkta2V5";
    private const string HeCredential = "aGUta2V5";
    private const string OtherCredential = "b3RoZXI";

    private static readonly ECDsa ByPasskey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsa HePasskey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A nonce: base64url of the 16 or more ASCII bytes given.</summary>
    private static string Nonce(string sixteenOrMore) => Base64UrlText.Encode(Encoding.ASCII.GetBytes(sixteenOrMore));

    private static readonly string N1 = Nonce("nonce-number-one");
    private static readonly string N2 = Nonce("nonce-number-two");
    private static readonly string N3 = Nonce("nonce-number-3!!");

    /// <summary>The key as COSE (EC2, ES256, P-256), base64url.</summary>
    private static string Cose(ECDsa key) => Base64UrlText.Encode(TestPasskeys.Cose(key));

    /// <summary>A WebAuthn assertion by <paramref name="key"/> over the statement, as stored with an act, with the given signature counter.</summary>
    private static JsonObject Signature(SignedActStatement statement, string credentialId = ByCredential, ECDsa? key = null, uint counter = 1) =>
        TestPasskeys.Assertion(statement, key ?? ByPasskey, credentialId, counter);

    private static string HashOf(string declarationText) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(declarationText)));

    /// <summary>Events appended one after another (sequence numbers 1, 2, ...; versions counted per stream), sealed as one log.</summary>
    private sealed class Log
    {
        private readonly List<JsonObject> events = [];
        private readonly Dictionary<Guid, long> versions = [];

        public long Add(Guid stream, string type, JsonObject? data)
        {
            var seq = events.Count + 1L;
            var version = versions[stream] = versions.GetValueOrDefault(stream) + 1;
            events.Add(LeafDocument.ForEvent(seq, new Guid($"00000000-0000-4000-8000-{seq:D12}"), stream, version, type, T0.AddSeconds(seq), data,
                null, null, null, null, "*DEFAULT*"));
            return seq;
        }

        public long Registered(string credentialId, string personId, ECDsa key) => Add(Keys, "passkey_registered",
            new JsonObject { ["credentialId"] = credentialId, ["personId"] = personId, ["publicKey"] = Cose(key) });

        public long Approved(string credentialId, string personId) =>
            Add(Keys, "passkey_approved", new JsonObject { ["credentialId"] = credentialId, ["personId"] = personId });

        public long Revoked(string credentialId, string personId) =>
            Add(Keys, "passkey_revoked", new JsonObject { ["credentialId"] = credentialId, ["personId"] = personId });

        public long Proposed(Guid resolution = default, string body = "D16") => Add(resolution == default ? R : resolution, "resolution_proposed",
            new JsonObject { ["resolutionId"] = (resolution == default ? R : resolution).ToString(), ["body"] = body, ["title"] = "Digitale Verwaltung", ["textVersion"] = 1, ["textHash"] = H1 });

        public AuditBundle Sealed()
        {
            var tree = new MerkleTree(events.Select(LeafDocument.Hash));
            return new AuditBundle(AuditBundle.CurrentFormat, AuditSample.Origin, new BundleScope(BundleScope.All, null), T0.AddMinutes(2),
                events.Select(e => Convert.ToBase64String(LeafDocument.Hash(e))).ToList(), [],
                [NoteSigning.Sign(new Checkpoint(AuditSample.Origin, tree.Size, tree.Root(), T0.AddMinutes(1)).Body(), AuditSample.Signer).ToString()],
                [Key.ToString()], events);
        }
    }

    private static JsonObject Person(string personId, string personName) =>
        new() { ["personId"] = personId, ["personName"] = personName, ["role"] = "representative" };

    private static JsonObject By => Person("p-BY", "Vertretung Bayern");
    private static JsonObject He => Person("p-HE", "Vertretung Hessen");

    private static JsonObject VoteData(JsonObject? signature, string land = "DE-BY", JsonObject? castBy = null, int textVersion = 1, string textHash = H1) => new()
    {
        ["resolutionId"] = R.ToString(), ["ballotId"] = Ballot.ToString(), ["land"] = land, ["choice"] = "Yes", ["textVersion"] = textVersion,
        ["textHash"] = textHash, ["castBy"] = castBy ?? By, ["signature"] = signature,
    };

    private static SignedActStatement VoteStatement(string nonce) =>
        new(SignedActStatement.Vote, R, "DE-BY", "yes", 1, H1, Ballot, nonce);

    private static VerificationReport Verify(Log log, SignaturePolicy? policy = null) => BundleVerifier.Verify(log.Sealed(), [Key], signatures: policy);

    /// <summary>The findings of the signed-act check, as (sequence number, code, message).</summary>
    private static List<(long?, string, string)> ActFindings(VerificationReport report) =>
        report.Findings.Where(f => f.Code.StartsWith("ACT_", StringComparison.Ordinal)).Select(f => (f.Seq, f.Code, f.Message)).ToList();

    /// <summary>A log with Bavaria's passkey registered (1) and approved (2), and resolution <see cref="R"/> proposed (3) in D16.</summary>
    private static Log WithApprovedPasskey()
    {
        var log = new Log();
        log.Registered(ByCredential, "p-BY", ByPasskey);
        log.Approved(ByCredential, "p-BY");
        log.Proposed();
        return log;
    }

    [Fact]
    public void A_signed_vote_that_holds_is_summarised_with_its_event_ballot_author_choice_text_and_credential()
    {
        var log = WithApprovedPasskey();
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1))));
        var report = Verify(log);
        report.Findings.ShouldBeEmpty();
        report.Notices.ShouldBeEmpty();
        report.SignedActs.ShouldBe([new SignedActSummary(4, R, "vote", "DE-BY", "p-BY", "Vertretung Bayern", "yes", 1, H1, Ballot, ByCredential)]);
    }

    [Fact]
    public void A_signed_consent_names_its_procedure_and_the_text_it_carries()
    {
        var log = WithApprovedPasskey();
        log.Add(R, "written_procedure_started", new JsonObject
            { ["resolutionId"] = R.ToString(), ["procedureId"] = Procedure.ToString(), ["textVersion"] = 1, ["textHash"] = H1 });
        log.Add(R, "written_consent_given", new JsonObject
        {
            ["resolutionId"] = R.ToString(), ["procedureId"] = Procedure.ToString(), ["land"] = "DE-BY", ["textVersion"] = 1, ["textHash"] = H1,
            ["givenBy"] = By, ["signature"] = Signature(new SignedActStatement(SignedActStatement.Consent, R, "DE-BY", "consent", 1, H1, Procedure, N1)),
        });
        var report = Verify(log);
        report.Findings.ShouldBeEmpty();
        report.SignedActs.ShouldBe([new SignedActSummary(5, R, "consent", "DE-BY", "p-BY", "Vertretung Bayern", "consent", 1, H1, Procedure, ByCredential)]);
    }

    [Fact]
    public void A_signed_objection_is_checked_against_the_text_its_written_procedure_was_started_on()
    {
        var log = WithApprovedPasskey();
        log.Add(R, "written_procedure_started", new JsonObject
            { ["resolutionId"] = R.ToString(), ["procedureId"] = Procedure.ToString(), ["textVersion"] = 1, ["textHash"] = H1 });
        // The objection itself names no text: the procedure's is what it was made on.
        log.Add(R, "written_objection_raised", new JsonObject
        {
            ["resolutionId"] = R.ToString(), ["procedureId"] = Procedure.ToString(), ["land"] = "DE-BY", ["raisedBy"] = By,
            ["signature"] = Signature(new SignedActStatement(SignedActStatement.Objection, R, "DE-BY", "object", 1, H1, Procedure, N1)),
        });
        var report = Verify(log);
        report.Findings.ShouldBeEmpty();
        report.SignedActs.ShouldBe([new SignedActSummary(5, R, "objection", "DE-BY", "p-BY", "Vertretung Bayern", "object", 1, H1, Procedure, ByCredential)]);
    }

    [Fact]
    public void An_objection_in_a_written_procedure_the_bundle_does_not_hold_was_made_on_no_text_in_the_bundle()
    {
        var log = WithApprovedPasskey();
        log.Add(R, "written_objection_raised", new JsonObject
        {
            ["resolutionId"] = R.ToString(), ["procedureId"] = Procedure.ToString(), ["land"] = "DE-BY", ["raisedBy"] = By,
            ["signature"] = Signature(new SignedActStatement(SignedActStatement.Objection, R, "DE-BY", "object", 1, H1, Procedure, N1)),
        });
        var report = Verify(log);
        ActFindings(report).ShouldBe([(4L, FindingCodes.ActSignatureInvalid,
            "The objection of DE-BY by p-BY (event 4): the signature does not hold: the text it was made on is not in the bundle.")]);
        report.SignedActs.ShouldBeEmpty();
    }

    [Fact]
    public void A_Protokollerklaerung_made_and_joined_is_signed_on_the_resolution_text_as_it_stands_and_on_the_declaration_text()
    {
        const string text = "Bayern erklärt zu Protokoll: die Länder tragen die Kosten.";
        var log = new Log();
        log.Registered(ByCredential, "p-BY", ByPasskey);
        log.Approved(ByCredential, "p-BY");
        log.Registered(HeCredential, "p-HE", HePasskey);
        log.Approved(HeCredential, "p-HE");
        log.Proposed();
        log.Add(R, "resolution_text_edited", new JsonObject { ["resolutionId"] = R.ToString(), ["textVersion"] = 2, ["textHash"] = H2 });
        // Made: the statement names no declaration id (it has none yet), but the hash of the text.
        log.Add(R, "declaration_attached", new JsonObject
        {
            ["resolutionId"] = R.ToString(), ["declarationId"] = Declaration.ToString(), ["land"] = "DE-BY", ["text"] = text, ["attachedBy"] = By,
            ["signature"] = Signature(new SignedActStatement(SignedActStatement.Declaration, R, "DE-BY", "attach", 2, H2, null, N1, HashOf(text))),
        });
        log.Add(R, "declaration_joined", new JsonObject
        {
            ["resolutionId"] = R.ToString(), ["declarationId"] = Declaration.ToString(), ["land"] = "DE-HE", ["joinedBy"] = He,
            ["signature"] = Signature(new SignedActStatement(SignedActStatement.Declaration, R, "DE-HE", "join", 2, H2, Declaration, N2, HashOf(text)),
                HeCredential, HePasskey),
        });
        var report = Verify(log);
        report.Findings.ShouldBeEmpty();
        report.SignedActs.ShouldBe([
            new SignedActSummary(7, R, "declaration", "DE-BY", "p-BY", "Vertretung Bayern", "attach", 2, H2, null, ByCredential),
            new SignedActSummary(8, R, "declaration", "DE-HE", "p-HE", "Vertretung Hessen", "join", 2, H2, Declaration, HeCredential),
        ]);
    }

    [Fact]
    public void A_Protokollerklaerung_on_a_resolution_never_edited_is_made_on_its_proposed_text()
    {
        const string text = "Bayern erklärt.";
        var log = WithApprovedPasskey();
        log.Add(R, "declaration_attached", new JsonObject
        {
            ["resolutionId"] = R.ToString(), ["declarationId"] = Declaration.ToString(), ["land"] = "DE-BY", ["text"] = text, ["attachedBy"] = By,
            ["signature"] = Signature(new SignedActStatement(SignedActStatement.Declaration, R, "DE-BY", "attach", 1, H1, null, N1, HashOf(text))),
        });
        var report = Verify(log);
        report.Findings.ShouldBeEmpty();
        report.SignedActs!.ShouldHaveSingleItem().ShouldBe(
            new SignedActSummary(4, R, "declaration", "DE-BY", "p-BY", "Vertretung Bayern", "attach", 1, H1, null, ByCredential));
    }

    [Fact]
    public void Only_a_declaration_attached_event_gives_a_declaration_its_text_so_joining_an_unknown_one_does_not_hold()
    {
        const string text = "Ein Entwurf.";
        var log = WithApprovedPasskey();
        // Another event naming a declaration and a text (and one with a text and no declaration) defines no declaration.
        log.Add(R, "declaration_draft_saved", new JsonObject { ["resolutionId"] = R.ToString(), ["declarationId"] = Declaration.ToString(), ["text"] = text });
        log.Add(R, "resolution_comment_added", new JsonObject { ["resolutionId"] = R.ToString(), ["text"] = "Ein Kommentar." });
        log.Add(R, "declaration_joined", new JsonObject
        {
            ["resolutionId"] = R.ToString(), ["declarationId"] = Declaration.ToString(), ["land"] = "DE-BY", ["joinedBy"] = By,
            ["signature"] = Signature(new SignedActStatement(SignedActStatement.Declaration, R, "DE-BY", "join", 1, H1, Declaration, N1, HashOf(text))),
        });
        var report = Verify(log);
        ActFindings(report).ShouldBe([(6L, FindingCodes.ActSignatureInvalid,
            "The declaration of DE-BY by p-BY (event 6): the signature does not hold: the Protokollerklärung it names is not in the bundle.")]);
        report.SignedActs.ShouldBeEmpty();
    }

    [Fact]
    public void Unsigned_acts_in_a_body_whose_acts_the_auditor_requires_signed_are_findings_naming_act_Land_author_and_event()
    {
        var log = new Log();
        log.Proposed();
        log.Add(R, "vote_cast", VoteData(null));
        log.Add(R, "written_procedure_started", new JsonObject
            { ["resolutionId"] = R.ToString(), ["procedureId"] = Procedure.ToString(), ["textVersion"] = 1, ["textHash"] = H1 });
        log.Add(R, "written_consent_given", new JsonObject
            { ["resolutionId"] = R.ToString(), ["procedureId"] = Procedure.ToString(), ["land"] = "DE-SN", ["textVersion"] = 1, ["textHash"] = H1, ["givenBy"] = Person("p-SN", "Sachsen") });
        log.Add(R, "written_objection_raised", new JsonObject
            { ["resolutionId"] = R.ToString(), ["procedureId"] = Procedure.ToString(), ["land"] = "DE-HE", ["raisedBy"] = He });
        log.Add(R, "declaration_attached", new JsonObject
            { ["resolutionId"] = R.ToString(), ["declarationId"] = Declaration.ToString(), ["land"] = "DE-BY", ["text"] = "Bayern erklärt.", ["attachedBy"] = By });
        log.Add(R, "declaration_joined", new JsonObject
            { ["resolutionId"] = R.ToString(), ["declarationId"] = Declaration.ToString(), ["land"] = "DE-HB", ["joinedBy"] = Person("p-HB", "Bremen") });
        // Neither Land nor author named: the message leaves them empty.
        log.Add(R, "vote_cast", new JsonObject { ["resolutionId"] = R.ToString(), ["choice"] = "No", ["textVersion"] = 1, ["textHash"] = H1 });

        var report = Verify(log, new SignaturePolicy(new HashSet<string> { "D16" }));
        report.Notices.ShouldBeEmpty();
        report.SignedActs.ShouldBeEmpty();
        ActFindings(report).ShouldBe([
            (2L, FindingCodes.ActNotSigned, "The vote of DE-BY by p-BY (event 2) carries no signature of its author."),
            (4L, FindingCodes.ActNotSigned, "The consent of DE-SN by p-SN (event 4) carries no signature of its author."),
            (5L, FindingCodes.ActNotSigned, "The objection of DE-HE by p-HE (event 5) carries no signature of its author."),
            (6L, FindingCodes.ActNotSigned, "The declaration of DE-BY by p-BY (event 6) carries no signature of its author."),
            (7L, FindingCodes.ActNotSigned, "The declaration of DE-HB by p-HB (event 7) carries no signature of its author."),
            (8L, FindingCodes.ActNotSigned, "The vote of  by  (event 8) carries no signature of its author."),
        ]);
        // Without a policy the same acts are notices and the bundle stays clean.
        var lenient = Verify(log);
        ActFindings(lenient).ShouldBeEmpty();
        lenient.Notices!.Select(n => (n.Seq, n.Code)).ShouldBe([(2L, FindingCodes.ActNotSigned), (4L, FindingCodes.ActNotSigned),
            (5L, FindingCodes.ActNotSigned), (6L, FindingCodes.ActNotSigned), (7L, FindingCodes.ActNotSigned), (8L, FindingCodes.ActNotSigned)]);
    }

    [Fact]
    public void Whether_an_unsigned_act_is_a_finding_depends_on_the_body_its_own_resolution_was_proposed_to()
    {
        var log = new Log();
        log.Proposed(R, "D16");
        log.Proposed(R2, "D17");
        log.Add(R, "vote_cast", VoteData(null));
        log.Add(R2, "vote_cast", new JsonObject
        {
            ["resolutionId"] = R2.ToString(), ["land"] = "DE-HE", ["choice"] = "No", ["textVersion"] = 1, ["textHash"] = H1, ["castBy"] = He,
        });
        var d16 = Verify(log, new SignaturePolicy(new HashSet<string> { "D16" }));
        ActFindings(d16).ShouldBe([(3L, FindingCodes.ActNotSigned, "The vote of DE-BY by p-BY (event 3) carries no signature of its author.")]);
        d16.Notices!.ShouldHaveSingleItem().ShouldBe(new Finding(FindingCodes.ActNotSigned,
            "The vote of DE-HE by p-HE (event 4) carries no signature of its author.", 4, R2));
        var d17 = Verify(log, new SignaturePolicy(new HashSet<string> { "D17" }));
        ActFindings(d17).ShouldBe([(4L, FindingCodes.ActNotSigned, "The vote of DE-HE by p-HE (event 4) carries no signature of its author.")]);
        var all = Verify(log, new SignaturePolicy(new HashSet<string>(), All: true));
        ActFindings(all).Select(f => f.Item1).ShouldBe([3L, 4L]);
        all.Notices.ShouldBeEmpty();
    }

    [Fact]
    public void A_signature_policy_requires_the_named_bodies_or_all_and_never_a_resolution_without_a_body()
    {
        var policy = new SignaturePolicy(new HashSet<string> { "D16" });
        policy.Requires("D16").ShouldBeTrue();
        policy.Requires("D17").ShouldBeFalse();
        policy.Requires(null).ShouldBeFalse();
        new SignaturePolicy(new HashSet<string>(), All: true).Requires(null).ShouldBeTrue();
    }

    [Fact]
    public void An_act_event_without_data_is_no_act()
    {
        var log = new Log();
        log.Proposed();
        log.Add(R, "vote_cast", null);
        var report = Verify(log, new SignaturePolicy(new HashSet<string>(), All: true));
        ActFindings(report).ShouldBeEmpty();
        report.Notices.ShouldBeEmpty();
        report.SignedActs.ShouldBeEmpty();
    }

    [Fact]
    public void A_signed_vote_without_a_choice_or_an_author_name_is_summarised_with_them_empty()
    {
        var log = WithApprovedPasskey();
        var data = VoteData(Signature(new SignedActStatement(SignedActStatement.Vote, R, "DE-BY", "", 1, H1, Ballot, N1)),
            castBy: new JsonObject { ["personId"] = "p-BY" });
        data.Remove("choice");
        log.Add(R, "vote_cast", data);
        var report = Verify(log);
        report.Findings.ShouldBeEmpty();
        report.SignedActs.ShouldBe([new SignedActSummary(4, R, "vote", "DE-BY", "p-BY", "", "", 1, H1, Ballot, ByCredential)]);
    }

    [Fact]
    public void A_signature_does_not_hold_for_each_reason_the_finding_states()
    {
        var log = new Log();
        log.Registered(ByCredential, "p-BY", ByPasskey);   // 1
        log.Approved(ByCredential, "p-BY");                 // 2
        log.Registered(HeCredential, "p-HE", HePasskey);   // 3
        log.Approved(HeCredential, "p-HE");                 // 4
        log.Proposed();                                     // 5
        // 6: no text hash with the text version.
        var noHash = VoteData(Signature(VoteStatement(N1)));
        noHash.Remove("textHash");
        log.Add(R, "vote_cast", noHash);
        // 7: a nonce of 8 bytes.
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(Base64UrlText.Encode("8 bytes!"u8)))));
        // 8: a credential the bundle does not register.
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N2), OtherCredential)));
        // 9: Hesse's credential under Bavaria's vote.
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N3), HeCredential, HePasskey)));
        var report = Verify(log);
        ActFindings(report).ShouldBe([
            (6L, FindingCodes.ActSignatureInvalid, "The vote of DE-BY by p-BY (event 6): the signature does not hold: the text it was made on is not in the bundle."),
            (7L, FindingCodes.ActSignatureInvalid, "The vote of DE-BY by p-BY (event 7): the signature does not hold: it carries no nonce of 16 to 64 bytes."),
            (8L, FindingCodes.ActSignatureInvalid, "The vote of DE-BY by p-BY (event 8): the signature does not hold: its credential is not registered in the bundle."),
            (9L, FindingCodes.ActSignatureInvalid,
                "The vote of DE-BY by p-BY (event 9): the signature does not hold: its credential is registered to p-HE, not to the act's author."),
        ]);
        report.SignedActs.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("authenticatorData", "the authenticator data is too short")]
    [InlineData("clientDataJson", "the client data is not JSON")]
    [InlineData("signature", "the signature does not verify with the registered key")]
    public void A_signature_lacking_a_part_of_the_assertion_is_checked_as_that_part_empty(string part, string reason)
    {
        var log = WithApprovedPasskey();
        var signature = Signature(VoteStatement(N1));
        signature.Remove(part);
        log.Add(R, "vote_cast", VoteData(signature));
        ActFindings(Verify(log)).ShouldBe([(4L, FindingCodes.ActSignatureInvalid, $"The vote of DE-BY by p-BY (event 4): the signature does not hold: {reason}.")]);
    }

    [Fact]
    public void A_credential_counts_from_its_approval_by_a_second_person_until_its_revocation()
    {
        var log = new Log();
        log.Registered(ByCredential, "p-BY", ByPasskey);    // 1
        log.Proposed();                                      // 2
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1), counter: 0)));   // 3: not yet approved
        log.Approved(ByCredential, "p-BY");                  // 4
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N2), counter: 0)));   // 5: holds
        log.Revoked(ByCredential, "p-BY");                   // 6
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N3), counter: 0)));   // 7: revoked
        var report = Verify(log);
        ActFindings(report).ShouldBe([
            (3L, FindingCodes.ActSignatureInvalid,
                "The vote of DE-BY by p-BY (event 3): the signature does not hold: its credential was not approved by a second person before the act."),
            (7L, FindingCodes.ActSignatureInvalid, "The vote of DE-BY by p-BY (event 7): the signature does not hold: its credential was revoked (event 6) before the act."),
        ]);
        report.SignedActs!.Select(a => a.Seq).ShouldBe([5L]);
    }

    [Fact]
    public void A_credential_revoked_twice_counts_as_revoked_from_the_first_revocation_and_a_second_approval_changes_nothing()
    {
        var log = new Log();
        log.Registered(ByCredential, "p-BY", ByPasskey);    // 1
        log.Approved(ByCredential, "p-BY");                  // 2
        log.Approved(ByCredential, "p-BY");                  // 3: again
        log.Proposed();                                      // 4
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1), counter: 1)));   // 5: holds
        log.Revoked(ByCredential, "p-BY");                   // 6
        log.Revoked(ByCredential, "p-BY");                   // 7
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N2), counter: 2)));   // 8
        var report = Verify(log);
        ActFindings(report).ShouldBe([
            (8L, FindingCodes.ActSignatureInvalid, "The vote of DE-BY by p-BY (event 8): the signature does not hold: its credential was revoked (event 6) before the act."),
        ]);
        report.SignedActs!.Select(a => a.Seq).ShouldBe([5L]);
    }

    [Fact]
    public void An_approval_before_the_registration_and_a_revocation_of_an_unapproved_credential_approve_nothing()
    {
        var log = new Log();
        log.Add(Keys, "passkey_approved", new JsonObject { ["credentialId"] = ByCredential, ["personId"] = "p-BY" });  // 1: nothing registered yet
        log.Add(Keys, "passkey_revoked", new JsonObject { ["credentialId"] = HeCredential, ["personId"] = "p-HE" });    // 2: nothing registered
        log.Registered(ByCredential, "p-BY", ByPasskey);    // 3
        log.Proposed();                                      // 4
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1))));   // 5
        var report = Verify(log);
        ActFindings(report).ShouldBe([(5L, FindingCodes.ActSignatureInvalid,
            "The vote of DE-BY by p-BY (event 5): the signature does not hold: its credential was not approved by a second person before the act.")]);

        var revokedOnly = new Log();
        revokedOnly.Registered(ByCredential, "p-BY", ByPasskey);   // 1
        revokedOnly.Revoked(ByCredential, "p-BY");                 // 2
        revokedOnly.Proposed();                                     // 3
        revokedOnly.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1))));   // 4
        ActFindings(Verify(revokedOnly)).ShouldBe([(4L, FindingCodes.ActSignatureInvalid,
            "The vote of DE-BY by p-BY (event 4): the signature does not hold: its credential was not approved by a second person before the act.")]);
    }

    [Fact]
    public void Only_a_passkey_registered_event_registers_a_credential_even_if_another_event_carries_a_key()
    {
        var log = new Log();
        log.Add(Keys, "passkey_registration_requested", new JsonObject { ["credentialId"] = ByCredential, ["personId"] = "p-BY", ["publicKey"] = Cose(ByPasskey) });
        log.Add(Keys, "passkey_approved", new JsonObject { ["credentialId"] = ByCredential, ["personId"] = "p-BY", ["publicKey"] = Cose(ByPasskey) });
        log.Proposed();
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1))));
        ActFindings(Verify(log)).ShouldBe([(4L, FindingCodes.ActSignatureInvalid,
            "The vote of DE-BY by p-BY (event 4): the signature does not hold: its credential is not registered in the bundle.")]);

        // An approval that carries the key again still approves.
        var approved = new Log();
        approved.Registered(ByCredential, "p-BY", ByPasskey);
        approved.Add(Keys, "passkey_approved", new JsonObject { ["credentialId"] = ByCredential, ["personId"] = "p-BY", ["publicKey"] = Cose(ByPasskey) });
        approved.Proposed();
        approved.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1))));
        var report = Verify(approved);
        report.Findings.ShouldBeEmpty();
        report.SignedActs!.Select(a => a.Seq).ShouldBe([4L]);
    }

    [Fact]
    public void A_replayed_assertion_is_reported_once_naming_the_first_act_and_only_the_first_counts()
    {
        var log = WithApprovedPasskey();
        var vote = VoteData(Signature(VoteStatement(N1)));
        log.Add(R, "vote_cast", vote);                                   // 4
        log.Add(R, "vote_cast", vote.DeepClone().AsObject());            // 5
        var report = Verify(log);
        ActFindings(report).ShouldBe([(5L, FindingCodes.ActSignatureReused,
            "The vote of DE-BY by p-BY (event 5): its signature repeats the nonce or the signature counter of the signed act in event 4 with the same passkey.")]);
        report.SignedActs!.Select(a => a.Seq).ShouldBe([4L]);
    }

    [Fact]
    public void Acts_signed_with_other_nonces_and_counters_all_count_and_a_zero_counter_is_never_compared()
    {
        var log = WithApprovedPasskey();
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1), counter: 1)));   // 4
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N2), counter: 2)));   // 5
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N3), counter: 0)));   // 6
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(Nonce("nonce-number-four")), counter: 0)));   // 7
        var report = Verify(log);
        report.Findings.ShouldBeEmpty();
        report.SignedActs!.Select(a => a.Seq).ShouldBe([4L, 5L, 6L, 7L]);
    }

    [Fact]
    public void A_signature_counter_used_again_with_another_nonce_is_a_reused_signature()
    {
        var log = WithApprovedPasskey();
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1), counter: 7)));   // 4
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N2), counter: 7)));   // 5
        var report = Verify(log);
        ActFindings(report).ShouldBe([(5L, FindingCodes.ActSignatureReused,
            "The vote of DE-BY by p-BY (event 5): its signature repeats the nonce or the signature counter of the signed act in event 4 with the same passkey.")]);
        report.SignedActs!.Select(a => a.Seq).ShouldBe([4L]);
    }

    [Fact]
    public void A_signature_counts_when_its_credential_is_one_of_several_the_auditor_pinned()
    {
        var log = WithApprovedPasskey();
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1))));
        var policy = new SignaturePolicy(new HashSet<string>())
        {
            Credentials = [new PinnedCredential(HeCredential, "p-HE", Cose(HePasskey)), new PinnedCredential(ByCredential, "p-BY", Cose(ByPasskey))],
        };
        var report = Verify(log, policy);
        report.Findings.ShouldBeEmpty();
        report.SignedActs!.Select(a => a.CredentialId).ShouldBe([ByCredential]);
    }

    [Fact]
    public void Pinned_credentials_nested_deeper_than_16_levels_are_refused_as_not_JSON()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 18)) + string.Concat(Enumerable.Repeat("]", 18));
        var json = $"[{{\"credentialId\":\"cHJvYmU\",\"personId\":\"p-BY\",\"publicKey\":\"AQID\",\"extra\":{deep}}}]";
        PinnedCredential.Read(Encoding.UTF8.GetBytes(json), out var problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldStartWith("not JSON (");
        // Up to that depth they are read.
        var shallow = $"[{{\"credentialId\":\"cHJvYmU\",\"personId\":\"p-BY\",\"publicKey\":\"AQID\",\"extra\":{string.Concat(Enumerable.Repeat("[", 10)) + string.Concat(Enumerable.Repeat("]", 10))}}}]";
        PinnedCredential.Read(Encoding.UTF8.GetBytes(shallow), out _)!.ShouldHaveSingleItem().ShouldBe(new PinnedCredential("cHJvYmU", "p-BY", "AQID"));
    }

    [Fact]
    public void An_unsealed_event_repeating_a_sealed_sequence_number_neither_approves_a_credential_nor_counts_as_a_signed_act()
    {
        var log = new Log();
        log.Registered(ByCredential, "p-BY", ByPasskey);                    // 1
        log.Proposed();                                                      // 2
        log.Add(R, "vote_cast", VoteData(Signature(VoteStatement(N1))));     // 3
        var bundle = log.Sealed();
        // Not sealed: an approval under sequence number 2, and a second signed vote under number 1.
        var approval = LeafDocument.ForEvent(2, Guid.NewGuid(), Keys, 2, "passkey_approved", T0.AddSeconds(2),
            new JsonObject { ["credentialId"] = ByCredential, ["personId"] = "p-HE" }, null, null, null, null, "*DEFAULT*");
        var vote = bundle.Events[2].DeepClone().AsObject();
        vote["seq"] = 1;
        vote["data"]!["signature"] = Signature(VoteStatement(N2), counter: 2);
        var report = BundleVerifier.Verify(bundle with { Events = [.. bundle.Events, approval, vote] }, [Key]);
        ActFindings(report).ShouldBe([(3L, FindingCodes.ActSignatureInvalid,
            "The vote of DE-BY by p-BY (event 3): the signature does not hold: its credential was not approved by a second person before the act.")]);
        report.Findings.Where(f => f.Code == FindingCodes.DuplicateSequence).Select(f => f.Seq).ShouldBe([2L, 1L]);
        report.SignedActs.ShouldBeEmpty();
    }
}
