using System.Text.RegularExpressions;
using BundLaenderKoordination.Api.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Identity;

/// <summary>
/// The table of who may call what, checked against what docs/api.md and docs/ui.md promise, without a host: the expected
/// answers are written out here from the descriptions of <see cref="Access"/> (docs/security.md), never taken from
/// <see cref="AccessRules"/> itself.
/// </summary>
public sealed partial class AccessRulesTests
{
    private static Caller Person(IReadOnlyList<HeldMandate>? mandates, params string[] roles) =>
        new("dev:person", "Person", null, new HashSet<string>(roles), mandates);

    private static HeldMandate Mandate(string role) => new("D16", "DE-BY", role);

    /// <summary>The personas of the table below, each with the access levels it holds; every other level is refused.</summary>
    public static TheoryData<string, string> Expectations() => new()
    {
        { "nobody", "Public Pages SignedIn" },
        { "empty mandate list", "Public Pages SignedIn" },
        { "observer", "Public Pages SignedIn Read ReadBodies" },
        { "auditor", "Public Pages SignedIn Read ReadBodies ReadMandates AuditExport VoteReceipt Checkpoint" },
        { "admin", "Public Pages SignedIn ReadBodies ReadMandates Administer ManageMandates VoteReceipt Checkpoint" },
        { "representative", "Public Pages SignedIn Read Negotiate Vote ReadBodies VoteReceipt" },
        { "chair", "Public Pages SignedIn Read Negotiate Chair ReadBodies Checkpoint" },
        { "coordinator", "Public Pages SignedIn Read ReadBodies ReadMandates ManageMandates" },
        { "coordinator and representative", "Public Pages SignedIn Read Negotiate Vote ReadBodies ReadMandates ManageMandates VoteReceipt" },
        { "coordinator and chair", "Public Pages SignedIn Read Negotiate Chair ReadBodies ReadMandates ManageMandates Checkpoint" },
    };

    private static Caller PersonaNamed(string persona) => persona switch
    {
        "nobody" => Person(null),
        "empty mandate list" => Person([]),
        "observer" => Person(null, Roles.Observer),
        "auditor" => Person(null, Roles.Auditor),
        "admin" => Person(null, Roles.Admin),
        "representative" => Person([Mandate(Roles.Representative)]),
        "chair" => Person([Mandate(Roles.Chair)]),
        "coordinator" => Person([Mandate(Roles.Coordinator)]),
        "coordinator and representative" => Person([Mandate(Roles.Coordinator), Mandate(Roles.Representative)]),
        "coordinator and chair" => Person([Mandate(Roles.Coordinator), Mandate(Roles.Chair)]),
        _ => throw new ArgumentOutOfRangeException(nameof(persona)),
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public void Each_persona_holds_exactly_the_access_levels_the_rules_give_it(string persona, string allowed)
    {
        var caller = PersonaNamed(persona);
        var expected = allowed.Split(' ').Select(Enum.Parse<Access>).ToHashSet();
        foreach (var access in Enum.GetValues<Access>())
            AccessRules.Allows(access, caller).ShouldBe(expected.Contains(access), $"{persona}, {access}");
    }

    [Fact]
    public void An_access_level_the_rules_do_not_know_is_refused_to_everyone() =>
        AccessRules.Allows((Access)999, Person([Mandate(Roles.Chair)], Roles.Admin, Roles.Auditor)).ShouldBeFalse();

    private static RouteEndpoint Endpoint(string pattern, params string[] methods) =>
        new(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0,
            methods.Length == 0 ? EndpointMetadataCollection.Empty : new EndpointMetadataCollection(new HttpMethodMetadata(methods)), pattern);

    [Fact]
    public void An_endpoint_is_named_by_each_of_its_methods_and_its_route_with_one_leading_slash()
    {
        AccessRules.KeysOf(Endpoint("api/resolutions/{id}/votes", "POST")).ShouldBe(["POST /api/resolutions/{id}/votes"]);
        AccessRules.KeysOf(Endpoint("/api/resolutions/{id}", "GET", "HEAD")).ShouldBe(["GET /api/resolutions/{id}", "HEAD /api/resolutions/{id}"]);
        AccessRules.KeysOf(Endpoint("/health/live")).ShouldBe(["* /health/live"], "no method metadata: any method");
        AccessRules.KeysOf(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/health/ready"), 0,
            new EndpointMetadataCollection(new HttpMethodMetadata([])), "none")).ShouldBe(["* /health/ready"], "an empty method list: any method");
        var built = RoutePatternFactory.Pattern(RoutePatternFactory.Segment(RoutePatternFactory.LiteralPart("health")));
        built.RawText.ShouldBeNull();
        AccessRules.KeysOf(new RouteEndpoint(_ => Task.CompletedTask, built, 0, EndpointMetadataCollection.Empty, "built"))
            .ShouldBe(["* /"], "a pattern built in code has no raw text: it names the root, never a route of the table");
    }

    [Fact]
    public void The_access_of_an_endpoint_is_found_by_its_method_or_by_a_rule_for_any_method()
    {
        var vote = Endpoint("/api/resolutions/{id}/votes", "POST");
        AccessRules.For(vote, "POST").ShouldBe(Access.Vote);
        AccessRules.For(vote, "GET").ShouldBeNull("the rule names POST only");
        AccessRules.For(vote, "PO").ShouldBeNull("a method is compared whole");
        AccessRules.For(Endpoint("/health/live"), "GET").ShouldBe(Access.Public);
        AccessRules.For(Endpoint("/api/unknown", "GET"), "GET").ShouldBeNull("an endpoint the table does not name");
        AccessRules.For(Endpoint("/api/audit/bundle", "GET"), "GET").ShouldBe(Access.AuditExport);
    }

    [Fact]
    public void The_weighty_acts_need_step_up_each_under_its_own_name_and_nothing_else_does()
    {
        (string Pattern, string Method, string? Act)[] cases =
        [
            ("/api/resolutions/{id}/votes", "POST", "Casting a vote"),
            ("/api/resolutions/{id}/written-procedure/consent", "POST", "Consenting in a written procedure"),
            ("/api/resolutions/{id}/written-procedure/objection", "POST", "Objecting in a written procedure"),
            ("/api/resolutions/{id}/ballots/current/closing", "POST", "Closing a ballot"),
            ("/api/resolutions/{id}/adoption", "POST", "Declaring a resolution adopted"),
            ("/api/audit/bundle", "GET", "Exporting audit data"),
            ("/api/resolutions/{id}/ballots", "POST", null),
            ("/api/resolutions/{id}/votes/{version}/receipt", "GET", null),
            ("/api/audit/who-agreed", "GET", null),
        ];
        foreach (var (pattern, method, act) in cases)
            AccessRules.StepUpActOf(Endpoint(pattern, method), method).ShouldBe(act, $"{method} {pattern}");
        AccessRules.StepUpActOf(Endpoint("/api/resolutions/{id}/votes", "POST"), "GET").ShouldBeNull("another method of the same route");
        AccessRules.StepUpActOf(Endpoint("/api/resolutions/{id}/votes", "POST"), "PO").ShouldBeNull("a method is compared whole");
    }

    [GeneratedRegex(@"\{(\w+)(:\w+)?\??\}")]
    private static partial Regex Parameter();

    /// <summary>
    /// Every rule of the table names a route the documentation lists (docs/api.md for the API, docs/ui.md for the pages),
    /// with its method, or any method for a rule that answers any (route parameters compared by name, without their
    /// constraints). A rule for a route nobody documented, or a misspelt one, fails here.
    /// </summary>
    [Fact]
    public void Every_route_of_the_access_table_is_a_documented_route()
    {
        var docs = string.Concat(new[] { "api.md", "ui.md" }.Select(name => File.ReadAllText(Path.Combine(DocsDirectory(), name))));
        AccessRules.Endpoints.Count.ShouldBeGreaterThan(80);
        foreach (var key in AccessRules.Endpoints.Keys.Concat(AccessRules.StepUp.Keys))
        {
            var space = key.IndexOf(' ');
            space.ShouldBeGreaterThan(0, $"'{key}' is not 'METHOD /route'");
            var method = key[..space];
            var route = Parameter().Replace(key[(space + 1)..], "{$1}");
            route.ShouldStartWith("/", customMessage: key);
            var methods = method == "*" ? "(GET|POST|PUT|DELETE)" : Regex.Escape(method);
            Regex.IsMatch(docs, $"`{methods} {Regex.Escape(route)}[`?]").ShouldBeTrue($"'{key}' is not documented in docs/api.md or docs/ui.md");
        }
    }

    private static string DocsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docs", "api.md"))) return Path.Combine(dir.FullName, "docs");
        throw new InvalidOperationException("docs/api.md not found above " + AppContext.BaseDirectory);
    }
}
