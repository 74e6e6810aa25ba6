using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Alba;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Hardening;

[Collection(AppCollection.Name)]
public sealed class HardeningTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    /// <summary>Measurements of <c>blk.access.refused</c> taken while the listener lives, as (status, route).</summary>
    private sealed class RefusalCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        public ConcurrentBag<(int Status, string Route)> Seen { get; } = [];

        public RefusalCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AccessControl.MeterName && instrument.Name == "blk.access.refused")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                int status = 0;
                string route = "";
                foreach (var tag in tags)
                {
                    if (tag.Key == "http.response.status_code") status = Convert.ToInt32(tag.Value);
                    if (tag.Key == "http.route") route = tag.Value as string ?? "";
                }
                for (var i = 0; i < value; i++) Seen.Add((status, route));
            });
            _listener.Start();
        }

        public int Count(int status, string route) => Seen.Count(s => s.Status == status && s.Route == route);

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413_counted_and_records_nothing()
    {
        using var refusals = new RefusalCounter();
        var proposal = await Api.Propose(await Api.Representative("DE-BB"), "Beschluss zur Barrierefreiheit", "Die Länder vereinbaren ...");
        var before = (await app.EventCount(), await app.StreamVersion(proposal.Id));
        var huge = new string('x', 2 * 1024 * 1024 + 1);

        var response = await Api.Comment(proposal.Id, await Api.Representative("DE-BB"), huge);

        response.Status.ShouldBe(413);
        response.ProblemType.ShouldBe("/problems/payload-too-large");
        response.Json["maxBytes"]!.GetValue<long>().ShouldBe(2 * 1024 * 1024);
        (await app.EventCount(), await app.StreamVersion(proposal.Id)).ShouldBe(before);
        refusals.Count(413, "/api/resolutions/{id}/comments").ShouldBe(1);
    }

    [Fact]
    public async Task Refusals_for_missing_or_stale_identity_are_counted_by_status_and_route()
    {
        using var refusals = new RefusalCounter();
        var id = (await Api.Propose(await Api.Representative("DE-BB"), "Beschluss zur Barrierefreiheit", "Die Länder vereinbaren ...")).Id;
        var stale = (await Api.Send(HttpMethod.Post, "/api/dev/tokens", null,
            new { name = "Vertretung DE-TH", land = "DE-TH", roles = new[] { "representative" }, authTime = DateTimeOffset.UtcNow.AddDays(-1) })).Json["token"]!.GetValue<string>();

        (await Api.Send(HttpMethod.Get, "/api/resolutions", null)).Status.ShouldBe(401);
        (await Api.Vote(id, stale, "yes", 1)).Status.ShouldBe(401);
        (await Api.Vote(id, await Api.Token("Beobachtung", null, "observer"), "yes", 1)).Status.ShouldBe(403);

        refusals.Count(401, "/api/resolutions").ShouldBe(1);
        refusals.Count(401, "/api/resolutions/{id}/votes").ShouldBe(1);
        refusals.Count(403, "/api/resolutions/{id}/votes").ShouldBe(1);
    }

    [Fact]
    public async Task A_body_without_a_declared_length_is_cut_off_at_the_limit_with_413()
    {
        var proposal = await Api.Propose(await Api.Representative("DE-BB"), "Beschluss zur Barrierefreiheit", "Die Länder vereinbaren ...");
        var token = await Api.Representative("DE-BB");
        var before = await app.EventCount();
        var json = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', 3 * 1024 * 1024) + "\"}");

        var result = await Api.Host.Scenario(s =>
        {
            s.Post.Url($"/api/resolutions/{proposal.Id}/comments");
            s.WithRequestHeader("Authorization", "Bearer " + token);
            s.ConfigureHttpContext(c =>
            {
                c.Request.ContentType = "application/json";
                c.Request.ContentLength = null;
                c.Request.Body = new MemoryStream(json);
            });
            s.StatusCodeShouldBe(413);
        });
        (await result.ReadAsJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Type.ShouldBe("/problems/payload-too-large");
        (await app.EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task Commands_beyond_the_configured_limit_per_person_get_429_with_Retry_After_and_record_nothing()
    {
        using var refusals = new RefusalCounter();
        await using var host = await app.StartHost("Development", services => services.Configure<HardeningOptions>(o =>
        {
            o.CommandsPerWindow = 3;
            o.CommandWindowSeconds = 3600;
        }));
        var api = new ApiClient(host);
        var bremen = await api.Representative("DE-HB");
        var id = (await api.Propose(bremen, "Beschluss zur Open-Source-Strategie", "Die Länder veröffentlichen ...")).Id;
        api.Expect(await api.Comment(id, bremen, "Erste Anmerkung."), 201);
        api.Expect(await api.Comment(id, bremen, "Zweite Anmerkung."), 201);
        var version = (await api.Get(id, bremen)).Version;

        var refused = await api.Comment(id, bremen, "Dritte Anmerkung.");

        refused.Status.ShouldBe(429);
        refused.ProblemType.ShouldBe("/problems/too-many-requests");
        var retryAfter = long.Parse(refused.Headers["Retry-After"]!);
        retryAfter.ShouldBeInRange(1, 3600);
        refused.Json["retryAfterSeconds"]!.GetValue<long>().ShouldBe(retryAfter);
        (await api.Get(id, bremen)).Version.ShouldBe(version, "reads are not limited, and the refused comment was not recorded");
        refusals.Count(429, "/api/resolutions/{id}/comments").ShouldBe(1);

        // The limit is per person: another representative still writes.
        api.Expect(await api.Comment(id, await api.Representative("DE-HH"), "Hamburg schließt sich an."), 201);
    }

    [Fact]
    public async Task A_node_of_a_cluster_allows_a_person_its_share_of_the_budget_so_the_cluster_never_allows_more()
    {
        // 7 writes per window for the cluster, three nodes: this node allows 2 (7 / 3 rounded down), the three 6.
        await using var host = await app.StartHost("Development", services => services.Configure<HardeningOptions>(o =>
        {
            o.CommandsPerWindow = 7;
            o.CommandWindowSeconds = 3600;
            o.Instances = 3;
        }));
        var api = new ApiClient(host);
        var bremen = await api.Representative("DE-HB");
        var id = (await api.Propose(bremen, "Beschluss zur Cloud-Strategie", "Die Länder nutzen ...")).Id;
        api.Expect(await api.Comment(id, bremen, "Erste Anmerkung."), 201);

        var refused = await api.Comment(id, bremen, "Zweite Anmerkung.");

        refused.Status.ShouldBe(429);
        refused.ProblemType.ShouldBe("/problems/too-many-requests");
        new HardeningOptions { CommandsPerWindow = 2, Instances = 3 }.CommandsPerWindowHere.ShouldBe(1, "every node allows at least one");
        new HardeningOptions { CommandsPerWindow = 0, Instances = 3 }.CommandsPerWindowHere.ShouldBe(0, "no limit stays no limit");
    }

    [Fact]
    public async Task Answers_carry_the_security_headers_and_pages_get_a_policy_without_inline_script()
    {
        foreach (var url in new[] { "/api/resolutions", "/anmelden", "/health/live" })
        {
            var response = await Api.Send(HttpMethod.Get, url, await Api.Token("Beobachtung", null, "observer"));
            response.Headers["X-Content-Type-Options"].ShouldBe("nosniff");
            response.Headers["X-Frame-Options"].ShouldBe("DENY");
            response.Headers["Referrer-Policy"].ShouldBe("no-referrer");
            var policy = response.Headers["Content-Security-Policy"]!;
            policy.ShouldContain("frame-ancestors 'none'");
            policy.ShouldContain("script-src 'self';");
            policy.ShouldNotContain("unsafe-inline");
            response.Headers["Strict-Transport-Security"].ShouldBeNull("HSTS is not sent in Development");
        }
    }

    [Fact]
    public async Task Outside_Development_browsers_are_told_to_keep_to_HTTPS()
    {
        {
            await using var host = await app.StartHost("Production", settings: new Dictionary<string, string>
            {
                ["Identity:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            });
            var response = await new ApiClient(host).Send(HttpMethod.Get, "/health/live", null);
            response.Headers["Strict-Transport-Security"].ShouldBe("max-age=31536000");
        }
    }

    private static async Task<IScenarioResult> Preflight(IAlbaHost host, string origin) =>
        await host.Scenario(s =>
        {
            s.ConfigureHttpContext(c =>
            {
                c.Request.Method = "OPTIONS";
                c.Request.Path = "/api/resolutions";
                c.Request.Headers.Origin = origin;
                c.Request.Headers.AccessControlRequestMethod = "POST";
                c.Request.Headers.AccessControlRequestHeaders = "authorization,content-type";
            });
            s.IgnoreStatusCode();
        });

    [Fact]
    public async Task Cross_origin_calls_are_closed_by_default_and_open_only_to_configured_origins()
    {
        var foreign = await Preflight(Api.Host, "https://elsewhere.example");
        foreign.Context.Response.Headers.ContainsKey("Access-Control-Allow-Origin").ShouldBeFalse();

        await using var host = await app.StartHost("Development",
            services => services.Configure<HardeningOptions>(o => o.AllowedOrigins = ["https://portal.example.de"]));
        var allowed = await Preflight(host, "https://portal.example.de");
        allowed.Context.Response.Headers.AccessControlAllowOrigin.ToString().ShouldBe("https://portal.example.de");
        allowed.Context.Response.Headers.AccessControlAllowHeaders.ToString().ShouldContain("authorization", Case.Insensitive);
        var other = await Preflight(host, "https://elsewhere.example");
        other.Context.Response.Headers.ContainsKey("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    /// <summary>Keeps every log entry, scopes and exceptions included, at every level.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable BeginScope<TState>(TState state) where TState : notnull
            {
                logs.Entries.Enqueue($"{category} scope: {Describe(state)}");
                return NoScope.Instance;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {Describe(state)} {exception}");

            private static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : state?.ToString() ?? "";
        }

        private sealed class NoScope : IDisposable
        {
            public static readonly NoScope Instance = new();
            public void Dispose() { }
        }
    }

    [Fact]
    public async Task No_token_and_no_name_of_the_person_reach_the_logs_or_traces_even_at_the_finest_level()
    {
        var logs = new CapturedLogs();
        var spans = new ConcurrentQueue<string>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => spans.Enqueue(string.Join(" ",
                [activity.Source.Name, activity.DisplayName, activity.StatusDescription ?? "",
                 .. activity.TagObjects.Select(t => $"{t.Key}={t.Value}"),
                 .. activity.Baggage.Select(b => $"{b.Key}={b.Value}"),
                 .. activity.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))])),
        };
        ActivitySource.AddActivityListener(tracing);
        await using var host = await app.StartHost("Development", services => services.AddLogging(b => b
            .AddProvider(logs)
            .AddFilter<CapturedLogs>(null, LogLevel.Trace)));
        var api = new ApiClient(host);
        const string name = "Henrike Quastenberg";
        var token = await api.Token(name, "DE-ST", "representative");
        logs.Entries.Clear();

        var id = (await api.Propose(token, "Beschluss zur Verwaltungsdigitalisierung", "Die Länder vereinbaren ...")).Id;
        api.Expect(await api.Comment(id, token, "Sachsen-Anhalt stimmt zu."), 201);
        (await api.Vote(id, token, "yes", 99)).Status.ShouldBeGreaterThanOrEqualTo(400);
        (await api.Send(HttpMethod.Post, "/api/bodies", token, new { code = "X" })).Status.ShouldBe(403);
        (await api.Send(HttpMethod.Get, "/api/resolutions", token + "x")).Status.ShouldBe(401);

        logs.Entries.ShouldContain(e => e.Contains("Microsoft.AspNetCore.Hosting.Diagnostics: Request starting"), "every request was logged, at the finest level");
        logs.Entries.ShouldContain(e => e.Contains("BundLaenderKoordination.Access: Refused POST /api/bodies with 403"));
        spans.ShouldContain(span => span.Contains("http.route=/api/resolutions/{id}/comments"), "the requests were traced");
        var signature = token[(token.LastIndexOf('.') + 1)..];
        var leaks = logs.Entries.Concat(spans).Where(e => e.Contains(signature) || e.Contains(name) || e.Contains("Quastenberg")).ToList();
        leaks.ShouldBeEmpty();
    }
}
