using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The pages speak German local time: a chair types the start of a session as the time on a clock in Germany, the
/// service stores the instant, and the pages show it back as German time, on either side of a change to summer time.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GermanTimeTests(BrowserFixture app)
{
    [Fact]
    public async Task A_session_start_typed_in_German_time_is_stored_as_the_right_instant_in_winter_and_in_summer_time()
    {
        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair");
        var token = await app.Token("Lea Schulte", "DE-BY", "chair");

        // Clocks in Germany go from 02:00 to 03:00 on 28 March 2027: 10:00 is 09:00 UTC the day before, 08:00 UTC the day after.
        var winter = await Schedule(chair, "2027-03-27T10:00");
        await Expect(chair.Locator("h1")).ToContainTextAsync("27.03.2027, 10:00 Uhr");
        var summer = await Schedule(chair, "2027-03-29T10:00");
        await Expect(chair.Locator("h1")).ToContainTextAsync("29.03.2027, 10:00 Uhr");
        await chair.ShouldBeAccessible();

        (await StoredStart(winter, token)).ShouldBe(new DateTimeOffset(2027, 3, 27, 9, 0, 0, TimeSpan.Zero));
        (await StoredStart(summer, token)).ShouldBe(new DateTimeOffset(2027, 3, 29, 8, 0, 0, TimeSpan.Zero));

        // The list of the body's sessions shows both in German time; no page says UTC.
        await chair.GotoAsync("/gremien/D16");
        await Expect(chair.GetByTestId("sessions")).ToContainTextAsync("27.03.2027, 10:00 Uhr");
        await Expect(chair.GetByTestId("sessions")).ToContainTextAsync("29.03.2027, 10:00 Uhr");
        (await chair.Locator("main").InnerTextAsync()).ShouldNotContain("UTC");

        // 02:30 on the night of the change does not exist in Germany: the page says so and keeps what was typed.
        await chair.GetByTestId("schedule").Locator("summary").ClickAsync();
        await chair.GetByLabel("Beginn (deutsche Zeit)").FillAsync("2027-03-28T02:30");
        await chair.GetByRole(AriaRole.Button, new() { Name = "Anberaumen" }).ClickAsync();
        await Expect(chair.GetByTestId("error")).ToContainTextAsync("Diese Uhrzeit gibt es in Deutschland nicht");
        await Expect(chair.GetByLabel("Beginn (deutsche Zeit)")).ToHaveValueAsync("2027-03-28T02:30");
        await chair.Context.CloseAsync();
    }

    private static async Task<Guid> Schedule(IPage chair, string localStart)
    {
        await chair.GotoAsync("/gremien/D16");
        await chair.GetByTestId("schedule").Locator("summary").ClickAsync();
        await chair.GetByLabel("Beginn (deutsche Zeit)").FillAsync(localStart);
        await chair.GetByRole(AriaRole.Button, new() { Name = "Anberaumen" }).ClickAsync();
        await Expect(chair.GetByTestId("session-status")).ToHaveTextAsync("anberaumt");
        return Guid.Parse(new Uri(chair.Url).Segments.Last());
    }

    private async Task<DateTimeOffset> StoredStart(Guid session, string token) =>
        DateTimeOffset.Parse((await app.Api(HttpMethod.Get, $"/api/sessions/{session}", token))["session"]!["startsAt"]!.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture);
}
