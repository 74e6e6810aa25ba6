using System.Text.Json;
using BundLaenderKoordination.Api.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>
/// 7. A long resolution as the page shows it: 50 paragraphs with 200 comments (four on each, from the Länder in turn,
/// every fourth one settled), <c>GET /beschluesse/{id}</c> with a page session cookie against the raw read of its stored
/// view. Target: p50 under 150 ms. For reference, what a live update of one paragraph costs the page instead: the
/// signatures of its parts and then that paragraph with the overview (<c>?handler=Parts</c>, decision 50).
/// </summary>
public sealed class LongPageWorkload(BenchEnvironment env, BenchSettings settings, Action<string> log)
{
    public const double TargetMs = 150;
    public const int Paragraphs = 50;
    public const int Comments = 200;

    public async Task<List<Row>> RunAsync()
    {
        var token = env.Tokens["DE-MV"];
        var cookie = await PageCookieAsync(token);
        var id = await ProposeAsync(token);
        for (var n = 0; n < Comments; n++)
        {
            var land = Scenario.Laender[n % Scenario.Laender.Length];
            var body = JsonSerializer.Serialize(new
            {
                text = $"Anmerkung {n + 1} von {land}: Die Frist erscheint uns zu knapp; wir bitten um eine Prüfung der Kosten.",
                paragraphId = $"p{n % Paragraphs + 1}",
            });
            var (ok, answer) = await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, $"/api/resolutions/{id}/comments", env.Tokens[land], body), keepBody: true);
            if (!ok) throw new InvalidOperationException($"Comment {n + 1} failed: {answer}");
            if (n % 4 == 3)
            {
                var comment = JsonDocument.Parse(answer).RootElement.GetProperty("commentId").GetGuid();
                (ok, answer) = await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, $"/api/resolutions/{id}/comments/{comment}/resolution", env.Tokens[land], null));
                if (!ok) throw new InvalidOperationException($"Settling comment {n + 1} failed: {answer}");
            }
        }
        log($"  one resolution of {Paragraphs} paragraphs with {Comments} comments");
        await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(env.Store, TimeSpan.FromMinutes(2));
        await env.SettleAsync(TimeSpan.FromMinutes(2));

        var page = $"/beschluesse/{id}";
        var (status, bytes) = await GetAsync(page, cookie);
        if (status != 200) throw new InvalidOperationException($"The page of {id} answered {status}.");
        await env.SendAsync(env.Request(HttpMethod.Get, env.RawAddress, $"/raw/views/{id}", null, null));

        var rows = new List<Row>();
        var comparison = await Rounds.Compare($"7. page of a resolution with {Paragraphs} paragraphs and {Comments} comments vs raw read of its view", "pages/s", settings.Rounds,
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) => (await env.SendAsync(env.Request(HttpMethod.Get, env.RawAddress, $"/raw/views/{id}", null, null))).Ok),
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) => (await GetAsync(page, cookie)).Status == 200),
            log);
        var p50 = Comparison.Percentile(comparison.OursLatencies, 50);
        rows.Add(Figures.Throughput(comparison, $"p50 < {TargetMs:0} ms", p50 < TargetMs && comparison.Failures == 0) with
        {
            Latency = $"ours {Figures.Latencies(comparison.OursLatencies)}, page {bytes:N0} bytes; raw {Figures.Latencies(comparison.BaselineLatencies)}",
        });

        // A live update after a comment on paragraph 25: the signatures of the parts, then that paragraph and the overview.
        var signatures = $"{page}?handler=Parts";
        var part = $"{page}?handler=Parts&teile=facts,adoption,toc,p25";
        var (_, signatureBytes) = await GetAsync(signatures, cookie);
        var (_, partBytes) = await GetAsync(part, cookie);
        var update = await Rounds.Compare($"7. live update of one paragraph of that page (signatures, then the paragraph with the overview) vs raw read of its view", "updates/s", settings.Rounds,
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) => (await env.SendAsync(env.Request(HttpMethod.Get, env.RawAddress, $"/raw/views/{id}", null, null))).Ok),
            _ => Rounds.ClosedLoop(1, settings.Segment, async (_, _) => (await GetAsync(signatures, cookie)).Status == 200 && (await GetAsync(part, cookie)).Status == 200),
            log);
        rows.Add(Figures.Throughput(update, "reference (instead of reading the page again)", update.Failures == 0) with
        {
            Latency = $"ours {Figures.Latencies(update.OursLatencies)}, {signatureBytes + partBytes:N0} bytes ({signatureBytes:N0} + {partBytes:N0}); raw {Figures.Latencies(update.BaselineLatencies)}",
        });
        return rows;
    }

    private async Task<Guid> ProposeAsync(string token)
    {
        var paragraphs = Enumerable.Range(1, Paragraphs)
            .Select(i => $"Absatz {i}: Die Länder und der Bund stimmen ihre Vorhaben zur Registermodernisierung ab, legen die Zuständigkeiten fest und berichten der D16 jährlich über Stand, Kosten und Risiken der gemeinsamen Verfahren.")
            .ToArray();
        var json = JsonSerializer.Serialize(new { body = "D16", title = "Langer Beschluss mit vielen Kommentaren", paragraphs });
        var (ok, body) = await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, "/api/resolutions", token, json), keepBody: true);
        if (!ok) throw new InvalidOperationException("Proposing a resolution failed: " + body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private async Task<(int Status, long Bytes)> GetAsync(string path, string cookie)
    {
        using var request = env.Request(HttpMethod.Get, env.ServiceAddress, path, null, null);
        request.Headers.Add("Cookie", cookie);
        using var response = await env.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, bytes.LongLength);
    }

    /// <summary>The pages' session cookie for a token, signed in by the pages' own cookie handler.</summary>
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
