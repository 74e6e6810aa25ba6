using System.Text;
using System.Text.Json;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>
/// 6. The largest reads the limits allow, each over HTTP against a raw read of the same data from PostgreSQL, sent
/// by the raw endpoint (<see cref="RawEndpoint"/>): the page of the largest allowed resolution, the worst-case diff
/// (two completely different versions of the longest allowed paragraphs), and the page of a resolution with as many
/// open amendments as the members may have. Target for each: p50 under 300 ms; the pages also under 2 MB.
/// </summary>
public sealed class LimitsWorkload(BenchEnvironment env, BenchSettings settings, Action<string> log)
{
    public const double TargetMs = 300;
    public const long PageLimitBytes = 2 * 1024 * 1024;

    private static readonly string[][] Vocabularies =
    [
        ["Die", "Länder", "prüfen", "gemeinsam", "ob", "die", "Register", "bis", "2027", "modernisiert", "werden", "können"],
        ["Der", "Bund", "fördert", "künftig", "digitale", "Verfahren", "der", "Verwaltung", "mit", "eigenen", "Mitteln", "dauerhaft"],
        ["Ein", "gemeinsames", "Lagezentrum", "berichtet", "jährlich", "über", "Stand", "Kosten", "und", "Risiken", "aller", "Vorhaben"],
    ];

    public async Task<List<Row>> RunAsync()
    {
        var full = settings.FullSizeLimits;
        var token = env.Tokens["DE-MV"];
        var cookie = await PageCookieAsync(token);
        var rows = new List<Row>();

        // The largest allowed resolution: the most paragraphs, together as long as a text may be.
        var paragraphs = full ? ResolutionLimits.MaxParagraphs : 6;
        var perParagraph = full ? (TextRules.MaxTextLength - "Titel".Length) / paragraphs : 300;
        const string words = "Die Länder & der Bund prüfen bis 2027, ob 3 < 5 gilt; „Zitat“ – ";
        var largest = await ProposeAsync(token, "Titel", Enumerable.Range(1, paragraphs)
            .Select(i => string.Concat(Enumerable.Repeat(words, perParagraph / words.Length + 1))[..(perParagraph - 6)] + $" {i,4}.")
            .ToArray());
        rows.Add(await PageRowAsync(largest, cookie,
            $"6. page of the largest allowed resolution ({paragraphs} paragraphs, {paragraphs * perParagraph:N0} characters) vs raw read of its view"));

        // The worst-case diff: every pair of versions of a resolution differs in every word of its longest paragraphs.
        rows.Add(await DiffRowAsync(token, full));

        // The page with the most open amendments: every member of D16 (16 Länder and the Bund) at its cap.
        var members = full ? 17 : 3;
        var perMember = full ? AmendmentDecisions.MaxOpenAmendmentsPerLand : 2;
        var crowded = await ProposeAsync(token, "Beschluss mit offenen Änderungsanträgen", Enumerable.Range(1, 20)
            .Select(i => $"Absatz {i}: Die Länder und der Bund stimmen ihre Vorhaben zur Registermodernisierung ab und berichten der D16 jährlich über Stand, Kosten und Risiken.")
            .ToArray());
        var lands = Scenario.Laender.Append("BUND").Take(members).ToArray();
        var proposed = 0;
        foreach (var land in lands)
        {
            var landToken = land == "BUND" ? await env.TokenAsync("Vertretung Bund", "BUND", "representative") : env.Tokens[land];
            for (var n = 0; n < perMember; n++)
            {
                var body = JsonSerializer.Serialize(new
                {
                    baseTextVersion = 1,
                    rationale = $"Änderungsantrag {n + 1} von {land}.",
                    changes = new[]
                    {
                        new { kind = "replace", paragraphId = $"p{(proposed % 20) + 1}", text = $"Absatz {proposed % 20 + 1} in der Fassung von {land}, Antrag {n + 1}: Bund und Länder legen ihre Vorhaben zur Registermodernisierung bis Ende 2028 gemeinsam fest und berichten halbjährlich." },
                    },
                });
                var (ok, answer) = await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, $"/api/resolutions/{crowded}/amendments", landToken, body));
                if (!ok) throw new InvalidOperationException($"Proposing amendment {n + 1} of {land} failed: {answer}");
                proposed++;
            }
        }
        log($"  {proposed} open amendments on one resolution");
        rows.Add(await PageRowAsync(crowded, cookie,
            $"6. page of a resolution with the most open amendments ({members} members × {perMember} = {proposed}) vs raw read of its view"));
        // The page's one API read of the amendments' diffs, on its own: how much of the page's time it is.
        var diffs = await Rounds.Compare($"6. GET …/amendments/diffs of those {proposed} open amendments (the page's read of them) vs raw read of the view", "reads/s", settings.Rounds,
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) => (await env.SendAsync(env.Request(HttpMethod.Get, env.RawAddress, $"/raw/views/{crowded}", null, null))).Ok),
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) => (await env.SendAsync(env.Request(HttpMethod.Get, env.ServiceAddress, $"/api/resolutions/{crowded}/amendments/diffs", token, null))).Ok),
            log);
        rows.Add(Figures.Throughput(diffs, "reference (part of the page above)", diffs.Failures == 0));
        return rows;
    }

    private async Task<Row> PageRowAsync(Guid id, string cookie, string workload)
    {
        await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(env.Store, TimeSpan.FromMinutes(2));
        await env.SettleAsync(TimeSpan.FromMinutes(2));
        var (status, bytes) = await GetPageAsync(id, cookie);
        if (status != 200) throw new InvalidOperationException($"The page of {id} answered {status}.");
        await env.SendAsync(env.Request(HttpMethod.Get, env.RawAddress, $"/raw/views/{id}", null, null));

        var comparison = await Rounds.Compare(workload, "pages/s", settings.Rounds,
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) => (await env.SendAsync(env.Request(HttpMethod.Get, env.RawAddress, $"/raw/views/{id}", null, null))).Ok),
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) => (await GetPageAsync(id, cookie)).Status == 200),
            log);
        var p50 = Comparison.Percentile(comparison.OursLatencies, 50);
        return Figures.Throughput(comparison, $"p50 < {TargetMs:0} ms, page < 2 MB", p50 < TargetMs && bytes < PageLimitBytes && comparison.Failures == 0) with
        {
            Latency = $"ours {Figures.Latencies(comparison.OursLatencies)}, page {bytes:N0} bytes; raw {Figures.Latencies(comparison.BaselineLatencies)}",
        };
    }

    private async Task<Row> DiffRowAsync(string token, bool full)
    {
        const int versions = 3;
        var paragraphs = full ? 10 : 3;
        var perParagraph = full ? Math.Min(TextRules.MaxParagraphLength, (TextRules.MaxTextLength - "Titel".Length) / paragraphs) : 400;
        // Enough pairs that no diff is asked for twice (the service caches each pair): a request takes some tens of ms
        // at the least, so a segment asks for at most segment / 50 ms of them.
        var perRound = full ? (int)Math.Ceiling(settings.Segment.TotalMilliseconds / 50) : 2;
        var pairsPerResolution = versions * (versions - 1) / 2;
        var resolutions = perRound * settings.Rounds / pairsPerResolution + 2;

        string Text(int version, int paragraph)
        {
            var vocabulary = Vocabularies[version % Vocabularies.Length];
            var text = new StringBuilder(perParagraph + 32);
            for (var w = 0; text.Length < perParagraph - 1; w++) text.Append(vocabulary[(w + paragraph) % vocabulary.Length]).Append(' ');
            return text.ToString(0, perParagraph - 1).TrimEnd() + ".";
        }

        var pairs = new List<(Guid Id, int From, int To)>();
        for (var r = 0; r < resolutions; r++)
        {
            var id = await ProposeAsync(token, "Titel", Enumerable.Range(0, paragraphs).Select(p => Text(0, p)).ToArray());
            for (var v = 1; v < versions; v++)
            {
                var body = JsonSerializer.Serialize(new
                {
                    expectedVersion = v,
                    paragraphs = Enumerable.Range(0, paragraphs).Select(p => new { id = $"p{p + 1}", text = Text(v, p) }),
                });
                var (ok, answer) = await env.SendAsync(env.Request(HttpMethod.Put, env.ServiceAddress, $"/api/resolutions/{id}/text", token, body));
                if (!ok) throw new InvalidOperationException("Editing the text for the diff failed: " + answer);
            }
            for (var from = 1; from <= versions; from++)
                for (var to = from + 1; to <= versions; to++)
                    pairs.Add((id, from, to));
        }
        log($"  {pairs.Count} pairs of completely different versions ({paragraphs} paragraphs of {perParagraph:N0} characters) on {resolutions} resolutions");
        await env.SettleAsync(TimeSpan.FromMinutes(2));

        // Warm-up on a pair of its own (code generation, JIT), left out of the rounds.
        var warm = pairs[^1];
        pairs.RemoveAt(pairs.Count - 1);
        await env.SendAsync(env.Request(HttpMethod.Get, env.ServiceAddress, $"/api/resolutions/{warm.Id}/diff?from={warm.From}&to={warm.To}", token, null));
        await env.SendAsync(env.Request(HttpMethod.Get, env.RawAddress, $"/raw/events/{warm.Id}/{warm.From}/{warm.To}", null, null));

        var next = -1;
        var raw = -1;
        var comparison = await Rounds.Compare(
            $"6. worst-case diff: two completely different versions of {paragraphs} paragraphs of {perParagraph:N0} characters vs raw read of both versions",
            "diffs/s", settings.Rounds,
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) =>
            {
                var (id, from, to) = pairs[Interlocked.Increment(ref raw) % pairs.Count];
                return (await env.SendAsync(env.Request(HttpMethod.Get, env.RawAddress, $"/raw/events/{id}/{from}/{to}", null, null))).Ok;
            }, maxPerClient: perRound),
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) =>
            {
                var n = Interlocked.Increment(ref next);
                if (n >= pairs.Count) throw new InvalidOperationException("Every pair of versions was asked for once already; a repeat would come from the cache.");
                var (id, from, to) = pairs[n];
                return (await env.SendAsync(env.Request(HttpMethod.Get, env.ServiceAddress, $"/api/resolutions/{id}/diff?from={from}&to={to}", token, null))).Ok;
            }, maxPerClient: perRound),
            log);
        var p50 = Comparison.Percentile(comparison.OursLatencies, 50);
        return Figures.Throughput(comparison, $"p50 < {TargetMs:0} ms, every pair computed (none from the cache)", p50 < TargetMs && comparison.Failures == 0) with
        {
            Latency = $"ours {Figures.Latencies(comparison.OursLatencies)}, max {Figures.Ms(comparison.OursLatencies.DefaultIfEmpty().Max())}; raw {Figures.Latencies(comparison.BaselineLatencies)}",
        };
    }

    private async Task<Guid> ProposeAsync(string token, string title, string[] paragraphs)
    {
        var json = JsonSerializer.Serialize(new { body = "D16", title, paragraphs });
        var (ok, body) = await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, "/api/resolutions", token, json), keepBody: true);
        if (!ok) throw new InvalidOperationException("Proposing a resolution failed: " + body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private async Task<(int Status, long Bytes)> GetPageAsync(Guid id, string cookie)
    {
        using var request = env.Request(HttpMethod.Get, env.ServiceAddress, $"/beschluesse/{id}", null, null);
        request.Headers.Add("Cookie", cookie);
        using var response = await env.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, bytes.LongLength);
    }

    /// <summary>The pages' session cookie for a token, signed in by the pages' own cookie handler (the session is kept on
    /// the server as after a real sign-in).</summary>
    private async Task<string> PageCookieAsync(string token)
    {
        await using var scope = env.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Scheme = env.ServiceAddress.Scheme;
        http.Request.Host = new HostString(env.ServiceAddress.Authority);
        await WebUi.SignInWithToken(http, token);
        return http.Response.Headers.SetCookie.Select(header => header!.Split(';')[0]).Single(pair => pair.StartsWith("blk-session=", StringComparison.Ordinal));
    }
}
