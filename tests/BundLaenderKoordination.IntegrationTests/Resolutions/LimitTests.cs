using System.Diagnostics;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

/// <summary>The work of one request is bounded: too many paragraphs are refused up front, and every check of a text is linear.</summary>
[Collection(AppCollection.Name)]
public sealed class LimitTests(AppFixture app, Xunit.Abstractions.ITestOutputHelper output)
{
    private ApiClient Api => app.Api;

    /// <summary>The largest text allowed: the most paragraphs, together as long as a text may be.</summary>
    public static string[] LargestText()
    {
        var perParagraph = (TextRules.MaxTextLength - "Titel".Length) / ResolutionLimits.MaxParagraphs;
        const string words = "Die Länder & der Bund prüfen bis 2027, ob 3 < 5 gilt; „Zitat“ – ";
        return Enumerable.Range(1, ResolutionLimits.MaxParagraphs)
            .Select(i => string.Concat(Enumerable.Repeat(words, perParagraph / words.Length + 1))[..(perParagraph - 6)] + $" {i,4}.")
            .ToArray();
    }

    [Fact]
    public async Task A_text_with_more_paragraphs_than_allowed_is_refused_with_limit_reached_and_records_nothing()
    {
        var token = await Api.Representative("DE-SL");
        var before = await app.EventCount();
        var response = await Api.Send(HttpMethod.Post, "/api/resolutions", token,
            new { body = "D16", title = "Titel", paragraphs = Enumerable.Repeat("x", ResolutionLimits.MaxParagraphs + 1).ToArray() });
        response.Status.ShouldBe(400, response.Body);
        response.ProblemType.ShouldBe("/problems/limit-reached");
        response.Json["limit"]!.GetValue<int>().ShouldBe(ResolutionLimits.MaxParagraphs);
        response.Json["what"]!.GetValue<string>().ShouldBe("paragraphs");
        (await app.EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task Edits_of_the_largest_text_and_oversized_or_unchanged_edits_are_answered_quickly()
    {
        var token = await Api.Representative("DE-SL");
        var largest = LargestText();
        var proposal = await Api.Propose(token, "Titel", largest);
        var current = await Api.Get(proposal.Id, token);
        current.Paragraphs.Count.ShouldBe(ResolutionLimits.MaxParagraphs);

        // In Development an endpoint is compiled on its first call: that call is not what is measured.
        (await Api.Edit(proposal.Id, token, current.Version, new { id = "p1", text = "" })).Status.ShouldBe(400);

        // The whole largest text sent back unchanged: refused as unchanged after linear checks.
        var same = current.Paragraphs.Select(p => new { id = p.Id, text = p.Text }).ToArray<object>();
        var clock = Stopwatch.StartNew();
        var unchanged = await Api.Edit(proposal.Id, token, current.Version, same);
        clock.Stop();
        unchanged.Status.ShouldBe(400, unchanged.Body);
        unchanged.Json["detail"]!.GetValue<string>().ShouldContain("unchanged");
        output.WriteLine($"the largest text unchanged refused in {clock.Elapsed.TotalMilliseconds:0} ms");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));

        // 75,000 one-character paragraphs (about 1 MB of JSON): refused before any paragraph is looked at.
        clock.Restart();
        var huge = await Api.Edit(proposal.Id, token, proposal.Version, Enumerable.Range(0, 75_000).Select(_ => new { text = "x" }).ToArray());
        clock.Stop();
        huge.ProblemType.ShouldBe("/problems/limit-reached", huge.Body);
        output.WriteLine($"75,000 paragraphs refused in {clock.Elapsed.TotalMilliseconds:0} ms");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2), "an oversized edit is refused up front");

        // Every paragraph changed: accepted, as fast.
        var changed = current.Paragraphs.Select(p => new { id = p.Id, text = p.Text.Replace("prüfen", "klären") }).ToArray<object>();
        clock.Restart();
        var edited = await Api.Edit(proposal.Id, token, current.Version, changed);
        clock.Stop();
        Api.Expect(edited, 200);
        output.WriteLine($"the largest text with every paragraph changed accepted in {clock.Elapsed.TotalMilliseconds:0} ms");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
    }
}
