using System.Security.Claims;

namespace BundLaenderKoordination.Api.Identity;

/// <summary>Who is calling, as the verified token says: the person, the Land or Bund they act for, their roles.</summary>
public sealed record Caller(string PersonId, string Name, string? Land, IReadOnlySet<string> Roles)
{
    public const string LandClaim = "land";
    public const string RoleClaim = "role";
    public const string NameClaim = "name";
    public const string SubjectClaim = "sub";

    public static Caller From(ClaimsPrincipal user)
    {
        var personId = user.FindFirstValue(SubjectClaim) ?? "";
        var name = user.FindFirstValue(NameClaim) ?? personId;
        var land = Lands.Normalize(user.FindFirstValue(LandClaim));
        var roles = user.FindAll(RoleClaim).Select(c => c.Value).Where(Identity.Roles.All.Contains).ToHashSet();
        return new Caller(personId, name, land, roles);
    }

    public bool Has(string role) => Roles.Contains(role);

    /// <summary>The person acting in one capacity, as recorded on every event.</summary>
    public Actor ActingAs(string role) => new(PersonId, Name, Land, role);
}

/// <summary>Recorded on every event: the person (id and name), the Land or Bund they acted for, and in which role.</summary>
public sealed record Actor(string PersonId, string PersonName, string? ActingFor, string Role);
