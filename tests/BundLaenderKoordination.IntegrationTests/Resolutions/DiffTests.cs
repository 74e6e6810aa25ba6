using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingDiffs;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class DiffTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task A_diff_between_versions_1_and_5_matches_the_text_changes_made_and_the_Synopse_lists_every_paragraph_once()
    {
        var token = await Api.Representative("DE-RP");
        var id = (await Api.Propose(token, "Breitbandausbau",
            "Die Länder beschleunigen den Ausbau.", "Förderprogramme werden vereinfacht.", "Der Bund wird gebeten, zu berichten.")).Id;
        Api.Expect(await Api.EditFrom(id, token, 1, new { id = "p1", text = "Die Länder beschleunigen den Glasfaserausbau." },
            new { id = "p2", text = "Förderprogramme werden vereinfacht." }, new { id = "p3", text = "Der Bund wird gebeten, zu berichten." }), 200);
        Api.Expect(await Api.EditFrom(id, token, 2, new { id = "p1", text = "Die Länder beschleunigen den Glasfaserausbau." },
            new { id = "p2", text = "Förderprogramme werden vereinfacht." }, new { text = "Mobilfunklücken werden geschlossen." },
            new { id = "p3", text = "Der Bund wird gebeten, zu berichten." }), 200);
        Api.Expect(await Api.EditFrom(id, token, 3, new { id = "p1", text = "Die Länder beschleunigen den Glasfaserausbau." },
            new { id = "p4", text = "Mobilfunklücken werden geschlossen." }, new { id = "p3", text = "Der Bund wird gebeten, zu berichten." }), 200);
        Api.Expect(await Api.EditFrom(id, token, 4, new { id = "p1", text = "Die Länder beschleunigen den Glasfaserausbau." },
            new { id = "p4", text = "Mobilfunklücken werden geschlossen." }, new { id = "p3", text = "Der Bund wird gebeten, jährlich zu berichten." }), 200);

        var response = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/diff?from=1&to=5", token);
        Api.Expect(response, 200);
        var diff = response.As<TextVersionDiff>();
        diff.Paragraphs.Select(p => (p.ParagraphId, p.Status)).ShouldBe([
            ("p1", ParagraphDiffStatus.Changed), ("p2", ParagraphDiffStatus.Deleted), ("p4", ParagraphDiffStatus.Inserted), ("p3", ParagraphDiffStatus.Changed)]);
        diff.Paragraphs[0].Runs.ShouldBe([
            new DiffRun(RunKind.Unchanged, "Die Länder beschleunigen den "), new DiffRun(RunKind.Deleted, "Ausbau"),
            new DiffRun(RunKind.Inserted, "Glasfaserausbau"), new DiffRun(RunKind.Unchanged, ".")]);
        diff.Paragraphs[3].Runs.ShouldBe([
            new DiffRun(RunKind.Unchanged, "Der Bund wird gebeten, "), new DiffRun(RunKind.Inserted, "jährlich "), new DiffRun(RunKind.Unchanged, "zu berichten.")]);
        var one = await Api.Get(id, token, "?version=1");
        var five = await Api.Get(id, token);
        TextDiff.Apply(one.Paragraphs, diff.Paragraphs).ShouldBe(five.Paragraphs);

        var synopsis = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/synopsis?from=1&to=5", token);
        Api.Expect(synopsis, 200);
        var rows = synopsis.As<TextVersionSynopsis>().Rows;
        rows.Select(r => r.ParagraphId).ShouldBe(["p1", "p2", "p4", "p3"]);
        rows.Single(r => r.ParagraphId == "p2").ShouldSatisfyAllConditions(r => r.New.ShouldBeNull(), r => r.Old.ShouldBe("Förderprogramme werden vereinfacht."));
        rows.Single(r => r.ParagraphId == "p4").Old.ShouldBeNull();

        var unchanged = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/synopsis?from=4&to=5", token);
        unchanged.As<TextVersionSynopsis>().Rows.Select(r => r.Status).ShouldBe([ParagraphDiffStatus.Unchanged, ParagraphDiffStatus.Unchanged, ParagraphDiffStatus.Changed]);
        (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/diff?from=1&to=6", token)).Status.ShouldBe(404);
    }

    [Fact]
    public async Task An_amendment_is_shown_as_a_diff_against_the_current_text()
    {
        var token = await Api.Representative("DE-HB");
        var id = (await Api.Propose(token, "Open Source", "Die Länder nutzen offene Software.", "Sie teilen Code.")).Id;
        var amendment = await Api.ProposeAmendment(id, await Api.Representative("DE-SH"), 1, "Verbindlicher.",
            new { kind = "replaceSpan", paragraphId = "p1", quote = "nutzen", text = "nutzen vorrangig" },
            new { kind = "insert", after = "p2", text = "Sie veröffentlichen ihn." });

        var response = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/amendments/{amendment}/diff", token);
        Api.Expect(response, 200);
        var diff = response.As<AmendmentDiff>();
        diff.Conflicting.ShouldBeFalse();
        diff.Paragraphs.Select(p => (p.ParagraphId, p.Status)).ShouldBe([
            ("p1", ParagraphDiffStatus.Changed), ("p2", ParagraphDiffStatus.Unchanged), ("p3", ParagraphDiffStatus.Inserted)]);
        diff.Paragraphs[0].NewText.ShouldBe("Die Länder nutzen vorrangig offene Software.");
        diff.Paragraphs[0].Runs.Where(r => r.Kind == RunKind.Inserted).Select(r => r.Text.Trim()).ShouldBe(["vorrangig"]);
        diff.Synopsis.Count.ShouldBe(3);
    }
}
