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
        // Plain numbers from here on: the mutation run cannot compile its mutants of a list's Count (nor of the rule's),
        // which would leave the comparisons below unmeasured.
        int y = yes.Count, n = no.Count, a = abstain.Count, total = voting.Count;
        var required = rule.Count;

        var (adopted, explanation) = rule.Kind switch
        {
            VotingRuleKind.AtLeast => (y >= required,
                $"{y} yes of {total}; at least {required} needed, an abstention is not a yes."),
            VotingRuleKind.Unanimity when ignoreAbstentions => (
                n == 0 && y > 0 && y + a == total,
                $"{y} yes, {n} no, {a} abstentions of {total}; every member must take part, no one may vote no."),
            VotingRuleKind.Unanimity => (y == total && total > 0,
                $"{y} yes of {total}; every voting member must vote yes."),
            _ when ignoreAbstentions => (y > n,
                $"{y} yes against {n} no; abstentions are left out."),
            _ => (y > n + a,
                $"{y} yes against {n + a} other votes cast; abstentions count as votes cast."),
        };
        return new BallotCount(yes, no, abstain, notCounted, total, adopted, explanation);
    }
}
