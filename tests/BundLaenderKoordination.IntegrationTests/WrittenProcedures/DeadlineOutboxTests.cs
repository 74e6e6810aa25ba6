using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.WrittenProcedures;

/// <summary>
/// A deadline (of a ballot or a written procedure) is a scheduled message stored in the same transaction as the event
/// that starts the clock: if the commit fails, neither exists; once it succeeds, both do, and a crash right after the
/// commit loses nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DeadlineOutboxTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task A_ballot_whose_commit_fails_leaves_neither_the_event_nor_its_deadline_and_one_that_commits_leaves_both()
    {
        var id = (await Api.Propose(await Api.Representative("DE-NI"), "Digitale Identitäten", "Die Länder erkennen die BundID an.")).Id;
        var chair = await Api.Chair();
        var deadline = DateTimeOffset.UtcNow.AddHours(2);
        var open = () => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/ballots", chair, new { matterType = "default", deadline = deadline.ToString("O") });

        // The database refuses the transaction at COMMIT (a deferred constraint trigger): after the decision, after the append.
        await app.Sql($"""
            CREATE FUNCTION blk.refuse_ballot_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.stream_id = '{id}' AND NEW.type = 'ballot_opened' THEN RAISE EXCEPTION 'commit refused for the test'; END IF;
              RETURN NEW;
            END $$;
            CREATE CONSTRAINT TRIGGER refuse_ballot_commit AFTER INSERT ON blk.mt_events
              DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION blk.refuse_ballot_commit();
            """);
        try
        {
            (await open()).Status.ShouldBe(500);
        }
        finally
        {
            await app.Sql("DROP TRIGGER refuse_ballot_commit ON blk.mt_events; DROP FUNCTION blk.refuse_ballot_commit();");
        }
        (await app.StreamVersion(id)).ShouldBe(1);
        (await ScheduledDeadlines(nameof(BallotDeadline), id)).ShouldBe(0);

        Api.Expect(await open(), 201);
        (await app.StreamVersion(id)).ShouldBe(2);
        (await ScheduledDeadlines(nameof(BallotDeadline), id)).ShouldBe(1);
    }

    [Fact]
    public async Task A_written_procedure_deadline_fires_although_the_service_died_right_after_the_commit()
    {
        var schema = "blk_crash_" + Guid.NewGuid().ToString("N")[..8];
        Guid id;
        var ownSchema = new Dictionary<string, string> { ["Marten:Schema"] = schema };
        {
            // The first instance "dies" right after the commit: nothing it would do after the commit happens.
            await using (var first = await app.StartHost("Development", settings: ownSchema, configure:
                             services => services.ConfigureMarten(o => o.Listeners.Add(new DieAfterCommit()))))
            {
                var api = new ApiClient(first);
                id = (await api.ProposeTo("BL-KI", await api.Representative("NW"), "Gemeinsame Cloud", "Bund und Länder nutzen eine gemeinsame Cloud.")).Id;
                var started = await WrittenProcedureTests.Start(api, id, await api.Chair("BUND"), DateTimeOffset.UtcNow.AddSeconds(3));
                started.Status.ShouldBe(500, started.Body);
                (await api.Get(id, await api.Chair("BUND"))).WrittenProcedures.Single().Status.ShouldBe(WrittenProcedureStatus.Running);
            }

            await Task.Delay(TimeSpan.FromSeconds(4));

            // Nothing is re-created at start-up: the scheduled message committed with the event is all there is.
            await using var second = await app.StartHost("Development", settings: ownSchema);
            var again = new ApiClient(second);
            var view = await WrittenProcedureTests.UntilEnded(again, id, await again.Chair("BUND"));
            view.Status.ShouldBe(ResolutionStatus.Adopted);
            view.WrittenProcedures.Single().Status.ShouldBe(WrittenProcedureStatus.Adopted);
        }
    }

    /// <summary>Throws once the transaction that started a written procedure has committed, as a crash there would end the request.</summary>
    private sealed class DieAfterCommit : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) =>
            commit.GetEvents().Any(e => e.Data is WrittenProcedureStarted)
                ? throw new InvalidOperationException("The service died right after the commit.")
                : Task.CompletedTask;
    }

    private async Task<long> ScheduledDeadlines(string messageType, Guid resolution)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        // Wolverine's durable inbox lives in the Marten schema; the body is the serialised message.
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM blk.wolverine_incoming_envelopes WHERE message_type LIKE @type AND status = 'Scheduled' AND position(convert_to(@id, 'UTF8') in body) > 0",
            connection);
        command.Parameters.AddWithValue("type", "%." + messageType);
        command.Parameters.AddWithValue("id", resolution.ToString());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
