using System.Text.RegularExpressions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Identity;

/// <summary>
/// Every endpoint the service maps, called by every kind of caller. A new endpoint that is not in <see cref="Expected"/>
/// fails this test until someone decides who may call it (here and in AccessRules.Endpoints).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuthorizationMatrixTests(AppFixture app)
{
    private const string Anonymous = "anonymous", Nobody = "none", Representative = "representative", Chair = "chair",
        Observer = "observer", Auditor = "auditor", Admin = "admin", Coordinator = "coordinator";

    private static readonly string[] Personas = [Anonymous, Nobody, Representative, Chair, Observer, Auditor, Admin, Coordinator];

    private static readonly string[] Everyone = Personas;
    private static readonly string[] SignedIn = [Nobody, Representative, Chair, Observer, Auditor, Admin, Coordinator];
    private static readonly string[] Readers = [Representative, Chair, Observer, Auditor, Coordinator];
    private static readonly string[] MandateManagers = [Admin, Coordinator];
    private static readonly string[] Negotiators = [Representative, Chair];
    private static readonly string[] Voters = [Representative];
    private static readonly string[] Chairs = [Chair];
    private static readonly string[] MandateReaders = [Auditor, Admin, Coordinator];
    private static readonly string[] Admins = [Admin];

    /// <summary>Who gets past access control, per "METHOD /route" ("*" for pages, which answer any method).</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["* /health/live"] = Everyone,
        ["* /health/ready"] = Everyone,
        ["GET /health/node"] = Everyone,
        ["GET /openapi/{documentName}.json"] = Everyone,
        ["GET /docs/api/{documentName?}"] = Everyone,
        ["GET /docs/api/favicon.svg"] = Everyone,
        ["GET /docs/api/scalar.aspnetcore.js"] = Everyone,
        ["GET /docs/api/scalar.js"] = Everyone,
        ["POST /api/dev/tokens"] = Everyone,
        ["* /anmelden"] = Everyone,
        ["* /anmelden/oidc"] = Everyone,
        ["* /anmelden/oidc/abgemeldet"] = Everyone,
        ["GET /sprache/{code}"] = Everyone,
        // Pages sign in with their own cookie and redirect everyone else to the sign-in page; their data comes
        // through the API, checked like any other call.
        ["* /"] = Everyone,
        ["* /abmelden"] = Everyone,
        ["* /beschluesse/{id:guid}"] = Everyone,
        ["GET /beschluesse/{id:guid}/live"] = Everyone,

        ["* /beschluesse/{id:guid}/verlauf"] = Everyone,
        ["* /pruefung"] = Everyone,
        ["* /gremien/{code}"] = Everyone,
        ["* /gremien/{code}/mandate"] = Everyone,
        ["GET /gremien/{code}/live"] = Everyone,
        ["* /sitzungen/{id:guid}"] = Everyone,
        ["* /exporte/{what}/{id}/{format}"] = Everyone,
        // The transparency log's checkpoints and keys are public, so anyone can check the service's signatures.
        ["GET /api/audit/checkpoint"] = Everyone,
        ["GET /api/audit/checkpoints/{size}"] = Everyone,
        ["GET /api/audit/public-keys"] = Everyone,
        ["GET /api/audit/witnesses"] = Everyone,
        ["GET /api/audit/witnesses/checkpoints"] = Everyone,

        ["GET /api/me"] = SignedIn,

        ["GET /api/resolutions"] = Readers,
        ["GET /api/resolutions/{id}"] = Readers,
        ["GET /api/resolutions/search"] = Readers,
        ["GET /api/resolutions/{id}/timeline"] = Readers,
        ["GET /api/resolutions/{id}/live"] = Readers,
        ["GET /api/resolutions/{id}/changes"] = Readers,
        ["GET /api/resolutions/{id}/audit-trail"] = Readers,
        ["GET /api/resolutions/{id}/diff"] = Readers,
        ["GET /api/resolutions/{id}/synopsis"] = Readers,
        ["GET /api/resolutions/{id}/amendments/{amendmentId}/diff"] = Readers,
        ["GET /api/resolutions/{id}/amendments/diffs"] = Readers,
        ["GET /api/bodies/{bodyId}/timeline"] = Readers,
        ["GET /api/bodies/{bodyId}/live"] = Readers,
        ["GET /api/bodies/{bodyId}/changes"] = Readers,
        ["GET /api/resolutions/{id}/akn"] = Readers,
        ["GET /api/resolutions/{id}/amendments/{amendmentId}/akn"] = Readers,
        ["GET /api/resolutions/{id}/pdf"] = Readers,
        ["GET /api/resolutions/{id}/ballots/{number}/votes/csv"] = Readers,
        ["GET /api/resolutions/{id}/audit-trail/csv"] = Readers,
        ["GET /api/resolutions/{id}/timeline/csv"] = Readers,

        ["POST /api/resolutions"] = Negotiators,
        ["PUT /api/resolutions/{id}/text"] = Negotiators,
        ["POST /api/resolutions/{id}/comments"] = Negotiators,
        ["POST /api/resolutions/{id}/comments/{commentId}/replies"] = Negotiators,
        ["POST /api/resolutions/{id}/comments/{commentId}/resolution"] = Negotiators,
        ["DELETE /api/resolutions/{id}/comments/{commentId}/resolution"] = Negotiators,
        ["POST /api/resolutions/{id}/amendments"] = Negotiators,
        ["PUT /api/resolutions/{id}/amendments/{amendmentId}"] = Negotiators,
        ["POST /api/resolutions/{id}/amendments/{amendmentId}/support"] = Negotiators,
        ["POST /api/resolutions/{id}/amendments/{amendmentId}/decision"] = Negotiators,
        ["POST /api/resolutions/{id}/brackets"] = Negotiators,
        ["POST /api/resolutions/{id}/brackets/{bracketId}/alternatives"] = Negotiators,
        ["POST /api/resolutions/{id}/brackets/{bracketId}/resolution"] = Negotiators,
        ["POST /api/resolutions/{id}/votes"] = Voters,
        ["POST /api/resolutions/{id}/adoption"] = Chairs,

        ["GET /api/audit/events/{seq}/inclusion-proof"] = Readers,
        ["GET /api/audit/consistency-proof"] = Readers,
        ["GET /api/resolutions/{id}/votes/{version}/receipt"] = [Representative, Auditor, Admin],
        ["POST /api/audit/checkpoints"] = [Chair, Auditor, Admin],
        ["GET /api/audit/bundle"] = [Auditor],
        ["GET /api/audit/who-agreed"] = [Auditor],

        ["GET /api/bodies"] = [.. Readers, Admin],
        ["GET /api/bodies/{code}"] = [.. Readers, Admin],
        ["GET /api/bodies/{code}/sessions"] = [.. Readers, Admin],
        ["GET /api/sessions/{id}"] = [.. Readers, Admin],
        ["GET /api/sessions/{id}/minutes/pdf"] = [.. Readers, Admin],
        ["GET /api/bodies/{code}/calendar/ics"] = [.. Readers, Admin],
        ["POST /api/bodies/{code}/calendar/subscriptions"] = Readers,
        ["GET /api/calendar/subscriptions"] = SignedIn,
        ["DELETE /api/calendar/subscriptions/{id}"] = SignedIn,
        // A secret calendar address is its own credential: calendar programs send no token.
        ["GET /api/calendar/feeds/{token}"] = Everyone,
        ["GET /api/special-session-requests/{id}"] = [.. Readers, Admin],
        ["GET /api/bodies/{code}/special-session-requests"] = [.. Readers, Admin],
        ["POST /api/bodies"] = Admins,
        ["PUT /api/bodies/{code}"] = Admins,
        ["POST /api/bodies/{code}/sessions"] = Chairs,
        ["POST /api/sessions/{id}/agenda"] = Chairs,
        ["POST /api/sessions/{id}/attendance"] = Chairs,
        ["POST /api/sessions/{id}/opening"] = Chairs,
        ["POST /api/sessions/{id}/closing"] = Chairs,
        ["POST /api/resolutions/{id}/ballots"] = Chairs,
        ["POST /api/resolutions/{id}/ballots/current/closing"] = Chairs,
        ["POST /api/resolutions/{id}/ballots/current/cancellation"] = Chairs,
        ["PUT /api/resolutions/{id}/ballots/current/deadline"] = Chairs,
        ["POST /api/resolutions/{id}/written-procedure"] = Chairs,
        ["POST /api/resolutions/{id}/written-procedure/consent"] = Voters,
        ["POST /api/resolutions/{id}/written-procedure/objection"] = Voters,
        ["POST /api/bodies/{code}/special-session-requests"] = Voters,
        ["POST /api/special-session-requests/{id}/support"] = Voters,
        ["POST /api/resolutions/{id}/positions"] = Negotiators,
        ["POST /api/resolutions/{id}/declarations"] = Negotiators,
        ["POST /api/resolutions/{id}/declarations/{declarationId}/joining"] = Negotiators,
        ["POST /api/resolutions/{id}/withdrawal"] = Negotiators,
        ["PUT /api/resolutions/{id}/restriction"] = Negotiators,

        ["GET /api/bodies/{bodyId}/mandates"] = MandateReaders,
        ["POST /api/bodies/{bodyId}/mandates"] = MandateManagers,
        ["POST /api/bodies/{bodyId}/mandates/{personId}/approval"] = MandateManagers,
        ["POST /api/bodies/{bodyId}/mandates/{personId}/withdrawal"] = MandateManagers,
        ["POST /api/bodies/{bodyId}/mandates/{personId}/revocation"] = MandateManagers,
        ["POST /api/bodies/{bodyId}/mandates/{personId}/revocation/confirmation"] = MandateManagers,
        ["POST /api/passkeys/registration-options"] = SignedIn,
        ["POST /api/passkeys"] = SignedIn,
        ["GET /api/passkeys"] = SignedIn,
        ["GET /api/people/{personId}/passkeys"] = MandateReaders,
        ["POST /api/people/{personId}/passkeys/{credentialId}/approval"] = MandateManagers,
        // The person themselves, an administrator or a coordinator: checked by the decision (an unknown passkey is 404 for all).
        ["POST /api/people/{personId}/passkeys/{credentialId}/revocation"] = SignedIn,

        ["GET /api/notifications"] = SignedIn,
        ["POST /api/notifications/{id}/read"] = SignedIn,
        ["GET /api/notifications/settings"] = SignedIn,
        ["PUT /api/notifications/settings"] = SignedIn,
        ["GET /api/notifications/unsubscribe"] = Everyone,
        ["POST /api/notifications/unsubscribe"] = Everyone,
        ["GET /api/admin/notifications"] = Admins,
        ["POST /api/admin/notifications/digest"] = Admins,
        ["* /benachrichtigungen"] = Everyone,
        ["* /passkeys"] = Everyone,
        ["* /verwaltung/benachrichtigungen"] = Everyone,
    };

    private static IReadOnlyList<string> MappedEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(Api.Identity.AccessRules.KeysOf)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Every_mapped_endpoint_has_an_access_rule_and_a_row_in_this_matrix()
    {
        var mapped = MappedEndpoints(app.Host.Services);
        var missing = mapped.Where(key => !Expected.ContainsKey(key) || !Api.Identity.AccessRules.Endpoints.ContainsKey(key)).ToList();
        missing.ShouldBeEmpty(
            "These endpoints have no access rule: add each to AccessRules.Endpoints (src/BundLaenderKoordination.Api/Identity/AccessRules.cs) " +
            "and to AuthorizationMatrixTests.Expected with the callers that may use it: " + string.Join("; ", missing.Select(k => $"[\"{k}\"]")));
        Expected.Keys.Except(mapped).ShouldBeEmpty("These rows name endpoints the service no longer maps: remove them here and in AccessRules.Endpoints.");
    }

    [Fact]
    public async Task Each_kind_of_caller_gets_past_access_control_exactly_where_the_matrix_says()
    {
        var tokens = new Dictionary<string, string?>
        {
            [Anonymous] = null,
            [Nobody] = await app.Api.Token("Ohne Rolle", null),
            [Representative] = await app.Api.Representative("DE-BY"),
            [Chair] = await app.Api.Chair("DE-NI"),
            [Observer] = await app.Api.Token("Beobachtung", null, "observer"),
            [Auditor] = await app.Api.Token("Prüfung", null, "auditor"),
            [Admin] = await app.Api.Admin("Verwaltung"),
            [Coordinator] = await app.Api.Token("Koordination Matrix", null),
        };
        // A Land's coordinator: a mandate, granted and approved by two administrators.
        app.Api.Expect(await app.Api.GrantMandate(tokens[Admin]!, ApiClient.PersonId("Koordination Matrix"), "Koordination Matrix", "DE-HB", "coordinator"), 201);
        app.Api.Expect(await app.Api.ApproveMandate(await app.Api.Admin("Verwaltung B"), ApiClient.PersonId("Koordination Matrix")), 200);
        var eventsBefore = await app.EventCount();

        var wrong = new List<string>();
        foreach (var key in MappedEndpoints(app.Host.Services).Where(Expected.ContainsKey))
        {
            var (method, route) = (key[..key.IndexOf(' ')], key[(key.IndexOf(' ') + 1)..]);
            var url = Url(route);
            foreach (var persona in Personas)
            {
                var response = await app.Api.Send(new HttpMethod(method == "*" ? "GET" : method), url, tokens[persona],
                    body: method is "POST" or "PUT" ? new { } : null);
                var allowed = Expected[key].Contains(persona);
                var refused = response.Status is 401 or 403;
                if (allowed == refused)
                    wrong.Add($"{key} as {persona}: {response.Status} (expected {(allowed ? "to pass access control" : "401/403")}) {response.Body}");
                else if (!allowed && persona == Anonymous && response.Status != 401)
                    wrong.Add($"{key} anonymously: {response.Status}, expected 401");
            }
        }
        wrong.ShouldBeEmpty();
        (await app.EventCount()).ShouldBe(eventsBefore, "no call of the matrix may append an event");
    }

    private static readonly Dictionary<string, string> RouteValues = new()
    {
        ["bodyId"] = "NO-SUCH-BODY",
        ["code"] = "NO-SUCH-BODY",
        ["documentName"] = "v1",
        ["documentName?"] = "",

        ["personId"] = "dev:nobody",
        ["seq"] = "999999",
        ["size"] = "999999",
        ["version"] = "999999",
    };

    /// <summary>A URL for a route template: unknown ids, so allowed callers get 400 or 404 and nothing is written.</summary>
    private static string Url(string route) =>
        Regex.Replace(route, @"\{([^}:]+)(:[^}]*)?\}", m =>
            RouteValues.TryGetValue(m.Groups[1].Value, out var value) ? value : Guid.NewGuid().ToString());
}
