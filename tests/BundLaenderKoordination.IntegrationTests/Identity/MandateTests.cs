using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// Mandates decide for whom a person acts. These persons get tokens without a representative role, so nothing but the
/// mandates granted here lets them act.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MandateTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<(Guid Id, int TextVersion)> Proposed()
    {
        var written = await Api.Propose(await Api.Representative("RP"), "Verwaltungsdigitalisierung", "Die Länder stimmen sich ab.");
        return (written.Id, written.TextVersion);
    }

    /// <summary>A person the identity provider knows, with no role and no mandate yet.</summary>
    private async Task<(string Token, string PersonId)> Person(string name) => (await Api.Token(name, null), ApiClient.PersonId(name));

    private async Task<int> Events() => await app.EventCount() + await app.MandateEventCount();

    [Fact]
    public async Task A_person_without_an_approved_mandate_cannot_vote()
    {
        var (id, textVersion) = await Proposed();
        var (token, personId) = await Person("Ohne Mandat");
        (await Api.Vote(id, token, "yes", textVersion)).Status.ShouldBe(403);

        Api.Expect(await Api.GrantMandate(await Api.Admin("Verwaltung A"), personId, "Ohne Mandat", "DE-HE", "representative"), 201);
        var before = await app.StreamVersion(id);
        var pending = await Api.Vote(id, token, "yes", textVersion);
        pending.Status.ShouldBe(403);
        pending.ProblemType.ShouldBe("/problems/forbidden");
        (await app.StreamVersion(id)).ShouldBe(before);
    }

    [Fact]
    public async Task A_mandate_approved_by_a_second_administrator_lets_the_person_vote_for_its_Land_only()
    {
        var (id, textVersion) = await Proposed();
        var (token, personId) = await Person("Hessische Vertretung");
        Api.Expect(await Api.GrantMandate(await Api.Admin("Verwaltung A"), personId, "Hessische Vertretung", "DE-HE", "representative"), 201);
        Api.Expect(await Api.ApproveMandate(await Api.Admin("Verwaltung B"), personId), 200);

        var vote = await Api.Vote(id, token, "yes", textVersion);
        vote.Status.ShouldBe(200, vote.Body);
        vote.Json["land"]!.GetValue<string>().ShouldBe("DE-HE");
        var view = await Api.Get(id, token);
        view.Votes.Single().CastBy.PersonId.ShouldBe(personId);
        view.Votes.Single().CastBy.ActingFor.ShouldBe("DE-HE");

        var me = await Api.Send(HttpMethod.Get, "/api/me", token);
        me.Json["mandates"]![0]!["land"]!.GetValue<string>().ShouldBe("DE-HE");
    }

    [Fact]
    public async Task A_representative_of_Bayern_cannot_vote_for_Hessen()
    {
        var (id, textVersion) = await Proposed();
        var before = await app.StreamVersion(id);
        var response = await Api.Vote(id, await Api.Representative("DE-BY"), "yes", textVersion, land: "DE-HE");
        response.Status.ShouldBe(403);
        response.ProblemType.ShouldBe("/problems/forbidden");
        (await app.StreamVersion(id)).ShouldBe(before);
    }

    [Fact]
    public async Task A_mandate_approved_by_its_own_grantor_is_refused()
    {
        var (_, personId) = await Person("Selbst Genehmigt");
        var admin = await Api.Admin("Verwaltung A");
        Api.Expect(await Api.GrantMandate(admin, personId, "Selbst Genehmigt", "DE-SN", "representative"), 201);
        var before = await Events();

        var approval = await Api.ApproveMandate(admin, personId);
        approval.Status.ShouldBe(403);
        approval.ProblemType.ShouldBe("/problems/four-eyes");
        (await Events()).ShouldBe(before);
    }

    [Fact]
    public async Task Nobody_grants_themselves_a_mandate()
    {
        var admin = await Api.Admin("Verwaltung Selbst");
        var before = await Events();
        var grant = await Api.GrantMandate(admin, ApiClient.PersonId("Verwaltung Selbst"), "Verwaltung Selbst", "DE-SN", "chair");
        grant.Status.ShouldBe(403);
        grant.ProblemType.ShouldBe("/problems/four-eyes");
        (await Events()).ShouldBe(before);
    }

    [Fact]
    public async Task The_person_receiving_a_mandate_never_approves_it_and_an_administrator_never_holds_one()
    {
        // Granted before the service ever saw this person, so the grant itself could not know they are an administrator.
        var personId = ApiClient.PersonId("Verwaltung Empfänger");
        Api.Expect(await Api.GrantMandate(await Api.Admin("Verwaltung A"), personId, "Verwaltung Empfänger", "DE-HH", "chair"), 201);
        var before = await Events();

        var own = await Api.ApproveMandate(await Api.Admin("Verwaltung Empfänger"), personId);
        own.Status.ShouldBe(403);
        own.ProblemType.ShouldBe("/problems/four-eyes");
        (await Events()).ShouldBe(before);

        var third = await Api.ApproveMandate(await Api.Admin("Verwaltung C"), personId);
        third.Status.ShouldBe(422);
        third.ProblemType.ShouldBe("/problems/separation-of-duties");
        (await Events()).ShouldBe(before);
    }

    [Fact]
    public async Task An_auditor_is_refused_a_mandate_at_grant_and_at_approval()
    {
        var seen = await Api.Token("Prüfung Gesehen", null, "auditor");
        Api.Expect(await Api.Send(HttpMethod.Get, "/api/me", seen), 200);
        var before = await Events();
        var grant = await Api.GrantMandate(await Api.Admin("Verwaltung A"), ApiClient.PersonId("Prüfung Gesehen"), "Prüfung Gesehen", "DE-BY", "representative");
        grant.Status.ShouldBe(422);
        grant.ProblemType.ShouldBe("/problems/separation-of-duties");
        (await Events()).ShouldBe(before);

        // Granted while unknown, the role shows by the time of approval.
        var later = ApiClient.PersonId("Prüfung Später");
        Api.Expect(await Api.GrantMandate(await Api.Admin("Verwaltung A"), later, "Prüfung Später", "DE-BY", "representative"), 201);
        Api.Expect(await Api.Send(HttpMethod.Get, "/api/me", await Api.Token("Prüfung Später", null, "auditor")), 200);
        before = await Events();
        var approval = await Api.ApproveMandate(await Api.Admin("Verwaltung B"), later);
        approval.Status.ShouldBe(422);
        approval.ProblemType.ShouldBe("/problems/separation-of-duties");
        (await Events()).ShouldBe(before);
    }

    [Fact]
    public async Task A_person_who_became_an_administrator_neither_votes_under_an_old_mandate_nor_confirms_its_revocation()
    {
        var (id, textVersion) = await Proposed();
        var (_, personId) = await Person("Später Verwaltung");
        var first = await Api.Admin("Verwaltung A");
        Api.Expect(await Api.GrantMandate(first, personId, "Später Verwaltung", "DE-SL", "representative"), 201);
        Api.Expect(await Api.ApproveMandate(await Api.Admin("Verwaltung B"), personId), 200);
        var nowAdmin = await Api.Token("Später Verwaltung", null, "admin");
        var before = await app.StreamVersion(id);
        (await Api.Vote(id, nowAdmin, "yes", textVersion)).Status.ShouldBe(403);
        (await app.StreamVersion(id)).ShouldBe(before);

        var url = $"/api/bodies/D16/mandates/{Uri.EscapeDataString(personId)}/revocation";
        Api.Expect(await Api.Send(HttpMethod.Post, url, first, new { reason = "Wechsel in die Verwaltung" }), 200);
        var events = await Events();
        var own = await Api.Send(HttpMethod.Post, url + "/confirmation", nowAdmin);
        own.Status.ShouldBe(403);
        own.ProblemType.ShouldBe("/problems/four-eyes");
        (await Events()).ShouldBe(events);
    }

    [Fact]
    public async Task A_revoked_mandate_is_refused_from_the_moment_of_revocation()
    {
        var (id, textVersion) = await Proposed();
        var (token, personId) = await Person("Widerrufen");
        var first = await Api.Admin("Verwaltung A");
        var second = await Api.Admin("Verwaltung B");
        Api.Expect(await Api.GrantMandate(first, personId, "Widerrufen", "DE-TH", "representative"), 201);
        Api.Expect(await Api.ApproveMandate(second, personId), 200);
        Api.Expect(await Api.Vote(id, token, "no", textVersion), 200);

        var url = $"/api/bodies/D16/mandates/{Uri.EscapeDataString(personId)}/revocation";
        Api.Expect(await Api.Send(HttpMethod.Post, url, first, new { reason = "Wechsel des Ressorts" }), 200);
        // Requested, not yet confirmed: the mandate is still in effect.
        Api.Expect(await Api.Vote(id, token, "abstain", textVersion), 200);
        var selfConfirmed = await Api.Send(HttpMethod.Post, url + "/confirmation", first);
        selfConfirmed.Status.ShouldBe(403);
        selfConfirmed.ProblemType.ShouldBe("/problems/four-eyes");

        Api.Expect(await Api.Send(HttpMethod.Post, url + "/confirmation", second), 204);
        var before = await app.StreamVersion(id);
        (await Api.Vote(id, token, "yes", textVersion)).Status.ShouldBe(403);
        (await Api.Comment(id, token, "Noch ein Hinweis")).Status.ShouldBe(403);
        (await app.StreamVersion(id)).ShouldBe(before);
    }

    [Fact]
    public async Task A_person_holds_at_most_one_mandate_per_body()
    {
        var (_, personId) = await Person("Doppelt");
        var first = await Api.Admin("Verwaltung A");
        Api.Expect(await Api.GrantMandate(first, personId, "Doppelt", "DE-BW", "representative"), 201);
        Api.Expect(await Api.ApproveMandate(await Api.Admin("Verwaltung B"), personId), 200);
        var before = await Events();

        var second = await Api.GrantMandate(first, personId, "Doppelt", "DE-BE", "representative");
        second.Status.ShouldBe(409);
        second.ProblemType.ShouldBe("/problems/mandate-conflict");
        (await Events()).ShouldBe(before);
    }

    [Fact]
    public async Task Only_administrators_grant_and_approve_and_they_never_vote()
    {
        var (id, textVersion) = await Proposed();
        var (_, personId) = await Person("Kandidatin");
        var others = new[] { await Api.Representative("DE-BY"), await Api.Chair("DE-NI"), await Api.Token("Prüferin", null, "auditor") };
        var before = await Events();
        foreach (var token in others)
            (await Api.GrantMandate(token, personId, "Kandidatin", "DE-BY", "representative")).Status.ShouldBe(403);
        (await Events()).ShouldBe(before);

        var admin = await Api.Admin("Verwaltung A");
        (await Api.Vote(id, admin, "yes", textVersion)).Status.ShouldBe(403);
        (await Api.Edit(id, admin, 1, new { id = "p1", text = "Anders." })).Status.ShouldBe(403);
    }

    [Fact]
    public async Task A_chair_votes_only_through_a_representative_mandate()
    {
        var (id, textVersion) = await Proposed();
        var chair = await Api.Chair("DE-NI");
        (await Api.Vote(id, chair, "yes", textVersion)).Status.ShouldBe(403);
    }

    [Fact]
    public async Task Auditors_read_the_mandates_of_a_body()
    {
        await Api.Representative("DE-MV");
        var list = await Api.Send(HttpMethod.Get, "/api/bodies/D16/mandates", await Api.Token("Prüferin", null, "auditor"));
        list.Status.ShouldBe(200);
        list.Json.AsArray().ShouldContain(m => m!["land"]!.GetValue<string>() == "DE-MV" && m["status"]!.GetValue<string>() == "active");
        (await Api.Send(HttpMethod.Get, "/api/bodies/D16/mandates", await Api.Token("Presse", null, "observer"))).Status.ShouldBe(403);
    }
}
