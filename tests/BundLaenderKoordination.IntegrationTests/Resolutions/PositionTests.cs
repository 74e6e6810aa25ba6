using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.Positions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class PositionTests(AppFixture app)
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
    public async Task Positions_are_shown_per_Land_and_count_for_nothing_while_declarations_follow_adoption()
    {
        var id = (await Api.Propose(await Api.Representative("NW"), "Digitale Souveränität", "Die Länder setzen auf offene Standards.")).Id;
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/positions", await Api.Representative("BY"),
            new { position = "reservationPendingReview", remark = "Ressortabstimmung läuft." }), 200);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/positions", await Api.Representative("HE"), new { position = "agreement" }), 200);
        await Refused(async () => await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/positions", await Api.Token("Archiv", null, "observer"),
            new { position = "agreement" }), 403, "/problems/forbidden");
        await Refused(async () => await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/declarations", await Api.Representative("BY"),
            new { text = "Bayern trägt nur geeignete Maßnahmen mit." }), 422, "/problems/declaration-rule");

        var chair = await Api.Chair();
        var view = await Api.Get(id, chair);
        view.Positions.Select(p => (p.Land, p.Position)).ShouldBe([("DE-BY", Position.ReservationPendingReview), ("DE-HE", Position.Agreement)]);
        view.Votes.ShouldBeEmpty();

        await Api.VoteYes(id, 1, Api.Laender.Take(13));
        Api.Expect(await Api.Adopt(id, chair, await app.StreamVersion(id)), 200);
        var attached = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/declarations", await Api.Representative("BY"),
            new { text = "Bayern trägt nur geeignete und verhältnismäßige Maßnahmen mit." });
        Api.Expect(attached, 201);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/declarations/{attached.Json["declarationId"]}/joining", await Api.Representative("SN")), 200);

        var adopted = await Api.Get(id, chair);
        adopted.Declarations.Single().Lands.ShouldBe(["DE-BY", "DE-SN"]);
        adopted.Adoption!.Yes.Count.ShouldBe(13);
        await Refused(async () => await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/withdrawal", await Api.Representative("NW"),
            new { reason = "Überholt." }), 409, "/problems/resolution-closed");
    }

    [Fact]
    public async Task Only_the_proposing_Land_withdraws_a_resolution_before_adoption()
    {
        var id = (await Api.Propose(await Api.Representative("NW"), "Zurückzuziehen", "Ein Vorschlag.")).Id;
        await Refused(async () => await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/withdrawal", await Api.Representative("HE"),
            new { reason = "Überholt." }), 403, "/problems/forbidden");
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/withdrawal", await Api.Representative("NW"), new { reason = "Überholt." }), 200);
        var view = await Api.Get(id, await Api.Chair());
        view.Status.ShouldBe(ResolutionStatus.Withdrawn);
        view.Withdrawal!.Reason.ShouldBe("Überholt.");
        await Refused(async () => await Api.Vote(id, await Api.Representative("SL"), "yes", 1), 409, "/problems/resolution-closed");
    }
}
