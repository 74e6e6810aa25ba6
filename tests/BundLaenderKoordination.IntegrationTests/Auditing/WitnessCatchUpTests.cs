using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>
/// A checkpoint signed while no witness listened (the service ran without witnesses, or was restarted right after
/// signing) is cosigned once the service starts with its witnesses, although nothing new is written.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WitnessCatchUpTests(AppFixture app)
{
    private const string Origin = "bund-laender-koordination/audit-log";

    [Fact]
    public async Task The_latest_checkpoint_signed_before_the_witnesses_were_configured_is_cosigned_at_the_next_start()
    {
        var logKey = new BouncyCastleEd25519Signer(Origin, Convert.FromBase64String((await File.ReadAllTextAsync(app.AuditKeyFile)).Trim()));
        await using var bavaria = await WitnessProcess.CreateAsync("witness.by.example/blk");
        await using var hesse = await WitnessProcess.CreateAsync("witness.he.example/blk");
        await bavaria.StartAsync(logKey.VerifierKey);
        await hesse.StartAsync(logKey.VerifierKey);
        var schema = "blk_catchup_" + Guid.NewGuid().ToString("N")[..8];

        CheckpointIssued sealedBefore;
        await using (var without = await app.StartHost("Development", settings: new Dictionary<string, string> { ["Marten:Schema"] = schema }))
            sealedBefore = await new AuditScenario(without, app.ConnectionString).SealEverything();

        await using var with = await app.StartHost("Development", settings: WitnessProcess.ServiceSettings(schema, 2, [bavaria, hesse]));
        var api = new ApiClient(with);
        CheckpointWitnesses? latest = null;
        for (var attempt = 0; attempt < 300 && latest is not { Witnessed: true }; attempt++)
        {
            if (attempt > 0) await Task.Delay(200);
            var response = await api.Send(HttpMethod.Get, "/api/audit/witnesses", null);
            api.Expect(response, 200);
            latest = response.As<CheckpointWitnesses>();
        }
        latest!.Witnessed.ShouldBeTrue($"the latest checkpoint (size {latest.TreeSize}) was not cosigned within a minute of the start");
        latest.TreeSize.ShouldBeGreaterThanOrEqualTo(sealedBefore.TreeSize);
        latest.Cosignatures.Select(c => c.Witness).Order().ShouldBe(["witness.by.example/blk", "witness.he.example/blk"]);
    }
}
