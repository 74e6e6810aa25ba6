using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Sessions;

/// <summary>What an agenda item may name: the resolution is loaded with the session, and read as the chair may read it.</summary>
[Collection(AppCollection.Name)]
public sealed class AgendaTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task Refused(Func<Task<Response>> act, int status, string problemType)
    {
        var before = await app.EventCount();
        var response = await act();
        response.Status.ShouldBe(status, response.Body);
        response.ProblemType.ShouldBe(problemType);
        (await app.EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task An_agenda_item_names_an_open_resolution_of_the_body_once_and_no_session_or_resolution_that_is_not_there()
    {
        var chair = await Api.Chair();
        var scheduled = await Api.Send(HttpMethod.Post, "/api/bodies/d16/sessions", chair,
            new { kind = "regular", format = "virtual", startsAt = "2027-04-14T10:00:00+02:00" });
        Api.Expect(scheduled, 201);
        var id = scheduled.Json["id"]!.GetValue<Guid>();

        var restricted = await Api.Send(HttpMethod.Post, "/api/resolutions", await Api.Representative("DE-BY"),
            new { body = "D16", title = "Vorabstimmung", paragraphs = new[] { "Bayern und Hessen stimmen sich ab." }, restrictedTo = new[] { "BY", "DE-HE" } });
        Api.Expect(restricted, 201);
        var hidden = restricted.Json["id"]!.GetValue<Guid>();
        // The chair of Bavaria reads it (Bavaria is in its group), and it waits until its group opens it to all readers.
        await Refused(() => Api.Send(HttpMethod.Post, $"/api/sessions/{id}/agenda", chair, new { resolutionId = hidden }), 422, "/problems/restriction-rule");

        await Refused(() => Api.Send(HttpMethod.Post, $"/api/sessions/{id}/agenda", chair, new { resolutionId = Guid.NewGuid() }), 422, "/problems/session-rule");
        await Refused(() => Api.Send(HttpMethod.Post, $"/api/sessions/{Guid.NewGuid()}/agenda", chair, new { title = "Bericht" }), 404, "/problems/not-found");

        var resolution = (await Api.Propose(await Api.Representative("SH"), "Gemeinsame Cloud", "Die Länder betreiben eine Cloud.")).Id;
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/sessions/{id}/agenda", chair, new { resolutionId = resolution }), 200);
        var version = await app.StreamVersion(id);
        var again = await Api.Send(HttpMethod.Post, $"/api/sessions/{id}/agenda", chair, new { resolutionId = resolution });
        Api.Expect(again, 200);
        again.Json["agenda"]!.AsArray().Count.ShouldBe(1);
        (await app.StreamVersion(id)).ShouldBe(version);
    }
}
