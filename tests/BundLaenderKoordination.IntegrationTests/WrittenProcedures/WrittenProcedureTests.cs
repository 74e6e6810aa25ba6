using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using BundLaenderKoordination.IntegrationTests.Bodies;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.WrittenProcedures;

[Collection(AppCollection.Name)]
public sealed class WrittenProcedureTests(AppFixture app)
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

    /// <summary>Reads the resolution until the deadline has been handled; the wait is bounded, nothing is asserted about its length.</summary>
    public static async Task<ResolutionView> UntilEnded(ApiClient api, Guid id, string token)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            var view = await api.Get(id, token);
            if (view.WrittenProcedures.Count > 0 && view.WrittenProcedures[^1].Status != WrittenProcedureStatus.Running) return view;
            await Task.Delay(500);
        }
        throw new Xunit.Sdk.XunitException($"The written procedure on {id} did not end within two minutes after its deadline.");
    }

    public static Task<Response> Start(ApiClient api, Guid id, string chair, DateTimeOffset deadline) =>
        api.Send(HttpMethod.Post, $"/api/resolutions/{id}/written-procedure", chair, new { deadline = deadline.ToString("O") });

    [Fact]
    public async Task A_silence_procedure_passes_at_the_deadline_when_no_one_objected()
    {
        // BL-KI decides by silence procedure; the Bund chairs it and votes in it.
        var id = (await Api.ProposeTo("BL-KI", await Api.Representative("BY"), "KI-Reallabore", "Bund und Länder richten gemeinsame KI-Reallabore ein.")).Id;
        var chair = await Api.Chair("BUND");
        Api.Expect(await Start(Api, id, chair, DateTimeOffset.UtcNow.AddSeconds(2)), 201);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/written-procedure/consent", await Api.Representative("HE")), 200);

        var view = await UntilEnded(Api, id, chair);
        view.Status.ShouldBe(ResolutionStatus.Adopted);
        var procedure = view.WrittenProcedures.Single();
        procedure.Status.ShouldBe(WrittenProcedureStatus.Adopted);
        procedure.Consents.ShouldBe(["DE-HE"]);
        view.Adoption!.Rule.ShouldBe("silenceProcedure");
        view.Adoption.Yes.Count.ShouldBe(17);
        view.Adoption.AdoptedBy.PersonId.ShouldBe("system:deadline");
    }

    [Fact]
    public async Task An_objection_ends_the_procedure_and_puts_the_resolution_on_the_next_sessions_agenda()
    {
        var admin = await Api.Admin();
        var code = BodyTests.NewCode();
        Api.Expect(await Api.Send(HttpMethod.Post, "/api/bodies", admin, BodyTests.Configuration(code, "unanimity", mode: "silence")), 201);
        var chair = await Api.Chair("BY");
        var later = await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", chair, new { kind = "regular", format = "virtual", startsAt = "2031-06-01T10:00:00Z" });
        var next = await Api.Send(HttpMethod.Post, $"/api/bodies/{code}/sessions", chair, new { kind = "regular", format = "virtual", startsAt = "2030-06-01T10:00:00Z" });
        Api.Expect(next, 201);
        var id = (await Api.ProposeTo(code, await Api.Representative("RP"), "Open Data", "Die Länder veröffentlichen Verwaltungsdaten offen.")).Id;

        await Refused(async () => await Start(Api, id, await Api.Chair("HE"), DateTimeOffset.UtcNow.AddDays(7)), 403, "/problems/forbidden");
        Api.Expect(await Start(Api, id, chair, DateTimeOffset.UtcNow.AddDays(7)), 201);
        var rp = await Api.Representative("RP");
        await Refused(async () => await Api.Edit(id, rp, await app.StreamVersion(id), new { id = "p1", text = "Die Länder veröffentlichen Daten." }),
            409, "/problems/written-procedure-running");
        await Refused(() => Api.OpenBallot(id, chair), 409, "/problems/written-procedure-running");
        await Refused(async () => await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/written-procedure/consent", await Api.Representative("BUND")),
            403, "/problems/forbidden");

        var objected = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/written-procedure/objection", await Api.Representative("HE"),
            new { reason = "Datenschutzfragen sind offen." });
        Api.Expect(objected, 200);

        var view = await Api.Get(id, chair);
        view.Status.ShouldBe(ResolutionStatus.UnderNegotiation);
        var procedure = view.WrittenProcedures.Single();
        procedure.Status.ShouldBe(WrittenProcedureStatus.Objected);
        procedure.Objections.ShouldBe(["DE-HE"]);
        procedure.ReferredToSession.ShouldBe(next.Json["id"]!.GetValue<Guid>());

        var session = (await Api.Send(HttpMethod.Get, $"/api/sessions/{next.Json["id"]}", chair)).Json;
        var item = session["agenda"]!.AsArray().Single()!;
        item["resolutionId"]!.GetValue<Guid>().ShouldBe(id);
        item["note"]!.GetValue<string>().ShouldBe("Einwand im Umlaufverfahren");
        (await Api.Send(HttpMethod.Get, $"/api/sessions/{later.Json["id"]}", chair)).Json["agenda"]!.AsArray().ShouldBeEmpty();

        // The text can be worked on again, and a ballot can open in the session.
        Api.Expect(await Api.OpenBallot(id, chair), 201);
    }

    [Fact]
    public async Task A_deadline_fires_after_the_host_was_stopped_and_started_again()
    {
        var schema = "blk_restart_" + Guid.NewGuid().ToString("N")[..8];
        Guid id;
        var ownSchema = new Dictionary<string, string> { ["Marten:Schema"] = schema };
        {
            await using (var first = await app.StartHost("Development", settings: ownSchema))
            {
                var api = new ApiClient(first);
                id = (await api.ProposeTo("BL-KI", await api.Representative("NW"), "Gemeinsame Cloud", "Bund und Länder nutzen eine gemeinsame Cloud.")).Id;
                api.Expect(await Start(api, id, await api.Chair("BUND"), DateTimeOffset.UtcNow.AddSeconds(3)), 201);
                (await api.Get(id, await api.Chair("BUND"))).WrittenProcedures.Single().Status.ShouldBe(WrittenProcedureStatus.Running);
            }

            // No host runs while the deadline passes.
            await Task.Delay(TimeSpan.FromSeconds(4));

            await using var second = await app.StartHost("Development", settings: ownSchema);
            var again = new ApiClient(second);
            var view = await UntilEnded(again, id, await again.Chair("BUND"));
            view.Status.ShouldBe(ResolutionStatus.Adopted);
            view.WrittenProcedures.Single().Status.ShouldBe(WrittenProcedureStatus.Adopted);
        }
    }
}
