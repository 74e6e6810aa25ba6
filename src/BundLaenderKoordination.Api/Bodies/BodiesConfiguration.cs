using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace BundLaenderKoordination.Api.Bodies;

public static class BodiesConfiguration
{
    /// <summary>The stored event names of body streams: a contract with every event already written (docs/events.md).</summary>
    public static readonly IReadOnlyDictionary<Type, string> EventNames = new Dictionary<Type, string>
    {
        [typeof(BodyCreated)] = "body_created",
        [typeof(BodyConfigured)] = "body_configured",
    };

    public static void AddBodies(this StoreOptions options)
    {
        foreach (var (type, name) in EventNames) options.Events.MapEventType(type, name);
        options.Schema.For<Body>().Identity(b => b.StreamId);
        options.Projections.Add(new BodyProjection(), ProjectionLifecycle.Inline);
    }

    public static Task<Body?> LoadBodyAsync(this IQuerySession session, string code, CancellationToken ct) =>
        session.LoadAsync<Body>(Body.StreamIdFor(code), ct);
}

/// <summary>The current configuration of each body, kept inline with every append, by the same fold history uses.</summary>
public sealed class BodyProjection : SingleStreamProjection<Body, Guid>
{
    // Only body events: without this list the inline projection loads a document for every stream any command appends to.
    public BodyProjection()
    {
        foreach (var type in BodiesConfiguration.EventNames.Keys) IncludeType(type);
    }

    public override Body? Evolve(Body? snapshot, Guid id, IEvent e) => Body.Next(snapshot, e.Data);
}
