using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

[Collection(AppCollection.Name)]
public sealed class VerifiableAuditTests(AppFixture app)
{
    private readonly AuditScenario _audit = new(app);
    private ApiClient Api => app.Api;

    [Fact]
    public async Task The_bundle_of_a_full_negotiation_verifies_clean_with_kept_checkpoint_and_receipts()
    {
        var negotiation = await _audit.FullNegotiation();
        var keys = await _audit.PinnedKeys();

        var bundle = await _audit.ExportOverHttp($"?resolution={negotiation.Id}");
        var report = BundleVerifier.Verify(bundle, keys, [negotiation.OlderCheckpoint], negotiation.Receipts);
        AuditScenario.ShouldBeClean(report);
        report.Clean.ShouldBeTrue();
        report.ReceiptsChecked.ShouldBe(2);

        var resolution = report.WhoAgreedToWhat.Single();
        resolution.Adopted.ShouldBeTrue();
        resolution.Votes.Count.ShouldBe(16);
        resolution.Votes.Single(v => v.Land == "DE-SL").Choice.ShouldBe("yes");
        resolution.Votes.Single(v => v.Land == "DE-TH").Choice.ShouldBe("abstain");
        resolution.Votes.ShouldAllBe(v => v.Proven && v.TextHash == resolution.AdoptedTextHash && v.PersonId != "");
        // Adoption without an open ballot counts the votes in a ballot opened and closed at once.
        var ballot = resolution.Ballots!.Single();
        (ballot.Status, ballot.Adopted, ballot.Votes.Count).ShouldBe(("closed", (bool?)true, 16));
    }

    [Fact]
    public async Task The_bundle_of_all_events_and_of_a_body_verify_clean()
    {
        await _audit.FullNegotiation();
        var keys = await _audit.PinnedKeys();
        AuditScenario.ShouldBeClean(BundleVerifier.Verify(await _audit.ExportOverHttp(), keys));
        AuditScenario.ShouldBeClean(BundleVerifier.Verify(await _audit.ExportOverHttp("?body=D16"), keys));
    }

    [Fact]
    public async Task A_receipt_holds_the_vote_its_inclusion_proof_and_a_checkpoint_signed_by_the_published_key()
    {
        var negotiation = await _audit.FullNegotiation();
        var keys = await _audit.PinnedKeys();
        var receipt = negotiation.Receipts[^1];
        receipt.Land.ShouldBe("DE-TH");
        receipt.Choice.ShouldBe("abstain");
        receipt.Resolution.ShouldBe(negotiation.Id);
        receipt.Ballot.ShouldBeNull();
        receipt.TextVersion.ShouldBe(2);

        var note = SignedNote.TryParse(receipt.Checkpoint)!;
        keys.Single().Verify(note.Text, note.Signatures.Single().Signature).ShouldBeTrue();
        var checkpoint = Checkpoint.TryParse(note.Text)!;
        Merkle.VerifyInclusion(receipt.LeafIndex, checkpoint.Size, LeafDocument.Hash(receipt.Event),
            receipt.InclusionProof.Select(Convert.FromBase64String).ToList(), checkpoint.RootHash).ShouldBeTrue();
    }

    [Fact]
    public async Task Proof_endpoints_give_RFC_9162_proofs_that_verify_against_the_signed_checkpoints()
    {
        var negotiation = await _audit.FullNegotiation();
        var auditor = await _audit.Auditor();
        var latest = await Api.Send(HttpMethod.Get, "/api/audit/checkpoint", null);
        Api.Expect(latest, 200);
        var newer = Checkpoint.TryParse(SignedNote.TryParse(latest.Body)!.Text)!;
        var older = Checkpoint.TryParse(SignedNote.TryParse(negotiation.OlderCheckpoint)!.Text)!;

        var inclusion = await Api.Send(HttpMethod.Get, $"/api/audit/events/{negotiation.LastSeq}/inclusion-proof", auditor);
        Api.Expect(inclusion, 200);
        var proof = inclusion.As<InclusionProofResponse>();
        Merkle.VerifyInclusion(proof.LeafIndex, proof.TreeSize, Convert.FromBase64String(proof.LeafHash),
            proof.Proof.Select(Convert.FromBase64String).ToList(), newer.RootHash).ShouldBeTrue();

        var consistency = await Api.Send(HttpMethod.Get, $"/api/audit/consistency-proof?from={older.Size}&to={newer.Size}", auditor);
        Api.Expect(consistency, 200);
        Merkle.VerifyConsistency(older.Size, newer.Size, older.RootHash, newer.RootHash,
            consistency.As<ConsistencyProofResponse>().Proof.Select(Convert.FromBase64String).ToList()).ShouldBeTrue();

        var bySize = await Api.Send(HttpMethod.Get, $"/api/audit/checkpoints/{older.Size}", null);
        bySize.Body.ShouldBe(negotiation.OlderCheckpoint);
    }

    [Fact]
    public async Task Who_agreed_to_what_lists_each_Lands_final_vote_with_its_proof_status()
    {
        var negotiation = await _audit.FullNegotiation();
        var response = await Api.Send(HttpMethod.Get, $"/api/audit/who-agreed?resolution={negotiation.Id}", await _audit.Auditor());
        Api.Expect(response, 200);
        var report = response.As<WhoAgreedReport>();
        report.Findings.ShouldBeEmpty();
        var resolution = report.Resolutions.Single();
        resolution.Votes.Select(v => v.Land).ShouldBe(ApiClient.AllLaender.Order(StringComparer.Ordinal));
        resolution.Votes.ShouldAllBe(v => v.Proven);
    }

    [Fact]
    public async Task Exporting_a_bundle_needs_a_recent_sign_in()
    {
        var configuration = app.Host.Services.GetRequiredService<IConfiguration>();
        var stale = DevelopmentTokens.Issue(configuration, "Prüferin Rechnungshof", null, ["auditor"], DateTimeOffset.UtcNow.AddMinutes(-30));
        var refused = await Api.Send(HttpMethod.Get, "/api/audit/bundle", stale);
        refused.Status.ShouldBe(401);
        refused.ProblemType.ShouldBe("/problems/step-up-required");
        (await Api.Send(HttpMethod.Get, "/api/audit/bundle", await _audit.Auditor())).Status.ShouldBe(200);
    }

    [Fact]
    public async Task Audit_exports_and_reports_are_for_auditors_and_receipts_for_the_voting_Land()
    {
        var negotiation = await _audit.FullNegotiation();
        var observer = await Api.Token("Beobachter", null, "observer");
        var representative = await Api.Representative("DE-BW");
        foreach (var token in new[] { observer, representative })
        {
            (await Api.Send(HttpMethod.Get, "/api/audit/bundle", token)).ProblemType.ShouldBe("/problems/forbidden");
            (await Api.Send(HttpMethod.Get, "/api/audit/who-agreed", token)).Status.ShouldBe(403);
            (await Api.Send(HttpMethod.Post, "/api/audit/checkpoints", token)).Status.ShouldBe(403);
        }
        (await Api.Send(HttpMethod.Get, "/api/audit/bundle", null)).Status.ShouldBe(401);
        var version = negotiation.Receipts[^1].Event["version"]!.GetValue<long>();
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{negotiation.Id}/votes/{version}/receipt", representative)).Status.ShouldBe(403);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{negotiation.Id}/votes/{version}/receipt", await _audit.Auditor())).Status.ShouldBe(200);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{negotiation.Id}/votes/1/receipt", await _audit.Auditor())).Status.ShouldBe(404);
    }
}
