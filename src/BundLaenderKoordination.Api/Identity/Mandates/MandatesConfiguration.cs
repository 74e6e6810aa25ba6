using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace BundLaenderKoordination.Api.Identity.Mandates;

public static class MandatesConfiguration
{
    /// <summary>The stored event names: a contract with every event already written (docs/events.md).</summary>
    public static readonly IReadOnlyDictionary<Type, string> EventNames = new Dictionary<Type, string>
    {
        [typeof(MandateGranted)] = "mandate_granted",
        [typeof(MandateApproved)] = "mandate_approved",
        [typeof(MandateGrantWithdrawn)] = "mandate_grant_withdrawn",
        [typeof(MandateRevocationRequested)] = "mandate_revocation_requested",
        [typeof(MandateRevoked)] = "mandate_revoked",
    };

    public static void AddMandates(this StoreOptions options)
    {
        foreach (var (type, name) in EventNames) options.Events.MapEventType(type, name);
        options.Projections.Add(new MandateProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new PersonMandatesProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<MandateStream>().Index(m => m.PersonId).Index(m => m.Body);
        options.Schema.For<PersonRoles>();
    }
}

/// <summary>Keeps each person's mandate in a body current in the same transaction as its events.</summary>
public sealed class MandateProjection : SingleStreamProjection<MandateStream, Guid>
{
    // Only mandate events: without this list the inline projection loads a document for every stream any command appends to.
    public MandateProjection()
    {
        foreach (var type in MandatesConfiguration.EventNames.Keys) IncludeType(type);
    }

    public override MandateStream? Evolve(MandateStream? snapshot, Guid id, IEvent e) => MandateStream.Next(snapshot, e.Data);
}

/// <summary>
/// The mandates in effect travel with the request as claims of an identity only the service adds (never read from a
/// token): <see cref="AccessControl"/> loads them, <see cref="Caller.From"/> reads them.
/// </summary>
public static class MandateClaims
{
    public const string AuthenticationType = "blk-mandates";
    public const string ClaimType = "blk_mandate";

    public static System.Security.Claims.ClaimsIdentity Identity(IEnumerable<HeldMandate> mandates) =>
        new(mandates.Select(m => new System.Security.Claims.Claim(ClaimType, $"{m.Body}|{m.Land}|{m.Role}")), AuthenticationType);

    public static IReadOnlyList<HeldMandate> Read(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identities.Where(i => i.AuthenticationType == AuthenticationType)
            .SelectMany(i => i.FindAll(ClaimType))
            .Select(c => c.Value.Split('|'))
            .Where(parts => parts.Length == 3)
            .Select(parts => new HeldMandate(parts[0], parts[1], parts[2]))
            .ToList();

    public static async Task<IReadOnlyList<HeldMandate>> InEffectAsync(IQuerySession session, string personId, CancellationToken ct)
    {
        var streams = await session.Query<MandateStream>().Where(m => m.PersonId == personId).ToListAsync(ct);
        return streams.Where(s => s.InEffect).Select(s => new HeldMandate(s.Body, s.Current!.Land, s.Current.Role)).ToList();
    }
}
