using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class CoEditingTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<Guid> Proposed() =>
        (await Api.Propose(await Api.Representative("DE-BY"), "Digitale Souveränität",
            "Die Länder stärken offene Standards.", "Die Länder prüfen gemeinsame Beschaffung.", "Der Bund wird gebeten, mitzuwirken.")).Id;

    [Fact]
    public async Task Two_edits_of_different_paragraphs_from_one_base_both_land()
    {
        var id = await Proposed();
        var hessen = await Api.EditFrom(id, await Api.Representative("DE-HE"), 1,
            new { id = "p1", text = "Die Länder stärken offene Standards und Schnittstellen." },
            new { id = "p2", text = "Die Länder prüfen gemeinsame Beschaffung." },
            new { id = "p3", text = "Der Bund wird gebeten, mitzuwirken." });
        var berlin = await Api.EditFrom(id, await Api.Representative("DE-BE"), 1,
            new { id = "p1", text = "Die Länder stärken offene Standards." },
            new { id = "p2", text = "Die Länder beschaffen gemeinsam." },
            new { id = "p3", text = "Der Bund wird gebeten, mitzuwirken." });

        Api.Expect(hessen, 200);
        Api.Expect(berlin, 200);
        var current = await Api.Get(id, await Api.Representative("DE-BY"));
        current.TextVersion.ShouldBe(3);
        current.Paragraphs.ShouldBe([
            new Paragraph("p1", "Die Länder stärken offene Standards und Schnittstellen."),
            new Paragraph("p2", "Die Länder beschaffen gemeinsam."),
            new Paragraph("p3", "Der Bund wird gebeten, mitzuwirken.")]);
    }

    [Fact]
    public async Task Of_two_edits_of_the_same_paragraph_one_gets_409_with_that_paragraphs_current_text()
    {
        var id = await Proposed();
        Api.Expect(await Api.EditFrom(id, await Api.Representative("DE-HE"), 1, new { id = "p1", text = "Fassung Hessen." },
            new { id = "p2", text = "Die Länder prüfen gemeinsame Beschaffung." }, new { id = "p3", text = "Der Bund wird gebeten, mitzuwirken." }), 200);
        var before = await app.StreamVersion(id);

        var response = await Api.EditFrom(id, await Api.Representative("DE-NW"), 1, new { id = "p1", text = "Fassung NRW." },
            new { id = "p2", text = "Die Länder prüfen gemeinsame Beschaffung." }, new { id = "p3", text = "Der Bund wird gebeten, mitzuwirken." });

        response.Status.ShouldBe(409);
        response.ProblemType.ShouldBe("/problems/paragraph-conflict");
        response.Json["currentTextVersion"]!.GetValue<int>().ShouldBe(2);
        var conflict = response.Json["conflicts"]!.AsArray().ShouldHaveSingleItem()!;
        conflict["paragraphId"]!.GetValue<string>().ShouldBe("p1");
        conflict["currentText"]!.GetValue<string>().ShouldBe("Fassung Hessen.");
        conflict["baseText"]!.GetValue<string>().ShouldBe("Die Länder stärken offene Standards.");
        conflict["proposedText"]!.GetValue<string>().ShouldBe("Fassung NRW.");
        (await app.StreamVersion(id)).ShouldBe(before);
    }

    [Fact]
    public async Task Concurrent_edits_of_different_paragraphs_from_one_base_all_land()
    {
        var id = (await Api.Propose(await Api.Representative("DE-BY"), "Viele Absätze",
            [.. Enumerable.Range(1, 6).Select(i => $"Absatz {i}.")])).Id;
        var tokens = await Task.WhenAll(Api.Laender.Take(6).Select(Api.Representative));

        var responses = await Task.WhenAll(tokens.Select((token, i) => Task.Run(() => Api.EditFrom(id, token, 1,
            [.. Enumerable.Range(1, 6).Select(n => (object)new { id = $"p{n}", text = n == i + 1 ? $"Absatz {n}, geändert." : $"Absatz {n}." })]))));

        responses.ShouldAllBe(r => r.Status == 200);
        var current = await Api.Get(id, tokens[0]);
        current.TextVersion.ShouldBe(7);
        current.Paragraphs.Select(p => p.Text).ShouldBe(Enumerable.Range(1, 6).Select(n => $"Absatz {n}, geändert."));
    }

    [Fact]
    public async Task Base_and_expected_version_are_exclusive_and_the_base_must_exist()
    {
        var id = await Proposed();
        var token = await Api.Representative("DE-HE");
        (await Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/text", token,
            new { baseTextVersion = 1, expectedVersion = 1, paragraphs = new[] { new { id = "p1", text = "x" } } })).Status.ShouldBe(400);
        (await Api.EditFrom(id, token, 5, new { id = "p1", text = "x" })).Status.ShouldBe(400);
        (await Api.EditFrom(id, token, 0, new { id = "p1", text = "x" })).Status.ShouldBe(400);
    }
}
