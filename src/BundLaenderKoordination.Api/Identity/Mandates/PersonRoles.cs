using System.Collections.Concurrent;
using Marten;

namespace BundLaenderKoordination.Api.Identity.Mandates;

/// <summary>
/// The service-wide roles (admin, auditor, observer) a person's tokens last carried, stored under the person's id. The
/// identity provider owns these roles; the service keeps what it last saw so that granting and approving a mandate can
/// refuse one for an administrator or auditor before that person ever uses it (separation of duties).
/// </summary>
public sealed record PersonRoles(string Id, IReadOnlyList<string> Roles, DateTimeOffset SeenAt)
{
    /// <summary>Roles that hold no mandate: whoever administers mandates or audits does not negotiate or vote.</summary>
    public static readonly IReadOnlySet<string> WithoutMandates = new HashSet<string> { Identity.Roles.Admin, Identity.Roles.Auditor };

    public static string? Excluding(IEnumerable<string> roles) => roles.FirstOrDefault(WithoutMandates.Contains);
}

/// <summary>
/// Records the roles of each signed-in person when they first appear in this process or change, one small write per
/// person and process: the check on every request is a dictionary lookup.
/// </summary>
public sealed class PersonRolesRecorder(IDocumentStore store, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, string> _recorded = new(StringComparer.Ordinal);

    public async Task RecordAsync(Caller caller, CancellationToken ct)
    {
        if (caller.PersonId.Length == 0) return;
        var roles = caller.Roles.Order(StringComparer.Ordinal).ToList();
        var key = string.Join(' ', roles);
        if (_recorded.TryGetValue(caller.PersonId, out var known) && known == key) return;
        await using var session = store.LightweightSession();
        session.Store(new PersonRoles(caller.PersonId, roles, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        _recorded[caller.PersonId] = key;
    }
}
