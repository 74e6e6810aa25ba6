using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.Commenting;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Resolutions.Voting;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

/// <summary>
/// The read model is kept by the projection daemon, off the command path; a caller still reads their own write at
/// once, by the version the command returned, in the resolution, the list and the live stream's starting point.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReadYourOwnWriteTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task A_caller_reads_their_own_write_at_once_even_while_the_projection_daemon_is_held_up()
    {
        var bayern = await Api.Representative("DE-BY");
        var proposed = await Api.Propose(bayern, "Lesen nach Schreiben " + Guid.NewGuid().ToString("N")[..6], "Die Länder lesen, was sie schreiben.");
        await app.ProjectionsCaughtUp();

        // Hold the daemon up: its progress row for the read model is locked, so it cannot commit what it applies.
        await using var blocker = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand(
                         "select name from blk.mt_event_progression where name like 'ResolutionView%' for update", blocker, transaction))
            (await lockRow.ExecuteScalarAsync()).ShouldNotBeNull();

        long last = proposed.Version;
        var observer = await Api.Token("Beobachtung Lesen", null, "observer");
        for (var i = 0; i < 6; i++)
        {
            var land = ApiClient.AllLaender[i];
            if (i % 2 == 0)
            {
                var comment = await Api.Comment(proposed.Id, await Api.Representative(land), $"Beitrag {i}");
                Api.Expect(comment, 201);
                last = comment.As<CommentWritten>().Version;
            }
            else
            {
                var vote = await Api.Vote(proposed.Id, await Api.Representative(land), "yes", 1);
                Api.Expect(vote, 200);
                last = vote.As<VoteRecorded>().Version;
            }

            // The resolution as read next shows exactly the version the command returned, with the write in it.
            var read = await Api.Get(proposed.Id, observer);
            read.Version.ShouldBe(last);
            if (i % 2 == 0) read.Comments.ShouldContain(c => c.Text == $"Beitrag {i}");
            else read.Votes.ShouldContain(v => v.Land == land);

            // The list, from the write model, too.
            var listed = (await Api.Send(HttpMethod.Get, "/api/resolutions", observer)).As<List<ResolutionSummary>>().Single(r => r.Id == proposed.Id);
            listed.Version.ShouldBe(last);
        }

        // The stored read model did lag behind: what was read came from the events after it.
        await using (var query = app.Store.QuerySession())
            ((await query.LoadAsync<ResolutionView>(proposed.Id))?.Version ?? 0).ShouldBeLessThan(last);

        await transaction.RollbackAsync();
        await app.ProjectionsCaughtUp();
        await using (var query = app.Store.QuerySession())
            (await query.LoadAsync<ResolutionView>(proposed.Id))!.Version.ShouldBe(last);
    }
}
