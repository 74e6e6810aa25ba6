using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.LocalPostgres;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Hardening;

/// <summary>
/// A service whose PostgreSQL goes away: reads and writes answer 503 with Retry-After and their own problem type, the
/// readiness check says not ready, and once the database is back the same service writes again.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OutageTests(AppFixture app)
{
    [Fact]
    public async Task With_the_database_stopped_reads_and_writes_answer_503_and_work_again_once_it_is_back()
    {
        var folder = Path.Combine(Path.GetTempPath(), "blk-outage-" + Guid.NewGuid().ToString("N"));
        // Not a throwaway cluster: stopping it keeps its data, so that it can be started again on the same port.
        var postgres = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = folder, Durable = false });
        try
        {
            await using var host = await app.StartHost("Development",
                settings: new Dictionary<string, string> { ["Marten:Schema"] = "blk", ["ConnectionStrings:Marten"] = postgres.ConnectionString });
            // The client's own check that a refusal appended nothing reads the database, which this test stops.
            var api = new ApiClient(host) { CheckRefusalsAppendNothing = false };
            var representative = await api.Representative("DE-NW");
            var written = await api.Propose(representative, "Gemeinsame Cloud", "Bund und Länder nutzen eine gemeinsame Cloud.");
            (await api.Send(HttpMethod.Get, "/health/ready", null)).Status.ShouldBe(200);

            var port = postgres.Port;
            await postgres.DisposeAsync();

            var write = await api.Comment(written.Id, representative, "Bitte die Kosten ergänzen.");
            ShouldBeUnavailable(write);
            var read = await api.Send(HttpMethod.Get, $"/api/resolutions/{written.Id}", representative);
            ShouldBeUnavailable(read);
            var propose = await api.Send(HttpMethod.Post, "/api/resolutions", representative,
                new { body = "D16", title = "Noch ein Antrag", paragraphs = new[] { "Ein Absatz." } });
            ShouldBeUnavailable(propose);
            (await api.Send(HttpMethod.Get, "/health/ready", null)).Status.ShouldBe(503);

            postgres = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = folder, Durable = false, Port = port });
            // Connections of the pool that died with the server are dropped as they are found; a few tries at most.
            Response? again = null;
            for (var attempt = 0; attempt < 20 && again?.Status != 201; attempt++)
            {
                if (attempt > 0) await Task.Delay(250);
                again = await api.Comment(written.Id, representative, "Bitte die Kosten ergänzen.");
                if (again.Status != 201) again.Status.ShouldBe(503, again.Body);
            }
            again!.Status.ShouldBe(201, again.Body);
            (await api.Send(HttpMethod.Get, "/health/ready", null)).Status.ShouldBe(200);
        }
        finally
        {
            await postgres.DisposeAsync();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static void ShouldBeUnavailable(Response response)
    {
        response.Status.ShouldBe(503, response.Body);
        response.ProblemType.ShouldBe(Problems.DatabaseUnavailable);
        response.Headers["Retry-After"].ShouldBe(Outages.RetryAfterSeconds.ToString());
    }
}
