using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// Commands read the caller's mandates from one document per person, kept inline with the mandate events; a database
/// written before that document existed gets it built from the stored events on start.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PersonMandatesTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task Missing_mandates_by_person_are_built_from_the_stored_events_and_commands_are_accepted_again()
    {
        var token = await Api.Representative("DE-RP");
        var id = (await Api.Propose(token, "Datenaustausch", "Die Länder tauschen Daten aus.")).Id;

        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("DELETE FROM blk.mt_doc_personmandates", connection);
            await command.ExecuteNonQueryAsync();
        }
        // As after an upgrade: the mandate is stored, the document a command reads it by is not.
        (await Api.Vote(id, token, "yes", 1)).Status.ShouldBe(403);

        await new PersonMandatesBackfill(app.Store, NullLogger<PersonMandatesBackfill>.Instance).StartAsync(CancellationToken.None);

        Api.Expect(await Api.Vote(id, token, "yes", 1), 200);
    }

    [Fact]
    public async Task A_revoked_mandate_refuses_the_next_command_read_with_the_resolution()
    {
        var admin = await Api.Admin("Verwaltung Widerruf");
        var second = await Api.Admin("Verwaltung Widerruf Zwei");
        var person = ApiClient.PersonId("Vertretung Widerruf");
        Api.Expect(await Api.GrantMandate(admin, person, "Vertretung Widerruf", "DE-SL", "representative"), 201);
        Api.Expect(await Api.ApproveMandate(second, person), 200);
        var token = await Api.Token("Vertretung Widerruf", null);
        var id = (await Api.Propose(await Api.Representative("DE-SL"), "Verwaltungsportal", "Die Länder betreiben ein Portal.")).Id;
        Api.Expect(await Api.Vote(id, token, "yes", 1), 200);

        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/bodies/D16/mandates/{person}/revocation", admin, new { reason = "Wechsel" }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/bodies/D16/mandates/{person}/revocation/confirmation", second), 204);

        var refused = await Api.Vote(id, token, "no", 1);
        refused.Status.ShouldBe(403);
        refused.ProblemType.ShouldBe("/problems/forbidden");
    }
}
