using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using CsCheck;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Bodies;

public sealed class RuleEvaluatorTests
{
    private static readonly string[] Laender = [.. Lands.Laender];
    private static readonly IReadOnlyList<BodyMember> D16Members = BodySeed.D16.Members;

    /// <summary>For each of the 16 Länder: 0 yes, 1 no, 2 abstain, 3 no vote.</summary>
    private static readonly Gen<int[]> Ballots = Gen.Int[0, 3].Array[16];

    private static readonly Gen<VotingRule> Rules = Gen.OneOf(
        Gen.Int[1, 16].Select(VotingRule.AtLeastOf),
        Gen.Enum<AbstentionTreatment>().Select(VotingRule.Unanimous),
        Gen.Enum<AbstentionTreatment>().Select(VotingRule.Majority));

    private static Dictionary<string, VoteChoice> Votes(int[] ballot) =>
        ballot.Select((choice, i) => (choice, land: Laender[i])).Where(x => x.choice < 3)
            .ToDictionary(x => x.land, x => (VoteChoice)x.choice);

    private static Dictionary<string, VoteChoice> Votes(int yes, int no, int abstain) =>
        Votes([.. Enumerable.Repeat(0, yes), .. Enumerable.Repeat(1, no), .. Enumerable.Repeat(2, abstain), .. Enumerable.Repeat(3, 16 - yes - no - abstain)]);

    [Fact]
    public void At_least_13_adopts_with_13_yes_and_3_abstentions_but_not_with_12_yes_and_4_abstentions()
    {
        RuleEvaluator.Evaluate(VotingRule.AtLeastOf(13), D16Members, Votes(13, 0, 3)).Adopted.ShouldBeTrue();
        RuleEvaluator.Evaluate(VotingRule.AtLeastOf(13), D16Members, Votes(12, 0, 4)).Adopted.ShouldBeFalse();
    }

    [Fact]
    public void At_least_n_adopts_exactly_when_n_or_more_voting_members_vote_yes() =>
        Gen.Select(Gen.Int[1, 16], Ballots).Sample((n, ballot) =>
        {
            var count = RuleEvaluator.Evaluate(VotingRule.AtLeastOf(n), D16Members, Votes(ballot));
            count.Adopted.ShouldBe(ballot.Count(c => c == 0) >= n);
        });

    [Fact]
    public void Unanimity_fails_on_a_single_no() =>
        Gen.Select(Gen.Enum<AbstentionTreatment>(), Ballots, Gen.Int[0, 15]).Sample((abstentions, ballot, dissenter) =>
        {
            ballot[dissenter] = 1;
            RuleEvaluator.Evaluate(VotingRule.Unanimous(abstentions), D16Members, Votes(ballot)).Adopted.ShouldBeFalse();
        });

    [Fact]
    public void Unanimity_is_met_by_sixteen_yes_and_with_abstentions_ignored_by_yes_and_abstentions_only()
    {
        RuleEvaluator.Evaluate(VotingRule.Unanimous(), D16Members, Votes(16, 0, 0)).Adopted.ShouldBeTrue();
        RuleEvaluator.Evaluate(VotingRule.Unanimous(), D16Members, Votes(15, 0, 1)).Adopted.ShouldBeFalse();
        RuleEvaluator.Evaluate(VotingRule.Unanimous(AbstentionTreatment.Ignored), D16Members, Votes(15, 0, 1)).Adopted.ShouldBeTrue();
        RuleEvaluator.Evaluate(VotingRule.Unanimous(AbstentionTreatment.Ignored), D16Members, Votes(15, 0, 0)).Adopted.ShouldBeFalse();
    }

    [Fact]
    public void A_simple_majority_that_ignores_abstentions_is_not_changed_by_any_abstention() =>
        Gen.Select(Ballots, Gen.Bool.Array[16]).Sample((ballot, abstainInstead) =>
        {
            var rule = VotingRule.Majority(AbstentionTreatment.Ignored);
            var before = RuleEvaluator.Evaluate(rule, D16Members, Votes(ballot)).Adopted;
            // Members who did not vote now abstain: the outcome must not move.
            var withAbstentions = ballot.Select((c, i) => c == 3 && abstainInstead[i] ? 2 : c).ToArray();
            RuleEvaluator.Evaluate(rule, D16Members, Votes(withAbstentions)).Adopted.ShouldBe(before);
            before.ShouldBe(ballot.Count(c => c == 0) > ballot.Count(c => c == 1));
        });

    [Fact]
    public void A_simple_majority_that_counts_abstentions_needs_more_yes_than_all_other_votes_cast() =>
        Ballots.Sample(ballot =>
            RuleEvaluator.Evaluate(VotingRule.Majority(AbstentionTreatment.NotYes), D16Members, Votes(ballot)).Adopted
                .ShouldBe(ballot.Count(c => c == 0) > ballot.Count(c => c is 1 or 2)));

    [Fact]
    public void A_vote_of_a_member_without_vote_never_counts() =>
        Gen.Select(Rules, Ballots, Gen.Int[0, 2]).Sample((rule, ballot, bundChoice) =>
        {
            var without = RuleEvaluator.Evaluate(rule, D16Members, Votes(ballot));
            var votes = Votes(ballot);
            votes[Lands.Bund] = (VoteChoice)bundChoice;
            var with = RuleEvaluator.Evaluate(rule, D16Members, votes);
            with.Adopted.ShouldBe(without.Adopted);
            with.Yes.ShouldBe(without.Yes);
            with.NotCounted.ShouldBe([Lands.Bund]);
        });

    [Fact]
    public void Turning_a_no_into_a_yes_never_turns_an_adoption_into_a_rejection() =>
        Gen.Select(Rules, Ballots, Gen.Int[0, 15]).Sample((rule, ballot, land) =>
        {
            var before = RuleEvaluator.Evaluate(rule, D16Members, Votes(ballot)).Adopted;
            if (ballot[land] != 1) return;
            ballot[land] = 0;
            if (before) RuleEvaluator.Evaluate(rule, D16Members, Votes(ballot)).Adopted.ShouldBeTrue();
        });

    [Fact]
    public void Every_vote_of_a_voting_member_is_counted_once_under_its_choice() =>
        Gen.Select(Rules, Ballots).Sample((rule, ballot) =>
        {
            var count = RuleEvaluator.Evaluate(rule, D16Members, Votes(ballot));
            count.Yes.Count.ShouldBe(ballot.Count(c => c == 0));
            count.No.Count.ShouldBe(ballot.Count(c => c == 1));
            count.Abstain.Count.ShouldBe(ballot.Count(c => c == 2));
            count.VotingMembers.ShouldBe(16);
        });
}
