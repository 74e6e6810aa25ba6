using System.Text.Json;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

/// <summary>
/// Commands decide on the write model stored with every append (read in one round trip with the bodies) instead of
/// replaying the stream. It must be exactly what folding the stream gives, whatever happened on it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WriteModelTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task The_stored_write_model_equals_the_fold_of_the_stream_after_every_kind_of_step()
    {
        var bayern = await Api.Representative("DE-BY");
        var id = (await Api.Propose(bayern, "Cybersicherheit", "Die Länder richten bis 2027 ein Lagezentrum ein.", "Der Bund beteiligt sich.")).Id;
        await SameAsFold(id);

        Api.Expect(await Api.EditFrom(id, await Api.Representative("DE-HE"), 1,
            new { id = "p1", text = "Die Länder richten bis 2028 ein Lagezentrum ein." }, new { id = "p2", text = "Der Bund beteiligt sich." }), 200);
        Api.Expect(await Api.Comment(id, await Api.Representative("DE-SL"), "Zu spät.", "p1"), 201);
        var amendment = await Api.ProposeAmendment(id, await Api.Representative("DE-NI"), 2, "Klarer.",
            new { kind = "replace", paragraphId = "p2", text = "Der Bund beteiligt sich finanziell." });
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments/{amendment}/support", await Api.Representative("DE-SN")), 200);
        var bracket = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", await Api.Representative("DE-HH"),
            new { paragraphId = "p1", quote = "bis 2028", alternatives = new[] { "bis 2029" } });
        Api.Expect(bracket, 201);
        await SameAsFold(id);

        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets/{bracket.Json["bracketId"]!.GetValue<Guid>()}/resolution",
            await Api.Chair(), new { alternative = 1 }), 200);
        Api.Expect(await Api.Vote(id, await Api.Representative("DE-RP"), "no", 3), 200);
        Api.Expect(await Api.Vote(id, await Api.Representative("DE-RP"), "yes", 3), 200);
        await SameAsFold(id);
    }

    private async Task SameAsFold(Guid id)
    {
        await using var session = app.Store.QuerySession();
        var stored = await session.LoadAsync<Resolution>(id);
        var folded = await session.Events.AggregateStreamAsync<Resolution>(id);
        stored.ShouldNotBeNull();
        // Records holding immutable collections compare those by reference, so compare what is stored: the JSON.
        JsonSerializer.Serialize(stored).ShouldBe(JsonSerializer.Serialize(folded));
    }
}
