using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Bodies;

[Collection(AppCollection.Name)]
public sealed class BodyTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    public static string NewCode() => "T-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>A body of the 16 Länder and the Bund (without vote) chaired by Bayern, with one default rule.</summary>
    public static object Configuration(string code, string kind, long? expectedVersion = null, string chair = "BY",
        string? handoverLand = null, string? handoverFrom = null, string mode = "explicitConsent") => new
    {
        code,
        expectedVersion,
        name = "Testkonferenz " + code,
        members = ApiClient.AllLaender.Select(land => new { land, voting = true }).Append(new { land = "BUND", voting = false }),
        rules = new Dictionary<string, object> { ["default"] = kind == "atLeast" ? new { kind, count = 13 } : new { kind } },
        chairSchedule = handoverLand is null
            ? new[] { new { land = chair, from = "2020-01-01" } }
            : [new { land = chair, from = "2020-01-01" }, new { land = handoverLand, from = handoverFrom! }],
        writtenProcedure = new { mode, defaultDeadlineDays = 14 },
    };

    [Fact]
    public async Task The_seeded_bodies_are_D16_MPK_IMK_and_a_Bund_Laender_body_where_the_Bund_votes()
    {
        var observer = await Api.Token("Archiv", null, "observer");
        var bodies = (await Api.Send(HttpMethod.Get, "/api/bodies", observer)).Json.AsArray();
        bodies.Select(b => b!["code"]!.GetValue<string>()).ShouldContain("D16");

        var d16 = await Api.Body("D16", observer);
        d16["rules"]!["default"]!["kind"]!.GetValue<string>().ShouldBe("atLeast");
        d16["rules"]!["default"]!["count"]!.GetValue<int>().ShouldBe(13);
        d16["chair"]!["land"]!.GetValue<string>().ShouldBe("DE-BY");
        d16["members"]!.AsArray().Single(m => m!["land"]!.GetValue<string>() == "BUND")!["voting"]!.GetValue<bool>().ShouldBeFalse();

        var mpk = await Api.Body("MPK", observer);
        mpk["rules"]!["budget"]!["kind"]!.GetValue<string>().ShouldBe("unanimity");
        (await Api.Body("IMK", observer))["rules"]!["default"]!["kind"]!.GetValue<string>().ShouldBe("unanimity");
        var bl = await Api.Body("BL-KI", observer);
        bl["members"]!.AsArray().Single(m => m!["land"]!.GetValue<string>() == "BUND")!["voting"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Only_an_administrator_creates_or_configures_a_body_and_a_refusal_appends_nothing()
    {
        var code = NewCode();
        foreach (var token in new[] { await Api.Chair(), await Api.Representative("BY"), await Api.Token("Archiv", null, "observer") })
        {
            var before = await app.EventCount();
            var response = await Api.Send(HttpMethod.Post, "/api/bodies", token, Configuration(code, "unanimity"));
            response.Status.ShouldBe(403);
            response.ProblemType.ShouldBe("/problems/forbidden");
            (await app.EventCount()).ShouldBe(before);
        }
        var admin = await Api.Admin();
        (await Api.Send(HttpMethod.Post, "/api/bodies", admin, new { code, name = "Ohne Regeln" })).ProblemType.ShouldBe("/problems/invalid-input");
        Api.Expect(await Api.Send(HttpMethod.Post, "/api/bodies", admin, Configuration(code, "unanimity")), 201);
        (await Api.Send(HttpMethod.Post, "/api/bodies", admin, Configuration(code, "unanimity"))).Status.ShouldBe(409);
        (await Api.Send(HttpMethod.Put, $"/api/bodies/{code}", admin, Configuration(code, "atLeast", expectedVersion: 7))).ProblemType
            .ShouldBe("/problems/stale-version");
    }

    [Fact]
    public async Task A_body_reads_as_it_was_at_an_earlier_version_or_instant_in_the_same_shape()
    {
        var admin = await Api.Admin();
        var code = NewCode();
        Api.Expect(await Api.Send(HttpMethod.Post, "/api/bodies", admin, Configuration(code, "unanimity")), 201);
        var first = await Api.Body(code, admin);
        var configured = await Api.Send(HttpMethod.Put, $"/api/bodies/{code}", admin, Configuration(code, "atLeast", expectedVersion: 1, chair: "HE"));
        Api.Expect(configured, 200);

        var now = await Api.Body(code, admin);
        now["version"]!.GetValue<long>().ShouldBe(2);
        now["chair"]!["land"]!.GetValue<string>().ShouldBe("DE-HE");

        var atVersion1 = await Api.Body(code, admin, "?version=1");
        atVersion1["rules"]!.ToJsonString().ShouldBe(first["rules"]!.ToJsonString());
        atVersion1["chair"]!["land"]!.GetValue<string>().ShouldBe("DE-BY");
        atVersion1["members"]!.ToJsonString().ShouldBe(first["members"]!.ToJsonString());

        var configuredAt = now["configuredAt"]!.GetValue<DateTimeOffset>();
        var before = await Api.Body(code, admin, "?at=" + Uri.EscapeDataString(configuredAt.AddTicks(-10).ToString("O")));
        before["version"]!.GetValue<long>().ShouldBe(1);
        before["chair"]!["land"]!.GetValue<string>().ShouldBe("DE-BY");

        (await Api.Send(HttpMethod.Get, $"/api/bodies/{code}?version=3", admin)).Status.ShouldBe(404);
        (await Api.Send(HttpMethod.Get, "/api/bodies/NOPE", admin)).Status.ShouldBe(404);
    }
}
