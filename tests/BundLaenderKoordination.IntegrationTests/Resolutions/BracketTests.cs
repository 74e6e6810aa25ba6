using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class BracketTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task A_ballot_cannot_open_while_a_bracket_is_open()
    {
        var bayern = await Api.Representative("DE-BY");
        var id = (await Api.Propose(bayern, "Cybersicherheit", "Die Länder richten bis 2027 ein gemeinsames Lagezentrum ein.", "Der Bund beteiligt sich.")).Id;
        var bracket = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", await Api.Representative("DE-HE"),
            new { paragraphId = "p1", quote = "bis 2027", alternatives = new[] { "bis 2029", "" } });
        Api.Expect(bracket, 201);
        var bracketId = bracket.Json["bracketId"]!.GetValue<Guid>();

        var view = await Api.Get(id, bayern);
        var shown = view.Brackets.ShouldHaveSingleItem();
        (shown.Open, shown.ParagraphId, shown.Quote, shown.Start).ShouldBe((true, "p1", "bis 2027", "Die Länder richten ".Length));
        shown.Alternatives.Select(a => a.Wording).ShouldBe(["bis 2029", ""]);

        var vote = await Api.Vote(id, await Api.Representative("DE-NI"), "yes", 1);
        vote.Status.ShouldBe(422);
        vote.ProblemType.ShouldBe("/problems/open-brackets");
        vote.Json["openBrackets"]![0]!["quote"]!.GetValue<string>().ShouldBe("bis 2027");
        vote.Json["detail"]!.GetValue<string>().ShouldContain("bracket 1");
        (await Api.Adopt(id, await Api.Chair(), await app.StreamVersion(id))).ProblemType.ShouldBe("/problems/open-brackets");

        var edit = await Api.EditFrom(id, await Api.Representative("DE-SL"), 1,
            new { id = "p1", text = "Die Länder richten bis 2030 ein gemeinsames Lagezentrum ein." }, new { id = "p2", text = "Der Bund beteiligt sich." });
        edit.Status.ShouldBe(409);
        edit.ProblemType.ShouldBe("/problems/bracketed-passage");

        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets/{bracketId}/alternatives", await Api.Representative("DE-SN"),
            new { wording = "bis Ende 2028" }), 200);
        var resolved = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets/{bracketId}/resolution", await Api.Chair(), new { alternative = 3 });
        Api.Expect(resolved, 200);
        resolved.Json["textVersion"]!.GetValue<int>().ShouldBe(2);

        var after = await Api.Get(id, bayern);
        after.Paragraphs[0].Text.ShouldBe("Die Länder richten bis Ende 2028 ein gemeinsames Lagezentrum ein.");
        after.Brackets.Single().Resolution!.AgreedWording.ShouldBe("bis Ende 2028");
        Api.Expect(await Api.Vote(id, await Api.Representative("DE-NI"), "yes", 2), 200);
        (await Api.AuditTrail(id, bayern)).Select(e => e.EventType).ShouldContain("bracket_resolved");
    }

    [Fact]
    public async Task A_written_procedure_cannot_start_while_a_bracket_is_open_and_no_passage_is_bracketed_while_the_text_is_put_to_a_vote()
    {
        var bayern = await Api.Representative("DE-BY");
        var chair = await Api.Chair();
        var id = (await Api.Propose(bayern, "Barrierefreiheit", "Die Länder machen ihre Portale bis 2026 barrierefrei.")).Id;
        var bracket = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", await Api.Representative("DE-HE"),
            new { paragraphId = "p1", quote = "bis 2026", alternatives = new[] { "bis 2027" } });
        Api.Expect(bracket, 201);

        var before = await app.EventCount();
        var procedure = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/written-procedure", chair,
            new { deadline = DateTimeOffset.UtcNow.AddDays(7).ToString("O") });
        procedure.Status.ShouldBe(422, procedure.Body);
        procedure.ProblemType.ShouldBe("/problems/open-brackets");
        procedure.Json["openBrackets"]![0]!["quote"]!.GetValue<string>().ShouldBe("bis 2026");
        (await app.EventCount()).ShouldBe(before);

        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets/{bracket.Json["bracketId"]}/resolution", chair, new { alternative = 1 }), 200);
        Api.Expect(await Api.OpenBallot(id, chair), 201);
        before = await app.EventCount();
        var during = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", await Api.Representative("DE-SN"),
            new { paragraphId = "p1", quote = "Portale" });
        during.Status.ShouldBe(409, during.Body);
        during.ProblemType.ShouldBe("/problems/ballot-open");
        (await app.EventCount()).ShouldBe(before);
    }
}
