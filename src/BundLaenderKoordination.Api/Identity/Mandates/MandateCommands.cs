using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using Marten;

namespace BundLaenderKoordination.Api.Identity.Mandates;

/// <summary>The one path by which a command changes a person's mandate in a body: load, decide, append, commit.</summary>
public static class MandateCommands
{
    public static async Task<IResult> Execute(IDocumentStore store, string bodyId, string personId, Caller caller,
        Func<MandateStream?, Body, Decision> decide, Func<MandateStream, IResult> respond, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = caller.PersonId;
        var body = await session.Query<Body>().FirstOrDefaultAsync(b => b.Id == bodyId, ct);
        if (body is null) return Problems.Missing($"There is no body '{bodyId}'.").ToResult();
        var stream = await session.Events.FetchForWriting<MandateStream>(MandateStreams.Id(personId, bodyId), ct);
        var decision = decide(stream.Aggregate, body);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        stream.AppendMany(decision.Events);
        await session.SaveChangesAsync(ct);
        return respond(decision.Events.Aggregate(stream.Aggregate, MandateStream.Next)!);
    }
}
