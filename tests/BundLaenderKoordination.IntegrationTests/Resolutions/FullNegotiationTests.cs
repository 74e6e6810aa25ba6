using BundLaenderKoordination.Tests.Shared;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class FullNegotiationTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    [Fact]
    public async Task A_full_negotiation_leaves_the_right_current_state_history_and_audit_trail()
    {
        var bayern = await Api.Representative("DE-BY");
        var hessen = await Api.Representative("DE-HE");
        var berlin = await Api.Representative("BE");
        var chair = await Api.Chair("DE-BY");
        var observer = await Api.Token("Beobachterin", null, "observer");

        // The live view right after each write, to compare with the history later.
        var seen = new Dictionary<long, ResolutionView>();
        async Task Capture(Guid resolution)
        {
            var view = await Api.Get(resolution, observer);
            seen[view.Version] = view;
        }

        var proposed = await Api.Propose(bayern, "KI-Programm für KMU",
            "Die Länder bitten die Bundesregierung, ein KI-Programm für KMU aufzunehmen.",
            "Regionale Strukturen sollen unterstützt werden.");
        var id = proposed.Id;
        proposed.Version.ShouldBe(1);
        proposed.TextVersion.ShouldBe(1);
        await Capture(id);

        var afterFirstEdit = await Api.Edit(id, hessen, 1,
            new { id = "p1", text = "Die Länder bitten die Bundesregierung, ein konkretes KI-Programm für KMU aufzunehmen." },
            new { id = "p2", text = "Regionale Strukturen sollen unterstützt werden." },
            new { text = "Europäische Finanzmittel sollen mobilisiert werden." });
        Api.Expect(afterFirstEdit, 200);
        await Capture(id);
        Api.Expect(await Api.Comment(id, berlin, "Bitte den Umfang beziffern.", "p1"), 201);
        await Capture(id);
        var afterSecondEdit = await Api.Edit(id, berlin, 3,
            new { id = "p1", text = "Die Länder bitten die Bundesregierung, ein konkretes KI-Programm für KMU aufzunehmen." },
            new { id = "p3", text = "Europäische Finanzmittel sollen mobilisiert werden." });
        Api.Expect(afterSecondEdit, 200);
        await Capture(id);
        Api.Expect(await Api.Comment(id, hessen, "Einverstanden."), 201);
        await Capture(id);

        var yes = Api.Laender.Take(14).ToList();
        Api.Expect(await Api.OpenBallot(id, chair), 201);
        await Capture(id);
        foreach (var land in yes)
        {
            Api.Expect(await Api.Vote(id, await Api.Representative(land), "yes", 3), 200);
            await Capture(id);
        }
        Api.Expect(await Api.Vote(id, await Api.Representative("DE-TH"), "abstain", 3), 200);
        await Capture(id);
        var versionBeforeAdoption = await app.StreamVersion(id);
        Api.Expect(await Api.Adopt(id, chair, versionBeforeAdoption), 200);
        await Capture(id);

        // The current state.
        var current = await Api.Get(id, observer);
        current.Status.ShouldBe(ResolutionStatus.Adopted);
        // The ballot's result and the adoption that follows from it are written together.
        current.Version.ShouldBe(5 + 1 + 15 + 2);
        current.TextVersion.ShouldBe(3);
        current.Paragraphs.Select(p => p.Id).ShouldBe(["p1", "p3"]);
        current.TextHash.ShouldBe(Oracles.TextHash("KI-Programm für KMU", current.Paragraphs.Select(p => (p.Id, p.Text))));
        current.Votes.Count.ShouldBe(15);
        current.Votes.Where(v => v.Choice == VoteChoice.Yes).Select(v => v.Land).ShouldBe(yes.Order(StringComparer.Ordinal));
        current.Votes.ShouldAllBe(v => v.TextVersion == 3 && v.OnCurrentText && v.CastBy.ActingFor == v.Land);
        current.Comments.Select(c => (c.Text, c.ParagraphId, c.By.ActingFor))
            .ShouldBe([("Bitte den Umfang beziffern.", "p1", "DE-BE"), ("Einverstanden.", (string?)null, "DE-HE")]);
        current.Adoption!.Yes.Count.ShouldBe(14);
        current.Adoption.Abstain.ShouldBe(["DE-TH"]);
        current.Adoption.AdoptedBy.Role.ShouldBe("chair");

        // The state at each earlier version is exactly what readers saw right after that version was written.
        var trail = await Api.AuditTrail(id, observer);
        trail.Count.ShouldBe((int)current.Version);
        seen.Keys.Order().ShouldBe(Enumerable.Range(1, (int)current.Version).Where(v => v != current.Version - 1).Select(v => (long)v));
        foreach (var (version, view) in seen)
        {
            var asOf = await Api.Get(id, observer, $"?version={version}");
            asOf.ShouldBeEquivalentTo(view);
        }
        var atOne = await Api.Get(id, observer, "?version=1");
        atOne.Paragraphs.Select(p => p.Id).ShouldBe(["p1", "p2"]);
        atOne.Status.ShouldBe(ResolutionStatus.UnderNegotiation);
        atOne.Votes.ShouldBeEmpty();
        var atTwo = await Api.Get(id, observer, "?version=2");
        atTwo.TextVersion.ShouldBe(2);
        atTwo.Paragraphs.Select(p => p.Id).ShouldBe(["p1", "p2", "p3"]);
        atTwo.TextHash.ShouldBe(afterFirstEdit.Json["textHash"]!.GetValue<string>());
        var atFour = await Api.Get(id, observer, "?version=4");
        atFour.TextVersion.ShouldBe(3);
        atFour.Comments.Count.ShouldBe(1);
        var beforeAdoption = await Api.Get(id, observer, $"?version={versionBeforeAdoption}");
        beforeAdoption.Status.ShouldBe(ResolutionStatus.UnderNegotiation);
        beforeAdoption.Votes.Count.ShouldBe(15);
        (beforeAdoption with { Version = current.Version, Status = current.Status, Adoption = current.Adoption, LastChangedAt = current.LastChangedAt, Ballots = current.Ballots })
            .ShouldBeEquivalentTo(current);

        // The same by instant: the moment of each audit entry shows the state right after it.
        foreach (var entry in new[] { trail[0], trail[2], trail[^1] })
        {
            var at = await Api.Get(id, observer, $"?at={Uri.EscapeDataString(entry.RecordedAt.ToString("O"))}");
            at.Version.ShouldBe(entry.Version);
        }

        // The audit trail: one entry per event, in order, with person, Land, time and text.
        trail.Select(e => e.Version).ShouldBe(Enumerable.Range(1, (int)current.Version).Select(v => (long)v));
        trail.Select(e => e.Sequence).ShouldBeInOrder();
        trail[0].EventType.ShouldBe("resolution_proposed");
        trail[0].PersonName.ShouldBe("Vertretung DE-BY");
        trail[0].ActingFor.ShouldBe("DE-BY");
        trail[1].EventType.ShouldBe("resolution_text_edited");
        trail[1].ActingFor.ShouldBe("DE-HE");
        trail[1].TextVersion.ShouldBe(2);
        trail[2].EventType.ShouldBe("comment_added");
        trail[2].ActingFor.ShouldBe("DE-BE");
        trail[3].TextHash.ShouldBe(current.TextHash);
        trail.Where(e => e.EventType == "vote_cast").Select(e => e.ActingFor).ShouldBe([.. yes, "DE-TH"]);
        trail[^2].EventType.ShouldBe("ballot_closed");
        trail[^1].EventType.ShouldBe("resolution_adopted");
        trail[^1].Role.ShouldBe("chair");
        trail.ShouldAllBe(e => e.PersonId.StartsWith("dev:") && e.Summary.Length > 0
                               && e.At > DateTimeOffset.UtcNow.AddMinutes(-10) && e.At <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task The_list_shows_each_resolution_with_its_status_and_versions()
    {
        var bayern = await Api.Representative("BY");
        var proposed = await Api.Propose(bayern, "Gemeinsame Cloud-Strategie", "Die Länder prüfen eine gemeinsame Cloud.");
        var response = await Api.Send(HttpMethod.Get, "/api/resolutions", await Api.Token("Presse", null, "observer"));
        Api.Expect(response, 200);
        var item = response.As<List<ResolutionSummary>>().Single(r => r.Id == proposed.Id);
        item.ShouldBe(item with { Title = "Gemeinsame Cloud-Strategie", Body = "D16", Status = ResolutionStatus.UnderNegotiation, Version = 1, TextVersion = 1 });
    }
}
