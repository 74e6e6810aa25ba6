using System.Text.Json;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using CsCheck;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.History;

[Collection(AppCollection.Name)]
public sealed class AsOfPropertyTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private enum Step { Edit, Comment, Vote, Amend, QuotedComment, Reply, Resolve, Reopen }

    [Fact]
    public async Task For_random_valid_commands_the_as_of_view_at_every_version_equals_the_live_view_right_after_it()
    {
        var steps = Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 15], Gen.Int[0, 2], Gen.Int[0, 1_000_000]).Array[3, 14];
        var observer = await Api.Token("Prüfung der Historie", null, "observer");

        await steps.SampleAsync(async sequence =>
        {
            var proposer = await Api.Representative("DE-HE");
            var id = (await Api.Propose(proposer, "Zufällige Verhandlung", "Absatz eins.", "Absatz zwei.")).Id;
            var seen = new Dictionary<long, string> { [1] = Json(await Api.Get(id, observer)) };

            var n = 0;
            foreach (var (step, landIndex, choice, seed) in sequence)
            {
                n++;
                var current = await Api.Get(id, observer);
                var token = await Api.Representative(ApiClient.AllLaender[landIndex]);
                var paragraph = current.Paragraphs[seed % current.Paragraphs.Count];
                var response = step switch
                {
                    Step.Edit => await Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/text", token, new
                    {
                        expectedVersion = current.Version,
                        paragraphs = current.Paragraphs.Select(p => new { id = p.Id, text = p.Id == paragraph.Id ? $"Fassung {seed}-{n}." : p.Text })
                            .Append(seed % 3 == 0 ? new { id = (string)null!, text = $"Neuer Absatz {seed}." } : null)
                            .Where(p => p is not null),
                    }),
                    Step.Comment => await Api.Comment(id, token, $"Anmerkung {seed}", seed % 2 == 0 ? paragraph.Id : null),
                    Step.Vote => await Api.Vote(id, token, new[] { "yes", "no", "abstain" }[choice], current.TextVersion),
                    Step.QuotedComment => await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", token,
                        new { text = $"Zu diesem Wort {seed}", paragraphId = paragraph.Id, quote = paragraph.Text.Split(' ')[0] }),
                    Step.Reply when current.Comments.Count > 0 => await Api.Send(HttpMethod.Post,
                        $"/api/resolutions/{id}/comments/{current.Comments[seed % current.Comments.Count].Id}/replies", token, new { text = $"Antwort {seed}" }),
                    Step.Resolve when current.Comments.Count > 0 => await Api.Send(HttpMethod.Post,
                        $"/api/resolutions/{id}/comments/{current.Comments[seed % current.Comments.Count].Id}/resolution", proposer),
                    Step.Reopen when current.Comments.Count > 0 => await Api.Send(HttpMethod.Delete,
                        $"/api/resolutions/{id}/comments/{current.Comments[seed % current.Comments.Count].Id}/resolution", token),
                    Step.Reply or Step.Resolve or Step.Reopen => await Api.Comment(id, token, $"Anmerkung {seed}", paragraph.Id),
                    _ => await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", token, new
                    {
                        baseTextVersion = current.TextVersion,
                        rationale = $"Begründung {seed}",
                        changes = new[] { new { kind = "replace", paragraphId = paragraph.Id, text = $"Vorschlag {seed}." } },
                    }),
                };
                response.Status.ShouldBeOneOf(200, 201);
                var live = await Api.Get(id, observer);
                seen[live.Version] = Json(live);
            }

            var last = seen.Keys.Max();
            seen.Keys.Order().ShouldBe(Enumerable.Range(1, (int)last).Select(v => (long)v)); // each command wrote at most one event
            for (var version = 1L; version <= last; version++)
                Json(await Api.Get(id, observer, $"?version={version}")).ShouldBe(seen[version], $"as of version {version}");
        }, iter: 6, threads: 1);
    }

    private static string Json(ResolutionView view) => JsonSerializer.Serialize(view, ApiClient.Json);
}
