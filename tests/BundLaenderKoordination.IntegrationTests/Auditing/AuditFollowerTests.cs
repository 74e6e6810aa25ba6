using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>
/// Two nodes on one schema: one holds the sealer lock, the other follows the log. The follower serves a clean bundle and
/// proofs for an event written through it a moment ago, which only a checkpoint asked for can cover: the periodic
/// checkpoint is an hour away.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditFollowerTests(AppFixture app)
{
    [Fact]
    public async Task A_node_that_does_not_seal_serves_a_clean_bundle_and_proofs_by_asking_the_sealer_for_a_checkpoint()
    {
        var settings = new Dictionary<string, string>
        {
            ["Marten:Schema"] = "follow_" + Guid.NewGuid().ToString("N")[..8],
            ["Audit:CheckpointIntervalSeconds"] = "3600",
        };
        await using var sealingNode = await app.StartHost("Development", settings: settings);
        var sealer = sealingNode.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 300 && !sealer.IsSealing; i++) await Task.Delay(100);
        sealer.IsSealing.ShouldBeTrue("the first node takes the sealer lock");

        // The second node runs no projection shard (both run in Wolverine's solo mode here) and cannot take the lock.
        await using var followingNode = await app.StartHost("Development", settings: new Dictionary<string, string>(settings) { ["Projections:Run"] = "false" });
        var follower = followingNode.Services.GetRequiredService<AuditLog>();
        var api = new ApiClient(followingNode);
        var id = (await api.Propose(await api.Representative("DE-SN"), "Folgen", "Ein Absatz, geschrieben über den zweiten Knoten.")).Id;
        follower.IsSealing.ShouldBeFalse();
        var auditor = await api.Token("Prüferin Rechnungshof", null, "auditor");

        var export = await api.Send(HttpMethod.Get, $"/api/audit/bundle?resolution={id}", auditor);

        api.Expect(export, 200);
        var bundle = BundleVerifier.ParseBundle(export.Body)!;
        AuditScenario.ShouldBeClean(BundleVerifier.Verify(bundle, [follower.Key.VerifierKey]));
        var seq = bundle.Events.Max(e => e["seq"]!.GetValue<long>());
        var proof = await api.Send(HttpMethod.Get, $"/api/audit/events/{seq}/inclusion-proof", auditor);
        api.Expect(proof, 200);
        proof.Json["treeSize"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(seq);
        follower.TreeSize.ShouldBeGreaterThanOrEqualTo(seq, "the follower read the leaves the sealer stored");
    }
}
