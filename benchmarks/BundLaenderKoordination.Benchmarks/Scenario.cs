using System.Collections.Immutable;
using System.Text.Json;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using Marten;
using Microsoft.AspNetCore.Http;

namespace BundLaenderKoordination.Benchmarks;

/// <summary>Resolutions and streams to measure on, made through the service's own command path and decisions.</summary>
public static class Scenario
{
    public static readonly string[] Laender = Lands.Laender.ToArray();

    public static Caller Representative(string land) =>
        new("dev:bench-" + land.ToLowerInvariant(), "Vertretung " + land, null, ImmutableHashSet<string>.Empty,
            [new HeldMandate(BodySeed.D16.Id, land, Roles.Representative)]);

    public static bool IsOk(IResult result) => result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 };

    /// <summary>Proposes a fresh resolution in-process, as the service's propose endpoint does.</summary>
    public static async Task<Guid> ProposeAsync(IDocumentStore store, Caller caller)
    {
        var id = Guid.CreateVersion7();
        await using var session = store.IdentitySession();
        var bodies = await session.Query<Body>().ToListAsync();
        var result = ResolutionCommand.Start(session, bodies, id, BodySeed.D16.Id, caller,
            (body, acting) => ResolutionDecisions.Propose(id, body, "Beschluss zur Registermodernisierung",
                ["Die Länder modernisieren ihre Register gemeinsam.", "Der Bund unterstützt die Länder dabei."], acting, DateTimeOffset.UtcNow),
            _ => Results.Ok());
        if (!IsOk(result)) throw new InvalidOperationException("Proposing a resolution failed.");
        await session.SaveChangesAsync();
        return id;
    }

    /// <summary>
    /// A vote in-process, as Wolverine's generated code runs the vote endpoint: one batch that locks the stream and reads
    /// the write model and the bodies, the service's decide step, one commit (the read models follow through the daemon).
    /// </summary>
    public static async Task<IResult> VoteAsync(IDocumentStore store, Guid id, Caller caller, VoteChoice choice)
    {
        await using var session = store.IdentitySession();
        var batch = session.CreateBatchQuery();
        var stream = batch.Events.FetchForExclusiveWriting<Resolution>(id);
        var bodies = batch.Query<Body>().ToList();
        await batch.Execute();
        var (result, _) = ResolutionCommand.Decide(await stream, await bodies, session, null, caller,
            (state, body, acting) => ResolutionDecisions.Vote(state, body, choice, state.TextVersion, acting, DateTimeOffset.UtcNow),
            _ => Results.Ok());
        if (IsOk(result)) await session.SaveChangesAsync();
        return result;
    }

    /// <summary>Proposes a fresh resolution over HTTP and answers its id.</summary>
    public static async Task<Guid> ProposeOverHttpAsync(BenchEnvironment env, string land)
    {
        var json = JsonSerializer.Serialize(new
        {
            body = "D16",
            title = "Beschluss zur Registermodernisierung",
            paragraphs = new[] { "Die Länder modernisieren ihre Register gemeinsam.", "Der Bund unterstützt die Länder dabei." },
        });
        var (ok, body) = await env.SendAsync(env.Request(HttpMethod.Post, env.ServiceAddress, "/api/resolutions", env.Tokens[land], json), keepBody: true);
        if (!ok) throw new InvalidOperationException("Proposing a resolution failed: " + body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>
    /// The events of a long negotiation, decided by the real rules on the state so far: every tenth a new text version,
    /// the others votes of the 16 Länder in turn (so the read view stays the size of a real resolution's).
    /// </summary>
    public static IEnumerable<object> Negotiation(Resolution start, int count)
    {
        var state = start;
        var now = DateTimeOffset.UtcNow;
        for (var k = 1; count > 0; k++)
        {
            var land = Laender[k % Laender.Length];
            var caller = Representative(land).In(BodySeed.D16.Id);
            var decision = k % 10 == 0
                ? ResolutionDecisions.EditText(state, BodySeed.D16,
                    [new ParagraphEdit("p1", $"Die Länder modernisieren ihre Register gemeinsam (Fassung {k})."), new ParagraphEdit("p2", state.Paragraphs[1].Text)],
                    caller, now)
                : ResolutionDecisions.Vote(state, BodySeed.D16, (VoteChoice)((k / Laender.Length) % 3), state.TextVersion, caller, now);
            foreach (var e in decision.Events)
            {
                if (count-- <= 0) yield break;
                state = Resolution.Next(state, e)!;
                yield return e;
            }
        }
    }

    /// <summary>Appends <paramref name="events"/> events of a negotiation to a new resolution, in batches, with the
    /// service's store (so its inline projections and snapshots are written as in production).</summary>
    public static async Task<Guid> LongStreamAsync(IDocumentStore store, int events, int batch = 500)
    {
        var proposer = Representative("DE-BY");
        var id = await ProposeAsync(store, proposer);
        await using (var query = store.QuerySession())
        {
            var state = await query.Events.AggregateStreamAsync<Resolution>(id) ?? throw new InvalidOperationException("No resolution.");
            foreach (var chunk in Negotiation(state, events - 1).Chunk(batch))
            {
                await using var session = store.LightweightSession();
                session.Events.Append(id, chunk);
                await session.SaveChangesAsync();
            }
        }
        return id;
    }
}
