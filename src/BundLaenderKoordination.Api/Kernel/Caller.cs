using System.Security.Claims;

using BundLaenderKoordination.Api.Identity;

namespace BundLaenderKoordination.Api.Kernel;

/// <summary>A mandate in effect: in <see cref="Body"/> the person acts for <see cref="Land"/> in <see cref="Role"/>.</summary>
public sealed record HeldMandate(string Body, string Land, string Role);

/// <summary>
/// Who is calling. The verified token says who the person is (<see cref="PersonId"/>, <see cref="Name"/>) and which
/// service-wide roles their organisation gave them (observer, auditor, admin). For whom they act comes from their
/// approved mandates only: <see cref="In"/> gives the caller as they act in one body. What a token claims about a Land
/// or about representative and chair roles is ignored.
/// </summary>
public sealed record Caller(string PersonId, string Name, string? Land, IReadOnlySet<string> Roles, IReadOnlyList<HeldMandate>? Mandates = null)
{
    public const string LandClaim = "land";
    public const string RoleClaim = "role";
    public const string NameClaim = "name";
    public const string SubjectClaim = "sub";

    /// <summary>Roles an identity provider may grant; representative and chair are held through mandates.</summary>
    public static readonly IReadOnlySet<string> TokenRoles = new HashSet<string> { Identity.Roles.Observer, Identity.Roles.Auditor, Identity.Roles.Admin };

    public static Caller From(ClaimsPrincipal user)
    {
        var personId = user.FindFirstValue(SubjectClaim) ?? "";
        var name = user.FindFirstValue(NameClaim) ?? personId;
        var roles = user.FindAll(RoleClaim).Select(c => c.Value).Where(TokenRoles.Contains).ToHashSet();
        // Separation of duties also where mandates are used: an administrator or auditor acts under none, even one that
        // was granted before the person got that role.
        IReadOnlyList<HeldMandate> mandates = Identity.Mandates.PersonRoles.Excluding(roles) is null ? Identity.Mandates.MandateClaims.Read(user) : [];
        return new Caller(personId, name, null, roles, mandates);
    }

    /// <summary>
    /// The caller as the token describes them, Land and all roles included: for pages to choose what to offer. The API
    /// never decides with it; it decides with <see cref="From"/> and the mandates.
    /// </summary>
    public static Caller Claimed(ClaimsPrincipal user)
    {
        var personId = user.FindFirstValue(SubjectClaim) ?? "";
        var roles = user.FindAll(RoleClaim).Select(c => c.Value).Where(Identity.Roles.All.Contains).ToHashSet();
        return new Caller(personId, user.FindFirstValue(NameClaim) ?? personId, Lands.Normalize(user.FindFirstValue(LandClaim)), roles);
    }

    public bool Has(string role) => Roles.Contains(role);

    /// <summary>The mandate held in a body, if any.</summary>
    public HeldMandate? MandateIn(string bodyId) => (Mandates ?? []).FirstOrDefault(m => m.Body == bodyId);

    /// <summary>The caller as they act in one body: for the Land of their mandate there, with its role.</summary>
    public Caller In(string bodyId) => MandateIn(bodyId) is { } mandate
        ? this with { Land = mandate.Land, Roles = new HashSet<string>(Roles) { mandate.Role } }
        : this with { Land = null };

    /// <summary>The person acting in one capacity, as recorded on every event.</summary>
    public Actor ActingAs(string role) => new(PersonId, Name, Land, role);
}

/// <summary>Recorded on every event: the person (id and name), the Land or Bund they acted for, and in which role.</summary>
public sealed record Actor(string PersonId, string PersonName, string? ActingFor, string Role);
