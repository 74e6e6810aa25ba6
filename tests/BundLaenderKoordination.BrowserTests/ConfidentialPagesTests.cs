using Microsoft.Playwright;
using Shouldly;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>The pages read through the API with the reader's own token: a restricted resolution is not found on any of them for a non-member.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConfidentialPagesTests(BrowserFixture app)
{
    [Fact]
    public async Task A_restricted_resolution_is_not_found_on_any_page_for_a_non_member_and_shown_to_a_member()
    {
        var word = "Vorabpapier" + Guid.NewGuid().ToString("N")[..6];
        var title = $"{word} der Länder Bayern und Hessen";
        var bayern = await app.Token("Vertretung Bayern Papier", "DE-BY", "representative");
        var created = await app.Api(HttpMethod.Post, "/api/resolutions", bayern,
            new { body = "D16", title, paragraphs = new[] { "Bayern und Hessen stimmen sich vorab ab." }, restrictedTo = new[] { "DE-BY", "DE-HE" } });
        var id = created["id"]!.GetValue<string>();
        await app.ProjectionsCaughtUp(); // lists and search are kept by the projection daemon

        var outsider = await app.SignedIn("Vertretung NRW Papier", "DE-NW", "representative");
        foreach (var path in new[] { $"/beschluesse/{id}", $"/beschluesse/{id}/verlauf", $"/beschluesse/{id}/live" })
            (await outsider.GotoAsync(path))!.Status.ShouldBe(404, path);
        await outsider.GotoAsync("/");
        await Assertions.Expect(outsider.GetByText(title)).ToHaveCountAsync(0);
        await outsider.GotoAsync("/?q=" + word);
        await Assertions.Expect(outsider.GetByText(title)).ToHaveCountAsync(0);

        var auditor = await app.SignedIn("Prüfung Papier", null, "auditor");
        (await auditor.GotoAsync($"/pruefung?beschluss={id}"))!.Status.ShouldBe(404);
        await auditor.GotoAsync("/pruefung");
        await Assertions.Expect(auditor.GetByText(title)).ToHaveCountAsync(0);

        var member = await app.SignedIn("Vertretung Hessen Papier", "DE-HE", "representative");
        await member.GotoAsync("/");
        await Assertions.Expect(member.GetByText(title)).ToBeVisibleAsync();
        (await member.GotoAsync($"/beschluesse/{id}"))!.Status.ShouldBe(200);
        await Assertions.Expect(member.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Assertions.Expect(member.GetByTestId("restricted-to")).ToHaveTextAsync("Freistaat Bayern, Hessen");
        (await member.GotoAsync($"/beschluesse/{id}/verlauf"))!.Status.ShouldBe(200);
    }
}
