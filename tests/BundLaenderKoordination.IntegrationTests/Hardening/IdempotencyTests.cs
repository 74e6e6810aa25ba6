using Microsoft.Extensions.DependencyInjection;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Hardening;

/// <summary>
/// A client whose connection dropped after the commit cannot know whether its command was recorded: it sends the same
/// request again with the same Idempotency-Key and gets the first answer, and nothing is recorded twice.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class IdempotencyTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private static Dictionary<string, string> Key(string key) => new() { [IdempotentCommands.Header] = key };

    private Task<Response> Comment(Guid id, string token, string text, string? key) =>
        Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", token, new { text }, headers: key is null ? null : Key(key));

    [Fact]
    public void Anonymous_posts_take_no_key_and_the_signed_in_commands_do()
    {
        // With no person to scope a key by, a stored answer could be handed to anyone repeating it.
        var chains = app.Host.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(source => source.Endpoints).Select(e => e.Metadata.GetMetadata<Wolverine.Http.HttpChain>()).OfType<Wolverine.Http.HttpChain>();
        var posts = chains.Distinct().Where(c => c.HttpMethods.Contains("POST") && c.RoutePattern!.RawText!.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        posts.Single(c => c.RoutePattern!.RawText == "/api/notifications/unsubscribe").DeduplicatedWithResponse.ShouldBeNull();
        posts.Single(c => c.RoutePattern!.RawText == "/api/resolutions/{id}/comments").DeduplicatedWithResponse.ShouldNotBeNull();
        posts.Count(c => c.DeduplicatedWithResponse is not null).ShouldBeGreaterThan(20);
    }

    [Fact]
    public async Task A_repeat_with_the_same_key_gets_the_first_answer_and_records_nothing()
    {
        var token = await Api.Representative("DE-HB");
        var id = (await Api.Propose(token, "Gemeinsame Cloud", "Bund und Länder nutzen eine gemeinsame Cloud.")).Id;
        var key = Guid.NewGuid().ToString();

        var first = await Comment(id, token, "Bitte die Kosten ergänzen.", key);
        Api.Expect(first, 201);
        var events = await app.EventCount();
        var version = await app.StreamVersion(id);

        // The answer was lost on the way back; the client sends exactly the same request again.
        var repeat = await Comment(id, token, "Bitte die Kosten ergänzen.", key);
        repeat.Status.ShouldBe(201, repeat.Body);
        repeat.Body.ShouldBe(first.Body);
        repeat.Headers.Location.ShouldBe(first.Headers.Location);
        (await app.EventCount()).ShouldBe(events);
        (await app.StreamVersion(id)).ShouldBe(version);
        (await Api.Get(id, token)).Comments.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422_and_records_nothing()
    {
        var token = await Api.Representative("DE-HB");
        var id = (await Api.Propose(token, "Gemeinsame Cloud", "Bund und Länder nutzen eine gemeinsame Cloud.")).Id;
        var key = Guid.NewGuid().ToString();
        Api.Expect(await Comment(id, token, "Bitte die Kosten ergänzen.", key), 201);
        var events = await app.EventCount();

        var other = await Comment(id, token, "Ein ganz anderer Kommentar.", key);
        other.Status.ShouldBe(422, other.Body);
        other.ProblemType.ShouldBe(Problems.IdempotencyKeyReused);
        (await app.EventCount()).ShouldBe(events);
    }

    [Fact]
    public async Task Without_a_key_every_request_is_a_new_command_and_keys_belong_to_one_person()
    {
        var token = await Api.Representative("DE-HB");
        var id = (await Api.Propose(token, "Gemeinsame Cloud", "Bund und Länder nutzen eine gemeinsame Cloud.")).Id;
        Api.Expect(await Comment(id, token, "Bitte die Kosten ergänzen.", null), 201);
        Api.Expect(await Comment(id, token, "Bitte die Kosten ergänzen.", null), 201);
        (await Api.Get(id, token)).Comments.Count.ShouldBe(2);

        // Another person with the same key and the same request is not answered with the first person's answer.
        var key = Guid.NewGuid().ToString();
        var mine = await Comment(id, token, "Gleicher Schlüssel.", key);
        var theirs = await Comment(id, await Api.Representative("DE-HH"), "Gleicher Schlüssel.", key);
        Api.Expect(mine, 201);
        Api.Expect(theirs, 201);
        theirs.Body.ShouldNotBe(mine.Body);
        (await Api.Get(id, token)).Comments.Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_repeated_proposal_starts_one_resolution()
    {
        var token = await Api.Representative("DE-HB");
        var key = Guid.NewGuid().ToString();
        var body = new { body = "D16", title = "Einmal und nicht zweimal", paragraphs = new[] { "Ein Absatz." } };
        var events = await app.EventCount();
        var first = await Api.Send(HttpMethod.Post, "/api/resolutions", token, body, headers: Key(key));
        var repeat = await Api.Send(HttpMethod.Post, "/api/resolutions", token, body, headers: Key(key));
        Api.Expect(first, 201);
        Api.Expect(repeat, 201);
        repeat.Body.ShouldBe(first.Body);
        (await app.EventCount()).ShouldBe(events + 1);
    }

    [Fact]
    public async Task Repeats_sent_at_the_same_time_record_the_command_once()
    {
        var token = await Api.Representative("DE-HB");
        var id = (await Api.Propose(token, "Gemeinsame Cloud", "Bund und Länder nutzen eine gemeinsame Cloud.")).Id;
        var version = await app.StreamVersion(id);
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Comment(id, token, "Nur einmal.", key)));

        // Each is the first answer, or (while the first is still running) 409; none is a second comment.
        answers.ShouldAllBe(a => a.Status == 201 || a.Status == 409);
        answers.Where(a => a.Status == 201).Select(a => a.Body).Distinct().Count().ShouldBe(1);
        foreach (var busy in answers.Where(a => a.Status == 409)) busy.ProblemType.ShouldBe(Problems.IdempotencyKeyInUse);
        (await app.StreamVersion(id)).ShouldBe(version + 1);
    }
}
