namespace BundLaenderKoordination.Api.Bodies;

public enum VotingRuleKind
{
    /// <summary>Every voting member agrees.</summary>
    Unanimity,

    /// <summary>At least <see cref="VotingRule.Count"/> voting members vote yes (an absolute count, as the MPK's 13 of 16).</summary>
    AtLeast,

    /// <summary>More yes than other votes cast.</summary>
    SimpleMajority,
}

public enum AbstentionTreatment
{
    /// <summary>An abstention is a vote cast that is not a yes: it blocks unanimity and counts against a simple majority.</summary>
    NotYes,

    /// <summary>An abstention is left out: it neither blocks unanimity nor counts in a simple majority.</summary>
    Ignored,
}

/// <summary>A voting rule as configured for a matter type, with the treatment of abstentions stated in the rule.</summary>
public sealed record VotingRule(VotingRuleKind Kind, int? Count = null, AbstentionTreatment Abstentions = AbstentionTreatment.NotYes)
{
    public static VotingRule Unanimous(AbstentionTreatment abstentions = AbstentionTreatment.NotYes) => new(VotingRuleKind.Unanimity, null, abstentions);
    public static VotingRule AtLeastOf(int count) => new(VotingRuleKind.AtLeast, count);
    public static VotingRule Majority(AbstentionTreatment abstentions) => new(VotingRuleKind.SimpleMajority, null, abstentions);

    /// <summary>The rule as recorded on an adoption: <c>atLeast:13</c>, <c>unanimity</c>, <c>simpleMajority(abstentions ignored)</c>.</summary>
    public override string ToString() => Kind switch
    {
        VotingRuleKind.AtLeast => $"atLeast:{Count}",
        VotingRuleKind.Unanimity => Abstentions == AbstentionTreatment.Ignored ? "unanimity(abstentions ignored)" : "unanimity",
        _ => Abstentions == AbstentionTreatment.Ignored ? "simpleMajority(abstentions ignored)" : "simpleMajority(abstentions count)",
    };
}
