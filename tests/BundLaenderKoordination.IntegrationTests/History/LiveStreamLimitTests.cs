using System.Net;
using System.Net.Http.Headers;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Shouldly;
using Xunit.Abstractions;

namespace BundLaenderKoordination.IntegrationTests.History;

/// <summary>One person cannot open live streams without end, and open streams do not hold database connections.</summary>
[Collection(AppCollection.Name)]
public sealed class LiveStreamLimitTests(AppFixture app, ITestOutputHelper output)
{
    private ApiClient Api => app.Api;
    private LiveUpdatesOptions Options => app.Host.Services.GetRequiredService<IOptions<LiveUpdatesOptions>>().Value;

    private async Task<HttpResponseMessage> Open(string url, string token)
    {
        var client = app.Host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Reads an open stream until <paramref name="count"/> entries arrived.</summary>
    private static async Task Entries(StreamReader reader, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var seen = 0; seen < count;)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("data: ", StringComparison.Ordinal)) seen++;
        }
    }

    private async Task<int> Connections()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_person_may_hold_a_few_streams_open_and_gets_429_beyond_them()
    {
        var proposer = await Api.Representative("DE-RP");
        var id = (await Api.Propose(proposer, "Viele Fenster", "Ein Absatz.")).Id;
        var observer = await Api.Token("Beobachtung " + Guid.NewGuid().ToString("N")[..8], null, "observer");
        var max = Options.MaxStreamsPerPerson;

        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < max; i++)
        {
            var response = await Open(i % 2 == 0 ? $"/api/resolutions/{id}/live" : "/api/bodies/D16/live", observer);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            open.Add(response);
        }

        foreach (var url in new[] { $"/api/resolutions/{id}/live", "/api/bodies/D16/live" })
        {
            using var refused = await Open(url, observer);
            refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(Options.RetryAfterSeconds));
            (await refused.Content.ReadAsStringAsync()).ShouldContain(Problems.TooManyStreams);
        }
        // Someone else is not affected.
        using (var other = await Open($"/api/resolutions/{id}/live", await Api.Token("Beobachtung " + Guid.NewGuid().ToString("N")[..8], null, "observer")))
            other.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Closing one makes room for one.
        open[0].Dispose();
        HttpResponseMessage? again = null;
        for (var attempt = 0; attempt < 50 && again?.StatusCode != HttpStatusCode.OK; attempt++)
        {
            again?.Dispose();
            if (attempt > 0) await Task.Delay(100);
            again = await Open($"/api/resolutions/{id}/live", observer);
        }
        again!.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.Dispose();
        foreach (var response in open) response.Dispose();
    }

    [Fact]
    public async Task Many_open_streams_take_no_more_than_a_handful_of_database_connections()
    {
        var proposer = await Api.Representative("DE-RP");
        var id = (await Api.Propose(proposer, "Viele Zuhörer", "Ein Absatz.")).Id;
        const int streams = 100;
        var people = new List<string>();
        for (var p = 0; p < streams / Options.MaxStreamsPerPerson; p++)
            people.Add(await Api.Token($"Zuhörer {p} {Guid.NewGuid().ToString("N")[..6]}", null, "observer"));
        var before = await Connections();

        var open = new List<(HttpResponseMessage Response, StreamReader Reader, bool Body)>();
        for (var i = 0; i < streams; i++)
        {
            var body = i % 4 == 3;
            var response = await Open(body ? "/api/bodies/D16/live" : $"/api/resolutions/{id}/live", people[i % people.Count]);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            open.Add((response, new StreamReader(await response.Content.ReadAsStreamAsync()), body));
        }
        // Every resolution stream has delivered the proposal.
        await Task.WhenAll(open.Where(o => !o.Body).Select(o => Entries(o.Reader, 1)));
        var idle = await Connections();

        // Three commits wake every stream at once; each reads and delivers them.
        for (var c = 0; c < 3; c++) Api.Expect(await Api.Comment(id, proposer, $"Beitrag {c}."), 201);
        await Task.WhenAll(open.Where(o => !o.Body).Select(o => Entries(o.Reader, 3)));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await Connections();
        output.WriteLine($"Connections to the database: {before} before, {idle} with {streams} streams open, {after} after three commits read by all");

        foreach (var (response, reader, _) in open)
        {
            reader.Dispose();
            response.Dispose();
        }
        (idle - before).ShouldBeLessThanOrEqualTo(Options.MaxConcurrentReads + 2);
        (after - before).ShouldBeLessThanOrEqualTo(Options.MaxConcurrentReads + 2);
    }
}
