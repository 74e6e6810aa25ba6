namespace BundLaenderKoordination.Api.Bodies;

/// <summary>A member of a body: a Land or the Bund, with or without a vote.</summary>
public sealed record BodyMember(string Land, bool Voting);

/// <summary>
/// A body (Gremium) and the rule by which it adopts. Until bodies become event-sourced, a body is a seeded document
/// with one rule: adopted when at least <see cref="AdoptionThreshold"/> voting members voted yes on the current text.
/// </summary>
public sealed record Body(string Id, string Name, IReadOnlyList<BodyMember> Members, int AdoptionThreshold)
{
    public BodyMember? MemberFor(string? land) => Members.FirstOrDefault(m => m.Land == land);

    public int VotingMembers => Members.Count(m => m.Voting);

    public string Rule => $"atLeast:{AdoptionThreshold}";
}
