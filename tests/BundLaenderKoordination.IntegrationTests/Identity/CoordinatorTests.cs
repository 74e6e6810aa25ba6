using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// A Land's coordinator manages the representative and chair mandates of their own Land in their body, four eyes as
/// ever; administrators appoint coordinators (itself a mandate, granted and approved by two of them).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CoordinatorTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<string> Coordinator(string name, string land)
    {
        var token = await Api.Token(name, null);
        Api.Expect(await Api.GrantMandate(await Api.Admin("Verwaltung A"), ApiClient.PersonId(name), name, land, "coordinator"), 201);
        Api.Expect(await Api.ApproveMandate(await Api.Admin("Verwaltung B"), ApiClient.PersonId(name)), 200);
        return token;
    }

    private static string Mandate(string personId) => $"/api/bodies/D16/mandates/{Uri.EscapeDataString(personId)}";

    [Fact]
    public async Task A_coordinator_grants_a_mandate_of_their_Land_and_a_second_person_approves_it()
    {
        var bremen = await Coordinator("Koordination Bremen", "DE-HB");
        var second = await Coordinator("Koordination Bremen Zwei", "DE-HB");
        const string name = "Referent Bremen";
        var person = ApiClient.PersonId(name);
        var token = await Api.Token(name, null);

        var granted = await Api.GrantMandate(bremen, person, name, "DE-HB", "representative");
        Api.Expect(granted, 201);
        var own = await Api.ApproveMandate(bremen, person);
        own.Status.ShouldBe(403);
        own.ProblemType.ShouldBe("/problems/four-eyes");
        (await Api.Send(HttpMethod.Get, "/api/me", token)).Json["mandates"]!.AsArray().ShouldBeEmpty();

        Api.Expect(await Api.ApproveMandate(second, person), 200);
        var mandates = (await Api.Send(HttpMethod.Get, "/api/me", token)).Json["mandates"]!.AsArray();
        mandates.Single()!["land"]!.GetValue<string>().ShouldBe("DE-HB");

        var trail = await Api.Send(HttpMethod.Get, $"/api/bodies/D16/mandates", await Api.Admin("Verwaltung A"));
        var view = trail.Json.AsArray().Single(m => m!["personId"]!.GetValue<string>() == person)!;
        view["grantedBy"]!.GetValue<string>().ShouldBe(ApiClient.PersonId("Koordination Bremen"));

        // Revocation likewise: one asks, a different person confirms.
        Api.Expect(await Api.Send(HttpMethod.Post, Mandate(person) + "/revocation", bremen, new { reason = "Wechsel" }), 200);
        (await Api.Send(HttpMethod.Post, Mandate(person) + "/revocation/confirmation", bremen)).ProblemType.ShouldBe("/problems/four-eyes");
        Api.Expect(await Api.Send(HttpMethod.Post, Mandate(person) + "/revocation/confirmation", await Api.Admin("Verwaltung B")), 204);
        (await Api.Send(HttpMethod.Get, "/api/me", token)).Json["mandates"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_coordinator_reads_the_mandates_of_their_Land_only_and_an_auditor_reads_one_Lands()
    {
        var bremen = await Coordinator("Koordination Bremen Liste", "DE-HB");
        await Api.Token("Vertretung Liste Bremen", "DE-HB", "representative");
        await Api.Token("Vertretung Liste Saarland", "DE-SL", "representative");

        var own = await Api.Send(HttpMethod.Get, "/api/bodies/D16/mandates", bremen);
        Api.Expect(own, 200);
        var lands = own.Json.AsArray().Select(m => m!["land"]!.GetValue<string>()).Distinct().ToList();
        lands.ShouldBe(["DE-HB"]);
        own.Json.AsArray().ShouldContain(m => m!["personId"]!.GetValue<string>() == ApiClient.PersonId("Vertretung Liste Bremen"));
        (await Api.Send(HttpMethod.Get, "/api/bodies/D16/mandates?land=DE-SL", bremen)).Status.ShouldBe(403);
        (await Api.Send(HttpMethod.Get, "/api/bodies/D16/mandates?land=Atlantis", bremen)).Status.ShouldBe(400);

        var auditor = await Api.Token("Prüfung Liste", null, "auditor");
        var saarland = await Api.Send(HttpMethod.Get, "/api/bodies/D16/mandates?land=SL", auditor);
        Api.Expect(saarland, 200);
        saarland.Json.AsArray().ShouldAllBe(m => m!["land"]!.GetValue<string>() == "DE-SL");
        saarland.Json.AsArray().ShouldContain(m => m!["personId"]!.GetValue<string>() == ApiClient.PersonId("Vertretung Liste Saarland"));

        // A coordinator elsewhere, or a representative, reads none here.
        var representative = await Api.Token("Vertretung Liste Bremen", "DE-HB", "representative");
        (await Api.Send(HttpMethod.Get, "/api/bodies/D16/mandates", representative)).Status.ShouldBe(403);
    }

    [Fact]
    public async Task A_coordinator_acts_for_their_own_Land_only_appoints_no_coordinators_and_writes_no_texts()
    {
        var bremen = await Coordinator("Koordination Bremen Grenzen", "DE-HB");
        var niedersachsen = ApiClient.PersonId("Vertretung DE-NI");
        await Api.Representative("DE-NI"); // holds a mandate of Niedersachsen in D16
        var before = await app.MandateEventCount();

        var otherLand = await Api.GrantMandate(bremen, "dev:fremd", "Fremd", "DE-NI", "representative");
        otherLand.Status.ShouldBe(403);
        var appoint = await Api.GrantMandate(bremen, "dev:noch-eine-koordination", "Noch eine", "DE-HB", "coordinator");
        appoint.Status.ShouldBe(403);
        (await Api.Send(HttpMethod.Post, Mandate(niedersachsen) + "/revocation", bremen, new { reason = "Nicht zuständig" })).Status.ShouldBe(403);
        (await app.MandateEventCount()).ShouldBe(before, "refused mandate commands append nothing");

        var events = await app.EventCount();
        (await Api.Send(HttpMethod.Post, "/api/resolutions", bremen, new { body = "D16", title = "Versuch", paragraphs = new[] { "Text." } })).Status.ShouldBe(403);
        (await app.EventCount()).ShouldBe(events);
    }
}
