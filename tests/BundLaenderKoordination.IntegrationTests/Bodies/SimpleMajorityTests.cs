using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Bodies;

/// <summary>
/// A body configured over HTTP with a simple majority, abstentions counted as votes cast or left out: a ballot in it,
/// from opening to the closing count, adopts or rejects as the rule says, and the adoption records the rule.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SimpleMajorityTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<string> BodyWithSimpleMajority(string abstentions)
    {
        var code = BodyTests.NewCode();
        var configuration = new
        {
            code,
            name = "Mehrheitskonferenz " + code,
            members = ApiClient.AllLaender.Select(land => new { land, voting = true }).Append(new { land = "BUND", voting = false }),
            rules = new Dictionary<string, object> { ["default"] = new { kind = "simpleMajority", abstentions } },
            chairSchedule = new[] { new { land = "BY", from = "2020-01-01" } },
            writtenProcedure = new { mode = "explicitConsent", defaultDeadlineDays = 14 },
        };
        Api.Expect(await Api.Send(HttpMethod.Post, "/api/bodies", await Api.Admin(), configuration), 201);
        var body = await Api.Body(code, await Api.Token("Beobachtung Mehrheit", null, "observer"));
        body["rules"]!["default"]!["kind"]!.GetValue<string>().ShouldBe("simpleMajority");
        body["rules"]!["default"]!["abstentions"]!.GetValue<string>().ShouldBe(abstentions);
        return code;
    }

    [Theory]
    // Abstentions count as votes cast: yes must outnumber no and abstentions together.
    [InlineData("notYes", 9, 4, 3, true, "simpleMajority(abstentions count)")]
    [InlineData("notYes", 8, 5, 3, false, "simpleMajority(abstentions count)")]
    [InlineData("notYes", 6, 5, 5, false, "simpleMajority(abstentions count)")]
    // Abstentions left out: yes must outnumber no.
    [InlineData("ignored", 6, 5, 5, true, "simpleMajority(abstentions ignored)")]
    [InlineData("ignored", 5, 5, 6, false, "simpleMajority(abstentions ignored)")]
    [InlineData("ignored", 1, 0, 15, true, "simpleMajority(abstentions ignored)")]
    public async Task A_ballot_under_a_simple_majority_counts_abstentions_as_the_body_configured(
        string abstentions, int yes, int no, int abstain, bool adopted, string rule)
    {
        var code = await BodyWithSimpleMajority(abstentions);
        var id = (await Api.ProposeTo(code, await Api.Representative("DE-RP"), "Mehrheitsbeschluss " + Guid.NewGuid().ToString("N")[..6], "Ein Absatz.")).Id;
        var chair = await Api.Chair();
        var opened = await Api.OpenBallot(id, chair);
        Api.Expect(opened, 201);
        opened.Json["rule"]!.GetValue<string>().ShouldBe(rule);

        var lands = ApiClient.AllLaender;
        await Api.Vote(id, 1, "yes", lands.Take(yes));
        await Api.Vote(id, 1, "no", lands.Skip(yes).Take(no));
        await Api.Vote(id, 1, "abstain", lands.Skip(yes + no).Take(abstain));
        var closed = await Api.CloseBallot(id, chair);
        Api.Expect(closed, 200);
        var result = closed.As<BallotView>().Result!;
        result.Adopted.ShouldBe(adopted);
        (result.Yes.Count, result.No.Count, result.Abstain.Count).ShouldBe((yes, no, abstain));

        var view = await Api.Get(id, chair);
        view.Status.ShouldBe(adopted ? ResolutionStatus.Adopted : ResolutionStatus.Rejected);
        view.Ballots.ShouldHaveSingleItem().RuleText.ShouldBe(rule);
        if (adopted) view.Adoption!.Rule.ShouldBe(rule);
        else view.Adoption.ShouldBeNull();
    }
}
