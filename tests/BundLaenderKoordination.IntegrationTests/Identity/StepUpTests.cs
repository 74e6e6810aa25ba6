using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>Weighty acts (a vote, closing a ballot, an audit export) need a recent and, where configured, strong sign-in.</summary>
[Collection(AppCollection.Name)]
public sealed class StepUpTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    /// <summary>A development token for a sign-in at <paramref name="authTime"/>, with an optional <c>acr</c>.</summary>
    private static async Task<string> SignedInAt(ApiClient api, string name, string? land, string role, DateTimeOffset authTime, string? acr = null)
    {
        var response = await api.Send(HttpMethod.Post, "/api/dev/tokens", null, new { name, land, roles = new[] { role }, authTime, acr });
        api.Expect(response, 200);
        return response.Json["token"]!.GetValue<string>();
    }

    private async Task ShouldNeedStepUp(Guid id, Func<Task<Response>> act, string reason = "stale-sign-in")
    {
        var (events, version) = (await app.EventCount(), await app.StreamVersion(id));
        var response = await act();
        response.Status.ShouldBe(401, response.Body);
        response.ProblemType.ShouldBe("/problems/step-up-required");
        response.Json["reason"]!.GetValue<string>().ShouldBe(reason);
        response.Json["maxAgeSeconds"]!.GetValue<long>().ShouldBe(15 * 60);
        var challenge = response.Headers["WWW-Authenticate"];
        challenge.ShouldNotBeNull();
        challenge.ShouldStartWith("Bearer error=\"insufficient_user_authentication\"");
        challenge.ShouldContain("max_age=\"900\"");
        (await app.EventCount()).ShouldBe(events, "a refused weighty act appends no event");
        (await app.StreamVersion(id)).ShouldBe(version);
    }

    [Fact]
    public async Task A_vote_with_a_sign_in_older_than_the_window_is_refused_with_step_up_and_records_nothing()
    {
        var id = (await Api.Propose(await Api.Representative("DE-RP"), "Beschluss zur Registermodernisierung", "Die Länder vereinbaren ...")).Id;
        var stale = await SignedInAt(Api, "Vertretung DE-SN", "DE-SN", "representative", DateTimeOffset.UtcNow.AddMinutes(-16));

        await ShouldNeedStepUp(id, () => Api.Vote(id, stale, "yes", 1));

        var fresh = await SignedInAt(Api, "Vertretung DE-SN", "DE-SN", "representative", DateTimeOffset.UtcNow.AddMinutes(-1));
        Api.Expect(await Api.Vote(id, fresh, "yes", 1), 200);
        (await Api.Get(id, fresh)).Votes.ShouldHaveSingleItem().Land.ShouldBe("DE-SN");
    }

    [Fact]
    public async Task Closing_a_ballot_with_a_stale_sign_in_is_refused_and_the_ballot_stays_open()
    {
        var id = (await Api.Propose(await Api.Representative("DE-RP"), "Beschluss zur Cloud-Strategie", "Die Länder nutzen ...")).Id;
        var chair = await Api.Chair();
        Api.Expect(await Api.OpenBallot(id, chair), 201);
        await Api.Vote(id, 1, "yes", ApiClient.AllLaender);
        var stale = await SignedInAt(Api, "Vorsitz DE-BY", "DE-BY", "chair", DateTimeOffset.UtcNow.AddHours(-2));

        await ShouldNeedStepUp(id, () => Api.CloseBallot(id, stale));
        (await Api.Get(id, chair)).Ballots.ShouldHaveSingleItem().Status.ShouldBe(BallotStatus.Open);

        Api.Expect(await Api.CloseBallot(id, chair), 200);
    }

    [Fact]
    public async Task Declaring_adoption_with_a_stale_sign_in_is_refused_too_since_it_closes_a_ballot()
    {
        var id = (await Api.Propose(await Api.Representative("DE-RP"), "Beschluss zur Informationssicherheit", "Die Länder stärken ...")).Id;
        await Api.Vote(id, 1, "yes", ApiClient.AllLaender);
        var version = await app.StreamVersion(id);
        var stale = await SignedInAt(Api, "Vorsitz DE-BY", "DE-BY", "chair", DateTimeOffset.UtcNow.AddMinutes(-20));

        await ShouldNeedStepUp(id, () => Api.Adopt(id, stale, version));

        Api.Expect(await Api.Adopt(id, await Api.Chair(), version), 200);
    }

    /// <summary>
    /// Acts that record a vote, a consent, an objection, a ballot's close, an adoption, register a passkey (which signs
    /// votes), or export the audit, recognised
    /// by what the endpoint's metadata says it does (its name and route), not by a list kept beside the step-up table.
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex WeightyWrite =
        new("(?i)vote|consent|objec|adopt|closeBallot|ballots/current/closing|exportAudit|bundle|registerPasskey");
    // ("exportAudit", not "export": the calendar subscriptions live in the Exports namespace and hand out no audit.)
    // A read is weighty when it hands out the audit log as a whole (the bundle); the exports of one resolution (Akoma
    // Ntoso, PDF, CSV) carry what its JSON reads carry and follow their access.
    private static readonly System.Text.RegularExpressions.Regex WeightyRead = new("(?i)bundle");

    private IReadOnlyList<(RouteEndpoint Endpoint, string Key, string Description)> MappedEndpoints() =>
        app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => AccessRules.KeysOf(e).Select(key => (e, key,
                $"{key} {e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName} {e.DisplayName}")))
            .ToList();

    // The pages (routes outside /api) act only through the API's endpoints, which are recognised here themselves; a page
    // route is judged as a read.
    private static bool IsWeighty(string key, string description) =>
        key.StartsWith("GET ", StringComparison.Ordinal) || !key.Contains(" /api/", StringComparison.Ordinal)
            ? WeightyRead.IsMatch(description)
            : WeightyWrite.IsMatch(description);

    [Fact]
    public void Every_mapped_endpoint_that_records_a_weighty_act_requires_step_up()
    {
        var endpoints = MappedEndpoints();
        var weighty = endpoints.Where(e => IsWeighty(e.Key, e.Description)).ToList();
        // The recogniser finds the acts named in the step-up table (else it proves nothing about new routes).
        weighty.Select(e => e.Key).Distinct().Order().ShouldBe(AccessRules.StepUp.Keys.Order(), "the recogniser and the table disagree: " +
            string.Join("; ", weighty.Select(e => e.Description)));
        var method = (string key) => key[..key.IndexOf(' ')];
        weighty.Where(e => AccessRules.StepUpActOf(e.Endpoint, method(e.Key)) is null).Select(e => e.Description)
            .ShouldBeEmpty("each of these records a vote, consent, objection, ballot close, adoption, passkey registration or export without step-up");
    }

    [Fact]
    public async Task Every_weighty_act_refuses_a_stale_sign_in_with_step_up_and_appends_nothing()
    {
        var id = (await Api.Propose(await Api.Representative("DE-RP"), "Beschluss zur Schrittprüfung " + Guid.NewGuid().ToString("N")[..6], "Text.")).Id;
        var stale = DateTimeOffset.UtcNow.AddHours(-1);
        var tokens = new Dictionary<Access, string>
        {
            [Access.Vote] = await SignedInAt(Api, "Vertretung DE-SN", "DE-SN", "representative", stale),
            [Access.Chair] = await SignedInAt(Api, "Vorsitz DE-BY", "DE-BY", "chair", stale),
            [Access.AuditExport] = await SignedInAt(Api, "Prüfung Schritt", null, "auditor", stale),
        };
        tokens[Access.SignedIn] = tokens[Access.Vote];
        var wrong = new List<string>();
        foreach (var (endpoint, key, description) in MappedEndpoints().Where(e => IsWeighty(e.Key, e.Description)).DistinctBy(e => e.Key))
        {
            var method = key[..key.IndexOf(' ')];
            var access = AccessRules.For(endpoint, method);
            if (access is null || !tokens.TryGetValue(access.Value, out var token))
            {
                wrong.Add($"{description}: no stale token for access {access}");
                continue;
            }
            var url = key[(key.IndexOf(' ') + 1)..].Replace("{id}", id.ToString());
            var events = await app.EventCount();
            var response = await Api.Send(new HttpMethod(method), url, token, method == "GET" ? null : new { });
            if (response.Status != 401 || response.ProblemType != "/problems/step-up-required")
                wrong.Add($"{description}: {response.Status} {response.Body}");
            if (await app.EventCount() != events) wrong.Add($"{description}: appended an event");
        }
        wrong.ShouldBeEmpty();
    }

    [Fact]
    public void Every_act_that_needs_step_up_is_an_endpoint_the_service_maps()
    {
        var mapped = app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(AccessRules.KeysOf).ToHashSet();
        AccessRules.StepUp.Keys.Where(key => !mapped.Contains(key)).ShouldBeEmpty("a renamed route would otherwise lose its step-up");
    }

    [Fact]
    public async Task A_token_without_auth_time_counts_as_a_stale_sign_in()
    {
        var id = (await Api.Propose(await Api.Representative("DE-RP"), "Beschluss zum Onlinezugang", "Die Länder bieten ...")).Id;
        await Api.Representative("DE-SH");
        var configuration = app.Host.Services.GetRequiredService<IConfiguration>();
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IdentitySetup.DevelopmentIssuer,
            Audience = IdentitySetup.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", ApiClient.PersonId("Vertretung DE-SH")), new Claim("name", "Vertretung DE-SH")]),
            Expires = DateTime.UtcNow.AddMinutes(30),
            SigningCredentials = new SigningCredentials(IdentitySetup.SigningKey(configuration["Identity:SigningKey"]!), SecurityAlgorithms.HmacSha256),
        });

        await ShouldNeedStepUp(id, () => Api.Vote(id, token, "yes", 1));
    }

    [Fact]
    public async Task A_sign_in_time_beyond_the_clock_skew_in_the_future_is_refused_and_one_within_it_passes()
    {
        var id = (await Api.Propose(await Api.Representative("DE-RP"), "Beschluss zur Zeitstempelung", "Die Länder vereinbaren ...")).Id;
        await Api.Representative("DE-SH");
        var configuration = app.Host.Services.GetRequiredService<IConfiguration>();
        string SignedInAt(DateTimeOffset authTime) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IdentitySetup.DevelopmentIssuer,
            Audience = IdentitySetup.Audience,
            Subject = new ClaimsIdentity([
                new Claim("sub", ApiClient.PersonId("Vertretung DE-SH")), new Claim("name", "Vertretung DE-SH"),
                new Claim(StepUp.AuthTimeClaim, authTime.ToUnixTimeSeconds().ToString(), ClaimValueTypes.Integer64)]),
            Expires = DateTime.UtcNow.AddMinutes(30),
            SigningCredentials = new SigningCredentials(IdentitySetup.SigningKey(configuration["Identity:SigningKey"]!), SecurityAlgorithms.HmacSha256),
        });

        // A sign-in "in two hours" would otherwise pass the step-up for two hours and a quarter.
        await ShouldNeedStepUp(id, () => Api.Vote(id, SignedInAt(DateTimeOffset.UtcNow.AddHours(2)), "yes", 1), "future-sign-in");
        await ShouldNeedStepUp(id, () => Api.Vote(id, SignedInAt(DateTimeOffset.UtcNow.AddMinutes(2)), "yes", 1), "future-sign-in");
        await ShouldNeedStepUp(id, () => Api.Vote(id, SignedInAt(DateTimeOffset.MaxValue), "yes", 1), "future-sign-in");
        // Within the skew of 60 seconds the issuer's clock may run ahead of ours.
        Api.Expect(await Api.Vote(id, SignedInAt(DateTimeOffset.UtcNow.AddSeconds(30)), "yes", 1), 200);
    }

    [Fact]
    public async Task Where_an_acr_is_configured_a_token_without_it_is_refused_and_one_with_it_passes()
    {
        await using var host = await app.StartHost("Development",
            services => services.Configure<StepUpOptions>(o => o.AcrValues = ["urn:bund-laender:loa:substantial", "urn:bund-laender:loa:high"]));
        var api = new ApiClient(host);
        var id = (await api.Propose(await api.Representative("DE-RP"), "Beschluss zur Datenstrategie", "Die Länder teilen ...")).Id;
        var now = DateTimeOffset.UtcNow;

        var lacking = await SignedInAt(api, "Vertretung DE-HB", "DE-HB", "representative", now);
        var refused = await api.Vote(id, lacking, "yes", 1);
        refused.Status.ShouldBe(401);
        refused.ProblemType.ShouldBe("/problems/step-up-required");
        refused.Json["reason"]!.GetValue<string>().ShouldBe("insufficient-acr");
        refused.Headers["WWW-Authenticate"]!.ShouldContain("acr_values=\"urn:bund-laender:loa:substantial urn:bund-laender:loa:high\"");
        var weak = await SignedInAt(api, "Vertretung DE-HB", "DE-HB", "representative", now, "urn:bund-laender:loa:low");
        (await api.Vote(id, weak, "yes", 1)).Status.ShouldBe(401);

        var strong = await SignedInAt(api, "Vertretung DE-HB", "DE-HB", "representative", now, "urn:bund-laender:loa:high");
        api.Expect(await api.Vote(id, strong, "yes", 1), 200);
        // Acts that are not weighty need no step-up.
        api.Expect(await api.Comment(id, lacking, "Wir stimmen zu."), 201);
    }

    [Fact]
    public async Task The_former_audit_setting_still_sets_the_window()
    {
        {
            await using var host = await app.StartHost("Development", settings: new Dictionary<string, string> { ["Audit:StepUpMaxAgeMinutes"] = "5" });
            var api = new ApiClient(host);
            var auditor = await SignedInAt(api, "Prüfung", null, "auditor", DateTimeOffset.UtcNow.AddMinutes(-6));
            var refused = await api.Send(HttpMethod.Get, "/api/audit/bundle", auditor);
            refused.ProblemType.ShouldBe("/problems/step-up-required");
            refused.Json["maxAgeSeconds"]!.GetValue<long>().ShouldBe(300);
        }
    }
}
