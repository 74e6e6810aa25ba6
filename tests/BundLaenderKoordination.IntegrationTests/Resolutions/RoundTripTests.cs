using System.Collections.Immutable;
using System.Diagnostics;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

/// <summary>
/// A vote reads everything it needs in one round trip (the caller's mandates for the access check, the stream locked,
/// the write model, the bodies, the inline read models it updates) and commits in a second, however many inline
/// projections other streams have: each projection takes only its own streams' events.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RoundTripTests(AppFixture app)
{
    private const string SourceName = "BundLaenderKoordination.IntegrationTests.RoundTrips";
    private static readonly ActivitySource Source = new(SourceName);

    [Fact]
    public async Task A_vote_over_http_reads_the_callers_mandates_with_everything_else_in_one_round_trip_and_commits_in_a_second()
    {
        var api = app.Api;
        var id = (await api.Propose(await api.Representative("DE-BE"), "Register", "Die Länder modernisieren ihre Register.")).Id;
        var token = await api.Representative("DE-HB");
        Api.Expect(await api.Vote(id, token, "yes", 1), 200); // warm: code generation, connection pool

        // The request runs in a trace of its own: find it by its route, then count the database calls in it.
        var statements = new List<(ActivityTraceId Trace, string Text)>();
        var requests = new List<(ActivityTraceId Trace, string? Path)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                lock (statements)
                    if (a.Source.Name == "Npgsql") statements.Add((a.TraceId, (a.GetTagItem("db.query.text") ?? a.DisplayName)?.ToString() ?? ""));
                    else requests.Add((a.TraceId, a.GetTagItem("url.path")?.ToString()));
            },
        };
        ActivitySource.AddActivityListener(listener);
        api.Expect(await api.Vote(id, token, "no", 1), 200);

        lock (statements)
        {
            var request = requests.Single(r => r.Path == $"/api/resolutions/{id}/votes");
            var inRequest = statements.Where(s => s.Trace == request.Trace).Select(s => s.Text).ToList();
            inRequest.Count.ShouldBe(2, string.Join("\n---\n", inRequest));
            inRequest[0].ShouldContain("for update");
            inRequest[0].ShouldContain("mt_doc_personmandates");
            inRequest[1].ShouldContain("mt_quick_append_events");
        }
    }

    private ApiClient Api => app.Api;
}
