using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using JasperFx.Events.Projections;

namespace BundLaenderKoordination.Api.Identity.Passkeys;

public enum PasskeyStatus
{
    Pending,
    Active,
    Revoked,
}

/// <summary>One registered credential of a person and where it stands.</summary>
public sealed record Passkey(string CredentialId, string PublicKey, int Algorithm, PasskeyStatus Status, string RegisteredBy,
    DateTimeOffset RegisteredAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// A person's passkeys: the write model of their passkey stream, and (stored inline) the read model a signed act is
/// verified against in the command's own transaction.
/// </summary>
public sealed record PersonPasskeys(Guid Id, string PersonId, string PersonName, IReadOnlyList<Passkey> Keys)
{
    public Passkey? Find(string credentialId) => Keys.FirstOrDefault(k => k.CredentialId == credentialId);

    public static PersonPasskeys? Next(PersonPasskeys? state, object e) => (state, e) switch
    {
        (_, PasskeyRegistered r) => (state ?? new PersonPasskeys(PasskeyStreams.Id(r.PersonId), r.PersonId, r.PersonName, [])) with
        {
            PersonName = r.PersonName,
            Keys = [.. state?.Keys ?? [], new Passkey(r.CredentialId, r.PublicKey, r.Algorithm, PasskeyStatus.Pending, r.RegisteredBy.PersonId, r.RegisteredAt, null, null, null)],
        },
        ({ } s, PasskeyApproved a) => s with
        {
            Keys = s.Keys.Select(k => k.CredentialId == a.CredentialId ? k with { Status = PasskeyStatus.Active, ApprovedBy = a.ApprovedBy.PersonId, ApprovedAt = a.ApprovedAt } : k).ToList(),
        },
        ({ } s, PasskeyRevoked r) => s with
        {
            Keys = s.Keys.Select(k => k.CredentialId == r.CredentialId ? k with { Status = PasskeyStatus.Revoked, RevokedAt = r.RevokedAt } : k).ToList(),
        },
        _ => state,
    };
}

public static class PasskeyStreams
{
    /// <summary>The passkey stream of a person: a name-based id, so it is found without a lookup.</summary>
    public static Guid Id(string personId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("passkeys\n" + personId));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: application-defined
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

public static class PasskeysConfiguration
{
    /// <summary>The stored event names: a contract with every event already written (docs/events.md).</summary>
    public static readonly IReadOnlyDictionary<Type, string> EventNames = new Dictionary<Type, string>
    {
        [typeof(PasskeyRegistered)] = "passkey_registered",
        [typeof(PasskeyApproved)] = "passkey_approved",
        [typeof(PasskeyRevoked)] = "passkey_revoked",
    };

    public static void AddPasskeys(this StoreOptions options)
    {
        foreach (var (type, name) in EventNames) options.Events.MapEventType(type, name);
        options.Projections.Add(new PasskeyProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<PersonPasskeys>().Index(p => p.PersonId);
    }
}

/// <summary>Keeps each person's passkeys current in the same transaction as their events.</summary>
public sealed class PasskeyProjection : SingleStreamProjection<PersonPasskeys, Guid>
{
    public PasskeyProjection()
    {
        foreach (var type in PasskeysConfiguration.EventNames.Keys) IncludeType(type);
    }

    public override PersonPasskeys? Evolve(PersonPasskeys? snapshot, Guid id, IEvent e) => PersonPasskeys.Next(snapshot, e.Data);
}
