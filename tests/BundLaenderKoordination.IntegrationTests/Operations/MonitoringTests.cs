using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BundLaenderKoordination.IntegrationTests.Auditing;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Tests.Shared;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Shouldly;
using Xunit.Abstractions;

namespace BundLaenderKoordination.IntegrationTests.Operations;

/// <summary>
/// The Grafana dashboard and the Prometheus alert rules in ops/monitoring name only metrics the service exports: a host
/// with an in-memory exporter beside its own (same meters, same pipeline) runs a command, a refusal and the sealer, and
/// every metric name and label the dashboard's and rules' queries use must be among the exported ones, under the names
/// Prometheus gives OpenTelemetry metrics (dots to underscores, the unit as suffix, _total for counters).
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class MonitoringTests(AppFixture app, ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(OpsScripts.RepositoryRoot, "ops", "monitoring");

    /// <summary>Prometheus' name for an OpenTelemetry metric (OTLP receiver, with suffixes; the Collector's exporter likewise).</summary>
    public static IEnumerable<string> PrometheusNames(string name, string? unit, MetricType type)
    {
        var baseName = InvalidCharacters().Replace(name, "_");
        var isGauge = type is MetricType.LongGauge or MetricType.DoubleGauge or MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic;
        var suffix = unit switch
        {
            null or "" => null,
            _ when unit.StartsWith('{') => null,
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            "1" => isGauge ? "ratio" : null,
            _ => InvalidCharacters().Replace(unit, "_"),
        };
        if (suffix is not null && !baseName.EndsWith("_" + suffix)) baseName += "_" + suffix;
        return type switch
        {
            MetricType.Histogram or MetricType.ExponentialHistogram => [baseName + "_bucket", baseName + "_sum", baseName + "_count"],
            MetricType.LongSum or MetricType.DoubleSum => [baseName.EndsWith("_total") ? baseName : baseName + "_total"],
            _ => [baseName],
        };
    }

    [GeneratedRegex("[^a-zA-Z0-9_:]")]
    private static partial Regex InvalidCharacters();

    /// <summary>The metric names and the label names of each selector in a PromQL expression.</summary>
    public static IEnumerable<(string Metric, IReadOnlyList<string> Labels)> Selectors(string expression)
    {
        // Strings first (a regular expression in a matcher may hold anything), then label lists of aggregations and
        // vector matching, then the selectors themselves.
        var text = Regex.Replace(expression, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        text = Regex.Replace(text, @"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ");
        text = Regex.Replace(text, @"\[[^\]]*\]", " ");
        foreach (Match match in Regex.Matches(text, @"(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])\s*(\{[^}]*\})?(?!\s*\()"))
        {
            var name = match.Groups[1].Value;
            if (Keywords.Contains(name)) continue;
            var labels = match.Groups[2].Success
                ? Regex.Matches(match.Groups[2].Value, @"([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)").Select(m => m.Groups[1].Value).ToList()
                : [];
            yield return (name, labels);
        }
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without", "on", "ignoring", "group_left", "group_right"];

    private static IEnumerable<string> DashboardQueries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "grafana-dashboard.json")))!;
        return dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>());
    }

    private static IEnumerable<(string Alert, string Expression)> AlertQueries() =>
        Yaml.Documents(Path.Combine(Folder, "alerts.yaml")).Single().Items("groups")
            .SelectMany(g => g.Items("rules")).Select(r => (r.Text("alert")!, r.Text("expr")!));

    [Fact]
    public void The_query_reader_finds_metric_names_and_labels_and_skips_functions_keywords_and_strings()
    {
        Selectors("histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{http_route=~\"/api/.*{x}\", a!=\"b\"}[5m]))) > 1 and on() absent(blk_node_up)")
            .Select(s => $"{s.Metric}[{string.Join(",", s.Labels)}]")
            .ShouldBe(["http_server_request_duration_seconds_bucket[http_route,a]", "blk_node_up[]"]);
        PrometheusNames("http.server.request.duration", "s", MetricType.Histogram).ShouldContain("http_server_request_duration_seconds_bucket");
        PrometheusNames("blk.access.refused", null, MetricType.LongSum).ShouldBe(["blk_access_refused_total"]);
        PrometheusNames("blk.events.high_water_mark", "{event}", MetricType.LongGauge).ShouldBe(["blk_events_high_water_mark"]);
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_and_a_query()
    {
        var rules = Yaml.Documents(Path.Combine(Folder, "alerts.yaml")).Single().Items("groups").SelectMany(g => g.Items("rules")).ToList();
        rules.Count.ShouldBeGreaterThanOrEqualTo(8);
        foreach (var rule in rules)
        {
            rule.Text("alert").ShouldNotBeNullOrWhiteSpace();
            rule.Text("expr").ShouldNotBeNullOrWhiteSpace();
            rule.Text("labels.severity").ShouldBeOneOf("critical", "warning", "info");
            rule.Text("annotations.summary").ShouldNotBeNullOrWhiteSpace();
        }
        rules.Select(r => r.Text("alert")).ShouldBeUnique();
    }

    [Fact]
    public async Task Every_metric_and_label_the_dashboard_and_the_alerts_name_is_one_the_service_exports()
    {
        var exported = new LockedCollection<MetricSnapshot>();
        var schema = "blk_metrics_" + Guid.NewGuid().ToString("N")[..8];
        // A mail server that refuses, so that the failed deliveries the rules alert on are counted too.
        await using var refusing = new RefusingMailServer();
        await using (var host = await app.StartHost("Development",
                         services => services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported)),
                         new Dictionary<string, string>
                         {
                             ["Marten:Schema"] = schema, ["Telemetry:ProbeSeconds"] = "0.2",
                             ["Notifications:SmtpHost"] = "127.0.0.1", ["Notifications:SmtpPort"] = refusing.Port.ToString(), ["Notifications:SmtpSecurity"] = "None",
                         }))
        {
            var mailed = await new ApiClient(host).Representative("DE-SL");
            (await new ApiClient(host).Send(HttpMethod.Put, "/api/notifications/settings", mailed, new { email = "saarland@laender.example" })).Status.ShouldBe(200);
            // A command, a refusal, the sealer and the projections at work.
            var api = new ApiClient(host);
            var audit = new AuditScenario(host, app.ConnectionString);
            await audit.FullNegotiation();
            await audit.SealEverything();
            (await api.Send(HttpMethod.Get, "/api/audit/bundle", null)).Status.ShouldBe(401);
            for (var attempt = 0; refusing.Attempts.Count == 0; attempt++)
            {
                if (attempt > 240) throw new Xunit.Sdk.XunitException("No notice was tried at the mail server within two minutes.");
                await Task.Delay(500);
            }
            await host.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(1));
            host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000).ShouldBeTrue();
        }

        var labels = new Dictionary<string, HashSet<string>>();
        foreach (var metric in exported.Snapshot())
            foreach (var name in PrometheusNames(metric.Name, metric.Unit, metric.MetricType))
            {
                var keys = labels.TryGetValue(name, out var k) ? k : labels[name] = [];
                foreach (var point in metric.MetricPoints)
                    foreach (var tag in point.Tags)
                        keys.Add(InvalidCharacters().Replace(tag.Key, "_"));
                if (name.EndsWith("_bucket")) keys.Add("le");
            }
        output.WriteLine(string.Join("\n", labels.Keys.Order()));

        var queries = DashboardQueries().Select(q => ("dashboard", q)).Concat(AlertQueries()).ToList();
        queries.Count.ShouldBeGreaterThan(10);
        var named = new HashSet<string>();
        foreach (var (where, query) in queries)
            foreach (var (metric, used) in Selectors(query))
            {
                named.Add(metric);
                labels.ShouldContainKey(metric, $"{where}: {query}");
                foreach (var label in used) labels[metric].ShouldContain(label, $"{where}: label {label} of {metric}");
            }

        // What the dashboard and the rules are about.
        named.ShouldContain("http_server_request_duration_seconds_bucket");
        named.ShouldContain("blk_access_refused_total");
        foreach (var gauge in new[] { "blk_node_up", "blk_database_up", "blk_events_high_water_mark", "blk_audit_sealed", "blk_audit_sealing", "blk_audit_halted", "blk_projection_progress" })
            named.ShouldContain(gauge);
        named.ShouldContain("blk_notifications_delivery_failures_total");
    }
}

/// <summary>A collection the exporter may add to from its own thread while a test reads a copy of it.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];
    private readonly Lock _lock = new();

    public T[] Snapshot() { lock (_lock) return [.. _items]; }
    public void Add(T item) { lock (_lock) _items.Add(item); }
    public void Clear() { lock (_lock) _items.Clear(); }
    public bool Contains(T item) { lock (_lock) return _items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (_lock) _items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (_lock) return _items.Remove(item); }
    public int Count { get { lock (_lock) return _items.Count; } }
    public bool IsReadOnly => false;
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
