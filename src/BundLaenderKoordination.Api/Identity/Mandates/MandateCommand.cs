using System.Diagnostics;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using JasperFx.Events;
using Marten;

namespace BundLaenderKoordination.Api.Identity.Mandates;

/// <summary>
/// The step every command on a person's mandate in a body shares, between Wolverine loading the mandate stream (the
/// aggregate handler workflow: <c>[WriteAggregate] IEventStream&lt;MandateStream&gt;</c>, the body in the same round
/// trip) and Wolverine committing what it appended. An unknown body is 404 before anything is decided; a refused
/// decision appends nothing; the answer is built from the state after the events.
/// </summary>
public static class MandateCommand
{
    /// <summary>
    /// The mandate stream of a person in a body: a name-based id, so the endpoints name it to Wolverine through this
    /// method (<c>FromMethod</c>) from the route, and the grant from the person named in its body.
    /// </summary>
    public static Guid StreamOf(string bodyId, string? personId) => MandateStreams.Id(personId ?? "", bodyId);

    /// <summary>
    /// The service-wide roles of the person a mandate is for: as their tokens last carried them (<see cref="PersonRoles"/>),
    /// and the caller's own when the caller is that person.
    /// </summary>
    public static async Task<IReadOnlyCollection<string>> RolesOf(IQuerySession session, string personId, Caller caller, CancellationToken ct)
    {
        var recorded = await session.LoadAsync<PersonRoles>(personId, ct);
        var roles = new HashSet<string>(recorded?.Roles ?? [], StringComparer.Ordinal);
        if (personId == caller.PersonId) roles.UnionWith(caller.Roles);
        return roles;
    }

    public static IResult Decide(IEventStream<MandateStream> stream, IReadOnlyList<Body> bodies, string bodyId, IDocumentSession session, Caller caller,
        Func<MandateStream?, Body, Decision> decide, Func<MandateStream, IResult> respond)
    {
        if (bodies.FirstOrDefault(b => b.Id == bodyId) is not { } body) return Problems.Missing($"There is no body '{bodyId}'.").ToResult();
        var decision = decide(stream.Aggregate, body);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        if (decision.Events.Count > 0)
        {
            session.LastModifiedBy = caller.PersonId;
            session.CorrelationId ??= Activity.Current?.TraceId.ToString();
            stream.AppendMany(decision.Events);
        }
        return respond(decision.Events.Aggregate(stream.Aggregate, MandateStream.Next)!);
    }
}
