using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Bodies.GettingBody;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;

namespace BundLaenderKoordination.Api.Web;

/// <summary>A body as the pages need it: name, members with their vote, the chair in office.</summary>
public sealed record BodyInfo(string Code, string Name, IReadOnlyList<MemberRead> Members, ChairRead? Chair)
{
    /// <summary>The voting rule per matter type ("default", "budget", ...).</summary>
    public IReadOnlyDictionary<string, Bodies.VotingRule> Rules { get; init; } = new Dictionary<string, Bodies.VotingRule>();

    /// <summary>Who chairs from when: the chair in office on a date follows from it as it does in the service.</summary>
    public IReadOnlyList<ChairTerm> ChairSchedule { get; init; } = [];

    public WrittenProcedureRules? WrittenProcedure { get; init; }

    /// <summary>Votes, consents and objections in this body are signed with the author's passkey.</summary>
    public bool SignedActsRequired { get; init; }

    /// <summary>The name, with the code unless the name starts with it.</summary>
    public string Label => Name.StartsWith(Code, StringComparison.Ordinal) ? Name : $"{Name} ({Code})";

    public MemberRead? Member(string? land) => land is null ? null : Members.FirstOrDefault(m => m.Land == land);

    /// <summary>
    /// The body as the service's rules take it, from what the service sent: the pages ask <see cref="AllowedActions"/>
    /// with it instead of repeating the rules.
    /// </summary>
    public Body ToBody() => new(Code, Body.StreamIdFor(Code), Name, [.. Members.Select(m => new BodyMember(m.Land, m.Voting))], Rules, ChairSchedule,
        WrittenProcedure ?? new WrittenProcedureRules(WrittenProcedureMode.ExplicitConsent, 0), 0, default);
}

/// <summary>
/// What the signed-in person may do in one body, as the service will judge it: from their approved mandate there (Land
/// and role), the body's members and the chair in office now. The rules are the service's own (<see cref="AllowedActions"/>,
/// <see cref="Chairing"/>), asked with the caller as the service sees them in this body; the pages offer only these
/// actions, and the service decides again on every write.
/// </summary>
public sealed record Capacity(BodyInfo? Body, HeldMandate? Mandate)
{
    /// <summary>The caller as they act in this body (<see cref="Caller.In"/>); null when nobody is signed in.</summary>
    public Caller? Caller { get; init; }

    /// <summary>When the page judges: the chair in office depends on it.</summary>
    public DateTimeOffset Now { get; init; }

    public string? Land => Mandate?.Land;
    public bool Representative => Mandate?.Role == Roles.Representative;
    public bool Chair => Mandate?.Role == Roles.Chair;

    /// <summary>A representative of a member with a vote in the body: votes, asks for and supports a special session.</summary>
    public bool Votes => Body is { } body && Caller is { } caller && AllowedActions.Voter(body.ToBody(), caller) is null;

    /// <summary>The chair in office: a chair mandate for the Land that chairs the body now.</summary>
    public bool ChairInOffice => Body is { } body && Caller is { } caller && Chairing.ActingChair(body.ToBody(), caller, Now) is null;

    /// <summary>What the person may do on a resolution of this body now, by the function the service's decisions use.</summary>
    public AllowedActions On(ResolutionView resolution)
    {
        if (Body is not { } info || Caller is not { } caller) return AllowedActions.None;
        var body = info.ToBody();
        return AllowedActions.For(body, caller, Now, ResolutionFacts.Of(resolution, body));
    }
}

/// <summary>
/// The signed-in person as the service sees them (<c>GET /api/me</c>: roles from the organisation, mandates in effect),
/// read once per request, and the bodies the pages looked at.
/// </summary>
public sealed class Viewer(ServiceApi api, TimeProvider clock)
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

    /// <summary>The person as the service will judge them in one body: the same caller its decisions get (<see cref="Caller.In"/>).</summary>
    public async Task<Capacity> In(string body, CancellationToken ct)
    {
        var me = await Me(ct);
        var mandate = me.Mandates.FirstOrDefault(m => m.Body == body);
        var caller = new Caller(me.PersonId, me.Name, null, me.Roles.ToHashSet(), me.Mandates).In(body);
        return new Capacity(await Body(body, ct), mandate) { Caller = caller, Now = clock.GetUtcNow() };
    }
}
