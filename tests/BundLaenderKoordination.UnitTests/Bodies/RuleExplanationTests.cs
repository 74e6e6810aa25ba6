using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Resolutions;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Bodies;

/// <summary>
/// What a count records besides its verdict: the rule as written on an adoption, the explanation that goes into the
/// ballot's result and a rejection, the Länder of each choice in a stable order, and the edge cases of an empty body.
/// Expected texts are written out here, as docs/api.md shows them.
/// </summary>
public sealed class RuleExplanationTests
{
    private static readonly BodyMember[] FiveVoting = new[] { "DE-BB", "DE-BE", "DE-BY", "DE-HB", "DE-HE" }.Select(l => new BodyMember(l, true))
        .Append(new BodyMember("BUND", false)).ToArray();

    /// <summary>2 yes, 1 no, 2 abstentions among the five voting members; Bund (no vote) and a stranger vote too.</summary>
    private static readonly Dictionary<string, VoteChoice> Votes = new()
    {
        ["ZZ"] = VoteChoice.Yes,
        ["DE-HE"] = VoteChoice.Yes,
        ["DE-HB"] = VoteChoice.Abstain,
        ["DE-BY"] = VoteChoice.No,
        ["BUND"] = VoteChoice.Yes,
        ["DE-BE"] = VoteChoice.Abstain,
        ["DE-BB"] = VoteChoice.Yes,
    };

    [Fact]
    public void A_rule_is_written_on_an_adoption_as_its_kind_with_its_count_or_its_treatment_of_abstentions()
    {
        VotingRule.AtLeastOf(13).ToString().ShouldBe("atLeast:13");
        VotingRule.Unanimous().ToString().ShouldBe("unanimity");
        VotingRule.Unanimous(AbstentionTreatment.Ignored).ToString().ShouldBe("unanimity(abstentions ignored)");
        VotingRule.Majority(AbstentionTreatment.Ignored).ToString().ShouldBe("simpleMajority(abstentions ignored)");
        VotingRule.Majority(AbstentionTreatment.NotYes).ToString().ShouldBe("simpleMajority(abstentions count)");

        VotingRule.AtLeastOf(13).ShouldBe(new VotingRule(VotingRuleKind.AtLeast, 13, AbstentionTreatment.NotYes));
        VotingRule.Unanimous().ShouldBe(new VotingRule(VotingRuleKind.Unanimity, null, AbstentionTreatment.NotYes));
        VotingRule.Majority(AbstentionTreatment.Ignored).ShouldBe(new VotingRule(VotingRuleKind.SimpleMajority, null, AbstentionTreatment.Ignored));
    }

    [Fact]
    public void The_count_lists_the_Laender_of_each_choice_in_ordinal_order_and_those_not_counted_apart()
    {
        var count = RuleEvaluator.Evaluate(VotingRule.AtLeastOf(2), FiveVoting, Votes);
        count.Yes.ShouldBe(["DE-BB", "DE-HE"]);
        count.No.ShouldBe(["DE-BY"]);
        count.Abstain.ShouldBe(["DE-BE", "DE-HB"]);
        count.NotCounted.ShouldBe(["BUND", "ZZ"]);
        count.VotingMembers.ShouldBe(5);
    }

    [Fact]
    public void Each_rule_explains_its_verdict_with_the_numbers_it_used()
    {
        Explain(VotingRule.AtLeastOf(2)).ShouldBe((true, "2 yes of 5; at least 2 needed, an abstention is not a yes."));
        Explain(VotingRule.AtLeastOf(3)).ShouldBe((false, "2 yes of 5; at least 3 needed, an abstention is not a yes."));
        Explain(VotingRule.Unanimous()).ShouldBe((false, "2 yes of 5; every voting member must vote yes."));
        Explain(VotingRule.Unanimous(AbstentionTreatment.Ignored))
            .ShouldBe((false, "2 yes, 1 no, 2 abstentions of 5; every member must take part, no one may vote no."));
        Explain(VotingRule.Majority(AbstentionTreatment.Ignored)).ShouldBe((true, "2 yes against 1 no; abstentions are left out."));
        Explain(VotingRule.Majority(AbstentionTreatment.NotYes))
            .ShouldBe((false, "2 yes against 3 other votes cast; abstentions count as votes cast."));
    }

    private static (bool, string) Explain(VotingRule rule)
    {
        var count = RuleEvaluator.Evaluate(rule, FiveVoting, Votes);
        return (count.Adopted, count.Explanation);
    }

    [Fact]
    public void Unanimity_needs_at_least_one_yes_and_a_body_with_voting_members()
    {
        var allAbstain = FiveVoting.Where(m => m.Voting).ToDictionary(m => m.Land, _ => VoteChoice.Abstain);
        RuleEvaluator.Evaluate(VotingRule.Unanimous(AbstentionTreatment.Ignored), FiveVoting, allAbstain).Adopted.ShouldBeFalse();
        var oneYes = new Dictionary<string, VoteChoice>(allAbstain) { ["DE-BE"] = VoteChoice.Yes };
        RuleEvaluator.Evaluate(VotingRule.Unanimous(AbstentionTreatment.Ignored), FiveVoting, oneYes).Adopted.ShouldBeTrue();

        BodyMember[] noVotes = [new("BUND", false)];
        RuleEvaluator.Evaluate(VotingRule.Unanimous(), noVotes, new Dictionary<string, VoteChoice>()).Adopted.ShouldBeFalse();
        RuleEvaluator.Evaluate(VotingRule.Unanimous(), noVotes, new Dictionary<string, VoteChoice> { ["BUND"] = VoteChoice.Yes }).Adopted.ShouldBeFalse();
    }

    [Fact]
    public void A_tie_is_no_simple_majority()
    {
        var tie = new Dictionary<string, VoteChoice> { ["DE-BB"] = VoteChoice.Yes, ["DE-BY"] = VoteChoice.No };
        RuleEvaluator.Evaluate(VotingRule.Majority(AbstentionTreatment.Ignored), FiveVoting, tie).Adopted.ShouldBeFalse();
        RuleEvaluator.Evaluate(VotingRule.Majority(AbstentionTreatment.NotYes), FiveVoting,
            new Dictionary<string, VoteChoice> { ["DE-BB"] = VoteChoice.Yes, ["DE-BY"] = VoteChoice.Abstain }).Adopted.ShouldBeFalse();
    }
}
