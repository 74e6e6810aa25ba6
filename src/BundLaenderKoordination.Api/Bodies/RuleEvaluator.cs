using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.Bodies;

/// <summary>The count of a ballot: who voted how (voting members only), who was refused, and whether the rule is met.</summary>
public sealed record BallotCount(
    IReadOnlyList<string> Yes,
    IReadOnlyList<string> No,
    IReadOnlyList<string> Abstain,
    IReadOnlyList<string> NotCounted,
    int VotingMembers,
    bool Adopted,
    string Explanation);

/// <summary>
/// Judges a ballot: a pure function of the rule recorded when the ballot opened, the members with their right to vote
/// at that moment, and the votes (one per Land). Votes of members without a vote, or of non-members, never count.
/// </summary>
public static class RuleEvaluator
{
    public static BallotCount Evaluate(VotingRule rule, IReadOnlyList<BodyMember> members, IReadOnlyDictionary<string, VoteChoice> votes)
    {
        var voting = members.Where(m => m.Voting).Select(m => m.Land).ToHashSet(StringComparer.Ordinal);
        List<string> Lands(VoteChoice choice) =>
            votes.Where(v => v.Value == choice && voting.Contains(v.Key)).Select(v => v.Key).Order(StringComparer.Ordinal).ToList();
        var yes = Lands(VoteChoice.Yes);
        var no = Lands(VoteChoice.No);
        var abstain = Lands(VoteChoice.Abstain);
        var notCounted = votes.Keys.Where(land => !voting.Contains(land)).Order(StringComparer.Ordinal).ToList();
        var ignoreAbstentions = rule.Abstentions == AbstentionTreatment.Ignored;

        var (adopted, explanation) = rule.Kind switch
        {
            VotingRuleKind.AtLeast => (yes.Count >= rule.Count,
                $"{yes.Count} yes of {voting.Count}; at least {rule.Count} needed, an abstention is not a yes."),
            VotingRuleKind.Unanimity when ignoreAbstentions => (
                no.Count == 0 && yes.Count > 0 && yes.Count + abstain.Count == voting.Count,
                $"{yes.Count} yes, {no.Count} no, {abstain.Count} abstentions of {voting.Count}; every member must take part, no one may vote no."),
            VotingRuleKind.Unanimity => (yes.Count == voting.Count && voting.Count > 0,
                $"{yes.Count} yes of {voting.Count}; every voting member must vote yes."),
            _ when ignoreAbstentions => (yes.Count > no.Count,
                $"{yes.Count} yes against {no.Count} no; abstentions are left out."),
            _ => (yes.Count > no.Count + abstain.Count,
                $"{yes.Count} yes against {no.Count + abstain.Count} other votes cast; abstentions count as votes cast."),
        };
        return new BallotCount(yes, no, abstain, notCounted, voting.Count, adopted, explanation);
    }
}
