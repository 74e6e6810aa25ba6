using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

/// <summary>
/// The chair moves the deadline of an open ballot: the ballot closes by itself at the new deadline, the reminder of the
/// old one does nothing, and a refused change (a deadline gone by, a ballot already closed, bad input) appends nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BallotDeadlineChangeTests(AppFixture app)
{
    private ApiClient Api => app.Api;
    private static readonly string[] Laender = ApiClient.AllLaender;

    private async Task Refused(Func<Task<Response>> act, int status, string problemType)
    {
        var before = await app.EventCount();
        var response = await act();
        response.Status.ShouldBe(status, response.Body);
        response.ProblemType.ShouldBe(problemType);
        (await app.EventCount()).ShouldBe(before);
    }

    private Task<Response> Change(Guid id, string token, object deadline) =>
        Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/ballots/current/deadline", token, new { deadline });

    private async Task<Guid> OpenedWithDeadline(string chair, DateTimeOffset deadline)
    {
        var id = (await Api.ProposeTo("D16", await Api.Representative("RP"), "Digitale Verwaltung", "Die Länder vereinbaren gemeinsame Standards.")).Id;
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/ballots", chair, new { matterType = "default", deadline = deadline.ToString("O") }), 201);
        return id;
    }

    [Fact]
    public async Task A_deadline_moved_earlier_closes_the_ballot_then_and_refused_changes_append_nothing()
    {
        var chair = await Api.Chair();
        var first = DateTimeOffset.UtcNow.AddHours(2);
        var id = await OpenedWithDeadline(chair, first);
        await Api.Vote(id, 1, "yes", Laender.Take(13));

        await Refused(() => Change(id, chair, DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O")), 422, "/problems/ballot-deadline-rule");
        await Refused(() => Change(id, chair, "morgen früh"), 400, "/problems/invalid-input");
        var by = await Api.Representative("BY");
        await Refused(() => Change(id, by, DateTimeOffset.UtcNow.AddHours(1).ToString("O")), 403, "/problems/forbidden");

        var second = DateTimeOffset.UtcNow.AddSeconds(8);
        var changed = await Change(id, chair, second.ToString("O"));
        Api.Expect(changed, 200);
        changed.Json["oldDeadline"]!.GetValue<DateTimeOffset>().ShouldBe(first, TimeSpan.FromMilliseconds(1));
        changed.Json["deadline"]!.GetValue<DateTimeOffset>().ShouldBe(second, TimeSpan.FromMilliseconds(1));
        (await Api.Get(id, chair)).Ballots.Single().Deadline!.Value.ShouldBe(second, TimeSpan.FromMilliseconds(1));
        (await ScheduledReminders(id)).ShouldBe(2, "the old reminder waits too, and will do nothing");

        var view = await Api.Get(id, chair);
        for (var attempts = 0; view.Ballots.Single().Status == BallotStatus.Open && attempts < 240; attempts++)
        {
            await Task.Delay(500);
            view = await Api.Get(id, chair);
        }
        var ballot = view.Ballots.Single();
        ballot.Status.ShouldBe(BallotStatus.Closed);
        ballot.Result!.ClosedBy.PersonId.ShouldBe("system:deadline");
        ballot.Result.ClosedAt.ShouldBeGreaterThanOrEqualTo(second);
        ballot.Result.ClosedAt.ShouldBeLessThan(first);
        view.Status.ShouldBe(ResolutionStatus.Adopted);

        await Refused(() => Change(id, chair, DateTimeOffset.UtcNow.AddHours(1).ToString("O")), 422, "/problems/ballot-deadline-rule");
    }

    [Fact]
    public async Task A_deadline_moved_later_leaves_the_ballot_open_when_the_old_one_comes()
    {
        var chair = await Api.Chair();
        var first = DateTimeOffset.UtcNow.AddSeconds(6);
        var id = await OpenedWithDeadline(chair, first);
        await Api.Vote(id, 1, "yes", Laender.Take(13));
        var later = DateTimeOffset.UtcNow.AddHours(3);
        Api.Expect(await Change(id, chair, later.ToString("O")), 200);
        (await ScheduledReminders(id)).ShouldBe(2);

        // The old reminder is delivered (it leaves the scheduled ones) and closes nothing.
        for (var attempts = 0; await ScheduledReminders(id) > 1 && attempts < 240; attempts++) await Task.Delay(500);
        (await ScheduledReminders(id)).ShouldBe(1);
        DateTimeOffset.UtcNow.ShouldBeGreaterThanOrEqualTo(first);
        await Task.Delay(1000);
        var view = await Api.Get(id, chair);
        view.Ballots.Single().Status.ShouldBe(BallotStatus.Open);
        view.Ballots.Single().Deadline!.Value.ShouldBe(later, TimeSpan.FromMilliseconds(1));
        view.Status.ShouldBe(ResolutionStatus.UnderNegotiation);
    }

    private async Task<long> ScheduledReminders(Guid resolution)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        // Wolverine's durable inbox lives in the Marten schema; the body is the serialised message.
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM blk.wolverine_incoming_envelopes WHERE message_type LIKE @type AND status = 'Scheduled' AND position(convert_to(@id, 'UTF8') in body) > 0",
            connection);
        command.Parameters.AddWithValue("type", "%." + nameof(BallotDeadline));
        command.Parameters.AddWithValue("id", resolution.ToString());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
