using BundLaenderKoordination.Api.Web;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>
/// The chair moves the deadline of an open ballot on the resolution's page, in German local time, at 1366 px and at
/// 390 px: the form starts with the deadline in force, a time gone by is refused in German next to it, the new deadline
/// is shown and is the instant the service stored; a representative is not offered the form.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BallotDeadlinePagesTests(BrowserFixture app)
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_chair_moves_the_ballot_deadline_in_German_time(int width)
    {
        var by = await app.Token("Anna Berger", "DE-BY", "representative");
        var created = await app.Api(HttpMethod.Post, "/api/resolutions", by,
            new { body = "D16", title = $"Frist verschieben {width} " + Guid.NewGuid().ToString("N")[..6], paragraphs = new[] { "Die Länder melden bis Jahresende." } });
        var id = created["id"]!.GetValue<string>();
        var chairToken = await app.Token("Lea Schulte", "DE-BY", "chair");
        var first = DateTimeOffset.UtcNow.AddDays(2);
        await app.Api(HttpMethod.Post, $"/api/resolutions/{id}/ballots", chairToken, new { matterType = "default", deadline = first.ToString("O") });

        var chair = await app.SignedIn("Lea Schulte", "DE-BY", "chair", width: width);
        await chair.GotoAsync($"/beschluesse/{id}");
        await chair.GetByTestId("change-deadline").Locator("summary").ClickAsync();
        var field = chair.GetByLabel("Neue Frist (deutsche Zeit)");
        await Expect(field).ToHaveValueAsync(GermanTime.InputValue(first));

        // A time gone by: the service refuses, the page says so in German next to the ballot.
        await field.FillAsync(GermanTime.InputValue(DateTimeOffset.UtcNow.AddHours(-3)));
        await chair.GetByRole(AriaRole.Button, new() { Name = "Frist speichern" }).ClickAsync();
        var error = chair.Locator("#votes [data-testid=error]");
        await Expect(error).ToContainTextAsync("nur für eine laufende Abstimmung");
        await Expect(error).Not.ToContainTextAsync("deadline");
        await Expect(error).ToBeFocusedAsync();

        // Ten o'clock German time, five days from now: the service stores that instant, the page shows it.
        var day = GermanTime.Local(DateTimeOffset.UtcNow).Date.AddDays(5);
        var typed = $"{day:yyyy-MM-dd}T10:00";
        var expected = new DateTimeOffset(day.AddHours(10), GermanTime.Zone.GetUtcOffset(day.AddHours(10)));
        // After the refusal the form stays open with what was typed.
        await Expect(field).ToBeVisibleAsync();
        await field.FillAsync(typed);
        await chair.GetByRole(AriaRole.Button, new() { Name = "Frist speichern" }).ClickAsync();
        await Expect(chair.Locator("#votes #feedback")).ToContainTextAsync("Frist geändert");
        await Expect(chair.Locator("#feedback")).ToBeFocusedAsync();
        await Expect(chair.GetByTestId("ballot-deadline")).ToContainTextAsync($"{day:dd.MM.yyyy}, 10:00 Uhr");
        await chair.ShouldBeAccessible();
        await Pages.ShouldNotPushSideways(chair);

        var view = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", chairToken);
        view["ballots"]![0]!["deadline"]!.GetValue<DateTimeOffset>().ShouldBe(expected);
        view["ballots"]![0]!["status"]!.GetValue<string>().ShouldBe("open");

        var he = await app.SignedIn($"Vertretung Hessen Fristwechsel {width}", "DE-HE", "representative", width: width);
        await he.GotoAsync($"/beschluesse/{id}");
        await Expect(he.GetByTestId("ballot-deadline")).ToContainTextAsync($"{day:dd.MM.yyyy}, 10:00 Uhr");
        await Expect(he.GetByTestId("change-deadline")).ToHaveCountAsync(0);
    }
}
