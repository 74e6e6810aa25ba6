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
/// A vote reads all it needs in one round trip and commits in a second (decision 18), however many inline projections
/// other streams have: each projection takes only its own streams' events, so it loads no document for a resolution.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RoundTripTests(AppFixture app)
{
    private const string SourceName = "BundLaenderKoordination.IntegrationTests.RoundTrips";
    private static readonly ActivitySource Source = new(SourceName);

    [Fact]
    public async Task A_vote_makes_two_database_round_trips_load_and_commit()
    {
        var caller = new Caller("dev:roundtrips-de-be", "Vertretung DE-BE", null, ImmutableHashSet<string>.Empty,
            [new HeldMandate(BodySeed.D16.Id, "DE-BE", Roles.Representative)]);
        var id = Guid.CreateVersion7();
        var started = await ResolutionCommands.Start(app.Store, id, BodySeed.D16.Id, caller,
            (body, acting) => ResolutionDecisions.Propose(id, body, "Register", ["Die Länder modernisieren ihre Register."], acting, DateTimeOffset.UtcNow),
            _ => Results.Ok(), CancellationToken.None);
        started.ShouldBeAssignableTo<IStatusCodeHttpResult>()!.StatusCode.ShouldBe(200);

        var statements = new List<string>();
        ActivityTraceId trace = default;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Marten" or SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                // The sealer and other background work run in traces of their own.
                if (a.Source.Name == "Npgsql" && a.TraceId == trace)
                    lock (statements) statements.Add((a.GetTagItem("db.query.text") ?? a.DisplayName)?.ToString() ?? "");
            },
        };
        ActivitySource.AddActivityListener(listener);

        IResult result;
        // Marten parents its connection span to the parent of the current activity, hence two levels.
        using (var test = Source.StartActivity("test"))
        using (Source.StartActivity("vote"))
        {
            trace = test!.TraceId;
            result = await ResolutionCommands.Execute(app.Store, id, null, caller,
                (state, body, acting) => ResolutionDecisions.Vote(state, body, VoteChoice.Yes, state.TextVersion, acting, DateTimeOffset.UtcNow),
                _ => Results.Ok(), CancellationToken.None);
        }

        result.ShouldBeAssignableTo<IStatusCodeHttpResult>()!.StatusCode.ShouldBe(200);
        lock (statements) statements.Count.ShouldBe(2, string.Join("\n", statements));
    }
}
