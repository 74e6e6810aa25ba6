using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using System.Text.Json;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.History;

[Collection(AppCollection.Name)]
public sealed class AsOfSnapshotTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task An_as_of_read_of_a_10000_event_stream_starts_from_a_snapshot()
    {
        var token = await Api.Representative("DE-SH");
        var id = (await Api.Propose(token, "Lange Verhandlung", "Ein Absatz.")).Id;
        var proposed = await Api.Get(id, token);

        // 9,999 votes appended the way the service appends (FetchForWriting; the decisions are not what this test is
        // about), in batches, so that snapshots are written along the way as in normal operation.
        var choices = new[] { VoteChoice.Yes, VoteChoice.No, VoteChoice.Abstain };
        var version = 1L;
        await using (var session = app.Store.LightweightSession())
        {
            while (version < 10_000)
            {
                var batch = new List<object>();
                for (var i = 0; i < 500 && version + batch.Count < 10_000; i++)
                {
                    var n = version + batch.Count;
                    var land = ApiClient.AllLaender[n % 16];
                    batch.Add(new VoteCast(id, land, choices[n % 3], 1, proposed.TextHash,
                        new Actor($"dev:vertretung-{land}", $"Vertretung {land}", land, Roles.Representative), DateTimeOffset.UtcNow));
                }
                var stream = await session.Events.FetchForWriting<Resolution>(id);
                stream.AppendMany(batch);
                await session.SaveChangesAsync();
                version += batch.Count;
            }
        }
        (await app.StreamVersion(id)).ShouldBe(10_000);
        await app.ProjectionsCaughtUp(); // the snapshots are written by the projection daemon

        using var reads = new AsOfReads();
        var at9000 = await Api.Get(id, token, "?version=9000");
        var at9050 = await Api.Get(id, token, "?version=9050");

        reads.Of(id).Select(r => (r.Version, r.SnapshotVersion, r.EventsRead)).ShouldBe([(9000L, 9000L, 0), (9050L, 9000L, 50)]);

        // The same state as a fold of all events from the start.
        await using var query = app.Store.QuerySession();
        var all = await query.Events.FetchStreamAsync(id, version: 9050);
        ResolutionView? expected = null;
        foreach (var e in all) expected = ResolutionViewProjection.Next(expected, e.Data);
        JsonSerializer.Serialize(at9050, ApiClient.Json).ShouldBe(JsonSerializer.Serialize(expected, ApiClient.Json));
        at9000.Version.ShouldBe(9000);
        at9000.Votes.Count.ShouldBe(16);
    }

    [Fact]
    public async Task An_as_of_read_without_its_snapshot_folds_from_the_start()
    {
        var token = await Api.Representative("DE-HB");
        var id = (await Api.Propose(token, "Kurze Verhandlung", "Ein Absatz.")).Id;
        var proposed = await Api.Get(id, token);
        await using (var session = app.Store.LightweightSession())
        {
            var stream = await session.Events.FetchForWriting<Resolution>(id);
            stream.AppendMany(Enumerable.Range(2, 149).Select(n => (object)new VoteCast(id, ApiClient.AllLaender[n % 16], n % 2 == 0 ? VoteChoice.Yes : VoteChoice.No,
                1, proposed.TextHash, new Actor("dev:vertretung", "Vertretung", ApiClient.AllLaender[n % 16], Roles.Representative), DateTimeOffset.UtcNow)));
            await session.SaveChangesAsync();
        }
        // As for a stream written before snapshots existed.
        await using (var session = app.Store.LightweightSession())
        {
            session.Delete<ResolutionSnapshot>(ResolutionSnapshot.IdFor(id, 100));
            await session.SaveChangesAsync();
        }

        using var reads = new AsOfReads();
        var at120 = await Api.Get(id, token, "?version=120");

        reads.Of(id).Select(r => (r.Version, r.SnapshotVersion, r.EventsRead)).ShouldBe([(120L, 0L, 120)]);
        await using var query = app.Store.QuerySession();
        ResolutionView? expected = null;
        foreach (var e in await query.Events.FetchStreamAsync(id, version: 120)) expected = ResolutionViewProjection.Next(expected, e.Data);
        JsonSerializer.Serialize(at120, ApiClient.Json).ShouldBe(JsonSerializer.Serialize(expected, ApiClient.Json));
    }
}
