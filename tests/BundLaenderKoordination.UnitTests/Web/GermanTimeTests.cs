using BundLaenderKoordination.Api.Web;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Web;

/// <summary>The pages show and read German local time, daylight saving time included.</summary>
public sealed class GermanTimeTests
{
    [Theory]
    [InlineData("2026-12-15T09:00:00Z", "15.12.2026, 10:00 Uhr", "15 Dec 2026, 10:00 CET")]
    [InlineData("2027-07-01T08:00:00Z", "01.07.2027, 10:00 Uhr", "1 Jul 2027, 10:00 CEST")]
    public void An_instant_is_shown_as_the_time_on_a_clock_in_Germany(string instant, string german, string english)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        GermanTime.Format(at, english: false).ShouldBe(german);
        GermanTime.Format(at, english: true).ShouldBe(english);
    }

    [Theory]
    [InlineData("2027-03-27T10:00", "2027-03-27T09:00:00Z")]
    [InlineData("2027-03-29T10:00", "2027-03-29T08:00:00Z")]
    [InlineData("2027-03-28T03:00", "2027-03-28T01:00:00Z")]
    [InlineData("2026-10-25T02:30", "2026-10-25T00:30:00Z")] // the hour that occurs twice: the first one, still summer time
    [InlineData("2026-10-25T03:00", "2026-10-25T02:00:00Z")]
    public void A_typed_German_time_is_read_as_the_instant_it_names(string typed, string instant)
    {
        GermanTime.TryRead(typed, out var at).ShouldBe(GermanTime.Problem.None);
        at.ShouldBe(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));
        at.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("2027-03-28T02:30", GermanTime.Problem.Skipped)]
    [InlineData("", GermanTime.Problem.Missing)]
    [InlineData("morgen früh", GermanTime.Problem.Unreadable)]
    public void A_time_that_does_not_exist_in_Germany_or_cannot_be_read_is_refused(string typed, GermanTime.Problem problem) =>
        GermanTime.TryRead(typed, out _).ShouldBe(problem);

    [Fact]
    public void The_value_of_a_date_field_round_trips()
    {
        var at = new DateTimeOffset(2027, 3, 29, 8, 0, 0, TimeSpan.Zero);
        GermanTime.InputValue(at).ShouldBe("2027-03-29T10:00");
        GermanTime.TryRead(GermanTime.InputValue(at), out var back).ShouldBe(GermanTime.Problem.None);
        back.ShouldBe(at);
    }
}
