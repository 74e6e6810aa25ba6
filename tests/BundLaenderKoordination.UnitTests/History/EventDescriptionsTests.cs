using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions.History;
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
}
