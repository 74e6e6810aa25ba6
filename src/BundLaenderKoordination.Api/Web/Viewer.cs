using BundLaenderKoordination.Api.Bodies.GettingBody;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;

namespace BundLaenderKoordination.Api.Web;

/// <summary>A body as the pages need it: name, members with their vote, the chair in office.</summary>
public sealed record BodyInfo(string Code, string Name, IReadOnlyList<MemberRead> Members, ChairRead? Chair)
{
    /// <summary>The voting rule per matter type ("default", "budget", ...).</summary>
    public IReadOnlyDictionary<string, Bodies.VotingRule> Rules { get; init; } = new Dictionary<string, Bodies.VotingRule>();

    /// <summary>The name, with the code unless the name starts with it.</summary>
    public string Label => Name.StartsWith(Code, StringComparison.Ordinal) ? Name : $"{Name} ({Code})";

    public MemberRead? Member(string? land) => land is null ? null : Members.FirstOrDefault(m => m.Land == land);
}

/// <summary>
/// What the signed-in person may do in one body, as the service will judge it: from their approved mandate there (Land
/// and role), the body's members and the chair in office today. The pages offer only these actions; the service decides
/// again on every write.
/// </summary>
public sealed record Capacity(BodyInfo? Body, HeldMandate? Mandate)
{
    public string? Land => Mandate?.Land;
    public bool Representative => Mandate?.Role == Roles.Representative;
    public bool Chair => Mandate?.Role == Roles.Chair;

    /// <summary>A representative or chair mandate: writing texts, amendments, comments.</summary>
    public bool Negotiates => Representative || Chair;

    /// <summary>A representative of a member with a vote in the body.</summary>
    public bool Votes => Representative && Body?.Member(Land) is { Voting: true };

    /// <summary>A representative of any member (positions, declarations).</summary>
    public bool SpeaksForMember => Representative && Body?.Member(Land) is not null;

    /// <summary>The chair in office: a chair mandate for the Land that chairs the body today.</summary>
    public bool ChairInOffice => Chair && Body?.Chair is { } chair && chair.Land == Land;
}

/// <summary>
/// The signed-in person as the service sees them (<c>GET /api/me</c>: roles from the organisation, mandates in effect),
/// read once per request, and the bodies the pages looked at.
/// </summary>
public sealed class Viewer(ServiceApi api)
{
    private Me? _me;
    private readonly Dictionary<string, BodyInfo?> _bodies = new(StringComparer.Ordinal);

    public async Task<Me> Me(CancellationToken ct)
    {
        if (_me is not null) return _me;
        var result = await api.Get<Me>("/api/me", ct);
        return _me = result.Value ?? new Me("", "", [], []);
    }

    public async Task<IReadOnlyList<HeldMandate>> Mandates(CancellationToken ct) => (await Me(ct)).Mandates;

    public async Task<bool> Has(string role, CancellationToken ct) => (await Me(ct)).Roles.Contains(role);

    public async Task<BodyInfo?> Body(string code, CancellationToken ct)
    {
        if (_bodies.TryGetValue(code, out var known)) return known;
        var result = await api.Get<BodyInfo>($"/api/bodies/{Uri.EscapeDataString(code)}", ct);
        return _bodies[code] = result.Value;
    }

    public async Task<IReadOnlyList<BodyInfo>> Bodies(CancellationToken ct)
    {
        var result = await api.Get<List<BodyInfo>>("/api/bodies", ct);
        foreach (var body in result.Value ?? []) _bodies.TryAdd(body.Code, body);
        return result.Value ?? [];
    }

    public async Task<Capacity> In(string body, CancellationToken ct)
    {
        var mandate = (await Mandates(ct)).FirstOrDefault(m => m.Body == body);
        return new Capacity(await Body(body, ct), mandate);
    }
}
