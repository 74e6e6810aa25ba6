using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

/// <summary>
/// Every read and write of a single resolution answers 404 for an id that names another kind of stream (a person's
/// mandates, a body): those streams are not readable through the resolution routes, not even by their event count.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OnlyResolutionStreamsTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    public static TheoryData<string, string> Reads => new()
    {
        { "reading", "/api/resolutions/{id}" },
        { "reading", "/api/resolutions/{id}?version=1" },
        { "reading", "/api/resolutions/{id}?at=2030-01-01T00:00:00Z" },
        { "history", "/api/resolutions/{id}/timeline" },
        { "history", "/api/resolutions/{id}/live" },
        { "history", "/api/resolutions/{id}/changes" },
        { "history", "/api/resolutions/{id}/changes?from=0&to=1" },
        { "diffs", "/api/resolutions/{id}/diff" },
        { "diffs", "/api/resolutions/{id}/synopsis" },
        { "diffs", $"/api/resolutions/{{id}}/amendments/{Guid.Empty}/diff" },
        { "audit", "/api/resolutions/{id}/audit-trail" },
        { "audit", "/api/resolutions/{id}/votes/1/receipt" },
        { "audit", "/api/audit/who-agreed?resolution={id}" },
        { "audit", "/api/audit/bundle?resolution={id}" },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task A_mandate_or_body_stream_is_not_a_resolution_for_any_read(string family, string template)
    {
        var bayern = await Api.Representative("DE-BY");
        var auditor = await Api.Token("Prüfung Streams", null, "auditor");
        var mandateStream = MandateStreams.Id(ApiClient.PersonId("Vertretung DE-BY"), "D16");
        var bodyStream = Body.StreamIdFor("D16");
        (await app.StreamVersion(mandateStream)).ShouldBeGreaterThan(0, "the representative's mandate stream exists");
        (await app.StreamVersion(bodyStream)).ShouldBeGreaterThan(0, "the body's stream exists");

        foreach (var id in new[] { mandateStream, bodyStream })
        foreach (var token in new[] { bayern, auditor })
        {
            var response = await Api.Send(HttpMethod.Get, template.Replace("{id}", id.ToString()), token);
            if (response.Status is 403) continue; // the caller may not use this route at all, whatever the id
            response.Status.ShouldBe(404, $"{family}: {template} for stream {id}: {response.Body}");
            response.ProblemType.ShouldBe("/problems/not-found");
            response.Body.ShouldNotContain("mandate");
        }
    }

    [Fact]
    public async Task A_write_to_a_mandate_stream_is_404_and_appends_nothing()
    {
        var bayern = await Api.Representative("DE-BY");
        var mandateStream = MandateStreams.Id(ApiClient.PersonId("Vertretung DE-BY"), "D16");
        var before = await app.StreamVersion(mandateStream);
        var events = await app.EventCount();

        var comment = await Api.Comment(mandateStream, bayern, "Ein Kommentar an der falschen Stelle.");
        var vote = await Api.Vote(mandateStream, bayern, "yes", 1);

        comment.Status.ShouldBe(404);
        comment.ProblemType.ShouldBe("/problems/not-found");
        vote.Status.ShouldBe(404);
        (await app.StreamVersion(mandateStream)).ShouldBe(before);
        (await app.EventCount()).ShouldBe(events);
    }
}
