using System.Security.Cryptography;
using System.Text;

namespace BundLaenderKoordination.Api.Identity.Mandates;

public enum MandateStatus
{
    Pending,
    Active,
    RevocationRequested,
}

/// <summary>
/// The mandate a person holds or is about to hold in one body: the write model of a mandate stream, and (stored
/// inline) the read model every request consults. <see cref="Current"/> is null when no mandate is pending or held.
/// </summary>
public sealed record MandateStream(Guid Id, string PersonId, string PersonName, string Body, CurrentMandate? Current)
{
    public bool InEffect => Current is { Status: MandateStatus.Active or MandateStatus.RevocationRequested };

    public static MandateStream? Next(MandateStream? state, object e) => (state, e) switch
    {
        (_, MandateGranted g) => new MandateStream(MandateStreams.Id(g.PersonId, g.Body), g.PersonId, g.PersonName, g.Body,
            new CurrentMandate(g.MandateId, g.Land, g.Role, MandateStatus.Pending, g.GrantedBy.PersonId, null, g.GrantedAt) { GrantedByName = g.GrantedBy.PersonName }),
        ({ Current: { } c } s, MandateApproved a) when c.MandateId == a.MandateId =>
            s with { Current = c with { Status = MandateStatus.Active, Since = a.ApprovedAt, ApprovedBy = a.ApprovedBy.PersonId, ApprovedByName = a.ApprovedBy.PersonName } },
        ({ Current: { } c } s, MandateGrantWithdrawn w) when c.MandateId == w.MandateId => s with { Current = null },
        ({ Current: { } c } s, MandateRevocationRequested r) when c.MandateId == r.MandateId =>
            s with { Current = c with { Status = MandateStatus.RevocationRequested, RevocationRequestedBy = r.RequestedBy.PersonId, RevocationRequestedByName = r.RequestedBy.PersonName } },
        ({ Current: { } c } s, MandateRevoked r) when c.MandateId == r.MandateId => s with { Current = null },
        _ => state,
    };
}

/// <summary>A mandate pending approval, in effect, or in effect with its revocation pending.</summary>
public sealed record CurrentMandate(
    Guid MandateId, string Land, string Role, MandateStatus Status, string GrantedBy, string? RevocationRequestedBy, DateTimeOffset Since)
{
    /// <summary>The names of who granted, approved and asked to revoke, as the events recorded them (null in documents stored before).</summary>
    public string? GrantedByName { get; init; }

    public string? ApprovedBy { get; init; }

    public string? ApprovedByName { get; init; }

    public string? RevocationRequestedByName { get; init; }
}

public static class MandateStreams
{
    /// <summary>The stream of a person's mandates in a body: a name-based id, so it is found without a lookup.</summary>
    public static Guid Id(string personId, string bodyId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("mandate\n" + bodyId + "\n" + personId));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: application-defined
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
