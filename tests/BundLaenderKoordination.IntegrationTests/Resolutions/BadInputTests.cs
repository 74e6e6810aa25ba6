using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class BadInputTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task BadRequest(Func<Task<Response>> act, string? problemType = "/problems/invalid-input")
    {
        var before = await app.EventCount();
        var response = await act();
        response.Status.ShouldBe(400, response.Body);
        if (problemType is not null) response.ProblemType.ShouldBe(problemType);
        response.Json["title"].ShouldNotBeNull();
        (await app.EventCount()).ShouldBe(before);
    }

    private Task<Response> Propose(string token, object body) => Api.Send(HttpMethod.Post, "/api/resolutions", token, body);

    [Fact]
    public async Task Proposals_with_bad_input_are_refused_and_append_nothing()
    {
        var token = await Api.Representative("MV");
        await BadRequest(() => Propose(token, new { body = "D16", title = "  ", paragraphs = new[] { "Text" } }));
        await BadRequest(() => Propose(token, new { body = "D16", title = "Titel", paragraphs = Array.Empty<string>() }));
        await BadRequest(() => Propose(token, new { body = "D16", title = "Titel" }));
        await BadRequest(() => Propose(token, new { body = "D16", title = "Titel", paragraphs = new[] { new string('a', 20_001) } }));
        await BadRequest(() => Propose(token, new { body = "D16", title = "Titel", paragraphs = Enumerable.Repeat(new string('a', 20_000), 11).ToArray() }));
        await BadRequest(() => Propose(token, new { body = "D16", title = "Titel", paragraphs = new[] { "Text\u0007" } }));
        await BadRequest(() => Propose(token, new { body = "XYZ", title = "Titel", paragraphs = new[] { "Text" } }));
        await BadRequest(() => Api.Send(HttpMethod.Post, "/api/resolutions", token, rawBody: "{\"body\": \"D16\", \"title\": "), "/problems/malformed-request");
        await BadRequest(() => Api.Send(HttpMethod.Post, "/api/resolutions", token, rawBody: "[1, 2]"), "/problems/malformed-request");
    }

    [Fact]
    public async Task A_history_read_with_an_unreadable_version_or_instant_is_400()
    {
        var token = await Api.Representative("MV");
        var id = (await Api.Propose(token, "Titel", "Text.")).Id;
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}?version=abc", token)).Status.ShouldBe(400);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}?at=gestern", token)).ProblemType.ShouldBe("/problems/invalid-input");
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}?version=2", token)).Status.ShouldBe(404);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{Guid.NewGuid()}", token)).ProblemType.ShouldBe("/problems/not-found");
    }

    [Fact]
    public async Task A_paragraph_of_exactly_the_limit_is_accepted()
    {
        var token = await Api.Representative("MV");
        Api.Expect(await Propose(token, new { body = "D16", title = "Titel", paragraphs = new[] { new string('ä', 20_000) } }), 201);
    }

    [Fact]
    public async Task Edits_votes_and_comments_with_bad_input_are_refused_and_append_nothing()
    {
        var token = await Api.Representative("NI");
        var id = (await Api.Propose(token, "Titel", "Erster Absatz.", "Zweiter Absatz.")).Id;

        await BadRequest(() => Api.Edit(id, token, 1, new { id = "p9", text = "Unbekannter Absatz." }));
        await BadRequest(() => Api.Edit(id, token, 1, new { id = "p1", text = "A" }, new { id = "p1", text = "B" }));
        await BadRequest(() => Api.Edit(id, token, 1));
        await BadRequest(() => Api.Edit(id, token, 1, new { id = "p1", text = "" }));
        await BadRequest(() => Api.Edit(id, token, 1, new { id = "p1", text = new string('x', 20_001) }));
        await BadRequest(() => Api.Edit(id, token, 1, new { id = "p1", text = "Erster Absatz." }, new { id = "p2", text = "Zweiter Absatz." }));
        await BadRequest(() => Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/text", token, new { paragraphs = new[] { new { id = "p1", text = "x" } } }));
        await BadRequest(() => Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/text", token, rawBody: "{\"expectedVersion\": \"eins\"}"), "/problems/malformed-request");
        await BadRequest(() => Api.Vote(id, token, "vielleicht", 1));
        await BadRequest(() => Api.Vote(id, token, "yes", 0));
        await BadRequest(() => Api.Vote(id, token, "yes", 1, land: "XX"));
        await BadRequest(() => Api.Comment(id, token, ""));
        await BadRequest(() => Api.Comment(id, token, "Zu Absatz 7", "p7"));
        await BadRequest(async () => await Api.Adopt(id, await Api.Chair(), 0));
    }

    [Fact]
    public async Task A_development_token_for_an_unknown_Land_or_role_is_refused()
    {
        (await Api.Send(HttpMethod.Post, "/api/dev/tokens", null, new { name = "X", land = "XX", roles = new[] { "representative" } })).Status.ShouldBe(400);
        (await Api.Send(HttpMethod.Post, "/api/dev/tokens", null, new { name = "X", land = "BY", roles = new[] { "king" } })).Status.ShouldBe(400);
    }
}
