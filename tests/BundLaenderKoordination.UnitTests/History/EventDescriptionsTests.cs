using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.History;
using JasperFx.Events;

namespace BundLaenderKoordination.UnitTests.History;

public class EventDescriptionsTests
{
    private sealed record DeadlineSet(DateTimeOffset Deadline, Actor SetBy, DateTimeOffset SetAt);

    private sealed record Unstamped(string Note);

    private static readonly Actor Chair = new("p-1", "Clara Chair", "DE-RP", Roles.Chair);

    [Fact]
    public void An_undescribed_event_is_dated_by_its_own_instant_not_by_another_one_it_carries()
    {
        var deadline = new DateTimeOffset(2027, 1, 15, 12, 0, 0, TimeSpan.Zero);
        var setAt = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
        var e = new Event<DeadlineSet>(new DeadlineSet(deadline, Chair, setAt)) { EventTypeName = "deadline_set" };

        var description = EventDescriptions.Describe(e, Language.German);

        Assert.Equal(setAt, description.At);
        Assert.Equal(Chair, description.Actor);
        Assert.Equal("deadline set", description.Label);
        Assert.Contains("Clara Chair (Vorsitz, Rheinland-Pfalz)", description.Text);
    }

    [Fact]
    public void An_undescribed_event_without_an_instant_is_dated_by_its_commit()
    {
        var committed = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        var e = new Event<Unstamped>(new Unstamped("x")) { EventTypeName = "unstamped", Timestamp = committed };

        var description = EventDescriptions.Describe(e, Language.English);

        Assert.Equal(committed, description.At);
        Assert.Null(description.Actor);
        Assert.Equal("unstamped", description.Text);
    }

    [Theory]
    [InlineData("atLeast:13", "mindestens 13 Ja-Stimmen", "at least 13 yes votes")]
    [InlineData("unanimity", "Einstimmigkeit, Enthaltung zählt als Nicht-Ja", "unanimity, an abstention is not a yes")]
    [InlineData("unanimity(abstentions ignored)", "Einstimmigkeit, Enthaltungen zählen nicht", "unanimity, abstentions ignored")]
    [InlineData("simpleMajority(abstentions count)", "einfache Mehrheit der abgegebenen Stimmen, Enthaltungen zählen mit", "simple majority of votes cast, abstentions counted")]
    [InlineData("simpleMajority(abstentions ignored)", "einfache Mehrheit der abgegebenen Stimmen, Enthaltungen zählen nicht", "simple majority of votes cast, abstentions ignored")]
    public void A_recorded_rule_is_described_in_words(string recorded, string german, string english)
    {
        Assert.Equal(german, EventDescriptions.RuleLabel(recorded, german: true));
        Assert.Equal(english, EventDescriptions.RuleLabel(recorded, german: false));
    }

    [Fact]
    public void Every_rule_a_body_can_be_given_has_words()
    {
        VotingRule[] rules =
        [
            VotingRule.AtLeastOf(9), VotingRule.Unanimous(), VotingRule.Unanimous(AbstentionTreatment.Ignored),
            VotingRule.Majority(AbstentionTreatment.NotYes), VotingRule.Majority(AbstentionTreatment.Ignored),
        ];
        foreach (var rule in rules)
        {
            Assert.NotEqual(rule.ToString(), EventDescriptions.RuleLabel(rule.ToString(), german: true));
            Assert.NotEqual(rule.ToString(), EventDescriptions.RuleLabel(rule.ToString(), german: false));
        }
    }

    [Fact]
    public void A_rule_recorded_in_a_form_not_known_here_is_shown_as_recorded()
    {
        Assert.Equal("qualifiedMajority:2/3", EventDescriptions.RuleLabel("qualifiedMajority:2/3", german: true));
    }
}
