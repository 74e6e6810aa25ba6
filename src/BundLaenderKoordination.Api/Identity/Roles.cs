namespace BundLaenderKoordination.Api.Identity;

public static class Roles
{
    public const string Representative = "representative";
    public const string Chair = "chair";
    public const string Observer = "observer";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    /// <summary>A Land's coordinator in a body: a mandate, not a token role; manages the mandates of that Land there.</summary>
    public const string Coordinator = "coordinator";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string> { Representative, Chair, Observer, Auditor, Admin };
}
