using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class AmendmentTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task<Guid> Proposed() =>
        (await Api.Propose(await Api.Representative("DE-NW"), "Verwaltungsdigitalisierung",
            "Die Länder digitalisieren ihre Verwaltungsleistungen bis 2028.",
            "Der Bund stellt Basisdienste bereit.",
            "Die Länder berichten jährlich.")).Id;

    [Fact]
    public async Task A_Land_has_a_bounded_number_of_open_amendments_per_resolution()
    {
        var id = await Proposed();
        var hessen = await Api.Representative("DE-HE");
        var proposed = new List<Guid>();
        for (var i = 0; i < AmendmentDecisions.MaxOpenAmendmentsPerLand; i++)
            proposed.Add(await Api.ProposeAmendment(id, hessen, 1, $"Vorschlag {i}.", new { kind = "replaceSpan", paragraphId = "p1", quote = "2028", text = $"{2030 + i}" }));
        var before = await app.StreamVersion(id);

        var oneMore = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", hessen,
            new { baseTextVersion = 1, changes = new[] { new { kind = "delete", paragraphId = "p3" } }, rationale = "Noch einer." });
        oneMore.Status.ShouldBe(422);
        oneMore.ProblemType.ShouldBe(AmendmentDecisions.TooManyOpenAmendments);
        (await app.StreamVersion(id)).ShouldBe(before);

        // An open amendment can still be revised, and another Land is not affected.
        Api.Expect(await Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/amendments/{proposed[0]}", hessen,
            new { baseTextVersion = 1, changes = new[] { new { kind = "delete", paragraphId = "p3" } }, rationale = "Anders." }), 200);
        await Api.ProposeAmendment(id, await Api.Representative("DE-SN"), 1, "Kürzer.", new { kind = "delete", paragraphId = "p3" });
    }

    [Fact]
    public async Task The_diffs_of_all_open_amendments_come_from_one_read_and_match_each_amendments_own()
    {
        var id = await Proposed();
        var reader = await Api.Token("Beobachtung Änderungen", null, "observer");
        var onP1 = await Api.ProposeAmendment(id, await Api.Representative("DE-HE"), 1, "Später.",
            new { kind = "replaceSpan", paragraphId = "p1", quote = "2028", text = "2030" });
        var onP3 = await Api.ProposeAmendment(id, await Api.Representative("DE-SN"), 1, "Kürzer.", new { kind = "delete", paragraphId = "p3" });
        Api.Expect(await Api.DecideAmendment(id, onP3, await Api.Chair(), "reject", reason: "Bleibt."), 200);
        var onP2 = await Api.ProposeAmendment(id, await Api.Representative("DE-BE"), 1, "Klarer.",
            new { kind = "replace", paragraphId = "p2", text = "Der Bund stellt Basisdienste bereit und betreibt sie." });

        var all = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/amendments/diffs", reader);
        all.Status.ShouldBe(200, all.Body);
        var amendments = all.Json["amendments"]!.AsArray();
        amendments.Select(a => a!["amendmentId"]!.GetValue<Guid>()).ShouldBe([onP1, onP2]);
        foreach (var amendment in amendments)
        {
            var own = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/amendments/{amendment!["amendmentId"]}/diff", reader);
            System.Text.Json.Nodes.JsonNode.DeepEquals(own.Json, amendment).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task An_untouched_amendment_applies_a_changed_one_is_marked_conflicting_and_a_revised_one_applies()
    {
        var id = await Proposed();
        var hessen = await Api.Representative("DE-HE");
        var sachsen = await Api.Representative("DE-SN");
        var chair = await Api.Chair();

        var onP1 = await Api.ProposeAmendment(id, hessen, 1, "Realistischer Zeitplan.",
            new { kind = "replaceSpan", paragraphId = "p1", quote = "2028", text = "2030" });
        var onP2 = await Api.ProposeAmendment(id, sachsen, 1, "Finanzierung klären.",
            new { kind = "replace", paragraphId = "p2", text = "Der Bund stellt Basisdienste bereit und finanziert ihren Betrieb." },
            new { kind = "insert", after = "p2", text = "Die Basisdienste sind quelloffen." });
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments/{onP2}/support", await Api.Representative("DE-TH")), 200);

        // Someone else changes p2 meanwhile.
        Api.Expect(await Api.EditFrom(id, await Api.Representative("DE-BE"), 1,
            new { id = "p1", text = "Die Länder digitalisieren ihre Verwaltungsleistungen bis 2028." },
            new { id = "p2", text = "Der Bund stellt Basisdienste kostenfrei bereit." },
            new { id = "p3", text = "Die Länder berichten jährlich." }), 200);

        var view = await Api.Get(id, chair);
        view.Amendments.Single(a => a.Id == onP1).Conflicting.ShouldBeFalse();
        var conflicting = view.Amendments.Single(a => a.Id == onP2);
        conflicting.Conflicting.ShouldBeTrue();
        conflicting.Supporters.ShouldBe(["DE-TH"]);
        conflicting.Conflicts.ShouldBe([new ParagraphConflict("p2", "Der Bund stellt Basisdienste bereit.",
            "Der Bund stellt Basisdienste kostenfrei bereit.", "Der Bund stellt Basisdienste bereit und finanziert ihren Betrieb.")]);

        var accepted = await Api.DecideAmendment(id, onP1, chair, "accept");
        Api.Expect(accepted, 200);
        accepted.Json["textVersion"]!.GetValue<int>().ShouldBe(3);

        var refused = await Api.DecideAmendment(id, onP2, chair, "accept");
        refused.Status.ShouldBe(409);
        refused.ProblemType.ShouldBe("/problems/amendment-conflict");
        refused.Json["conflicts"]![0]!["currentText"]!.GetValue<string>().ShouldBe("Der Bund stellt Basisdienste kostenfrei bereit.");

        Api.Expect(await Api.Send(HttpMethod.Put, $"/api/resolutions/{id}/amendments/{onP2}", sachsen, new
        {
            baseTextVersion = 3,
            rationale = "Finanzierung klären, auf die neue Fassung bezogen.",
            changes = new object[]
            {
                new { kind = "replace", paragraphId = "p2", text = "Der Bund stellt Basisdienste kostenfrei bereit und finanziert ihren Betrieb." },
                new { kind = "insert", after = "p2", text = "Die Basisdienste sind quelloffen." },
            },
        }), 200);
        (await Api.Get(id, chair)).Amendments.Single(a => a.Id == onP2).ShouldSatisfyAllConditions(
            a => a.Conflicting.ShouldBeFalse(), a => a.Supporters.ShouldBeEmpty(), a => a.BaseTextVersion.ShouldBe(3));

        Api.Expect(await Api.DecideAmendment(id, onP2, chair, "accept"), 200);
        var current = await Api.Get(id, chair);
        current.TextVersion.ShouldBe(4);
        current.Paragraphs.ShouldBe([
            new Paragraph("p1", "Die Länder digitalisieren ihre Verwaltungsleistungen bis 2030."),
            new Paragraph("p2", "Der Bund stellt Basisdienste kostenfrei bereit und finanziert ihren Betrieb."),
            new Paragraph("p4", "Die Basisdienste sind quelloffen."),
            new Paragraph("p3", "Die Länder berichten jährlich.")]);
        current.Amendments.ShouldAllBe(a => a.Status == AmendmentStatus.Accepted && a.Decision!.By.Role == "chair");
        var trail = await Api.AuditTrail(id, chair);
        trail.Select(e => e.EventType).ShouldContain("amendment_accepted");
        trail[^1].EventType.ShouldBe("resolution_text_edited");
        trail[^1].TextVersion.ShouldBe(4);
    }

    [Fact]
    public async Task Only_the_chair_or_the_proposing_Land_decides_and_a_rejection_keeps_the_text()
    {
        var id = await Proposed();
        var amendment = await Api.ProposeAmendment(id, await Api.Representative("DE-HE"), 1, "Kürzer.",
            new { kind = "delete", paragraphId = "p3" });

        (await Api.DecideAmendment(id, amendment, await Api.Representative("DE-HE"), "accept")).Status.ShouldBe(403);
        Api.Expect(await Api.DecideAmendment(id, amendment, await Api.Representative("DE-NW"), "reject", reason: "Berichte bleiben nötig."), 200);

        var view = await Api.Get(id, await Api.Chair());
        view.TextVersion.ShouldBe(1);
        view.Amendments.Single().Decision!.Reason.ShouldBe("Berichte bleiben nötig.");
        (await Api.DecideAmendment(id, amendment, await Api.Chair(), "accept")).ProblemType.ShouldBe("/problems/amendment-closed");
    }

    [Fact]
    public async Task An_acceptance_with_changes_keeps_the_deciders_reason()
    {
        var id = await Proposed();
        var amendment = await Api.ProposeAmendment(id, await Api.Representative("DE-HE"), 1, "Genauer.",
            new { kind = "replace", paragraphId = "p3", text = "Die Länder berichten halbjährlich." });

        Api.Expect(await Api.DecideAmendment(id, amendment, await Api.Chair(), "acceptWithChanges",
            [new { kind = "replace", paragraphId = "p3", text = "Die Länder berichten jährlich und auf Anfrage." }],
            reason: "  Halbjährlich ist zu aufwendig; auf Anfrage genügt.  "), 200);

        var view = await Api.Get(id, await Api.Chair());
        view.TextVersion.ShouldBe(2);
        var decision = view.Amendments.Single().Decision!;
        decision.WithChanges.ShouldBeTrue();
        decision.Reason.ShouldBe("Halbjährlich ist zu aufwendig; auf Anfrage genügt.");
        // The wording as accepted stays next to the proposal, for a reader to compare.
        decision.Applied.ShouldNotBeNull().Count.ShouldBe(1);
        BundLaenderKoordination.Api.Web.Pages.ResolutionModel.WholeParagraph(decision.Applied[0]).ShouldBe("Die Länder berichten jährlich und auf Anfrage.");
        view.Amendments.Single().Changes.Single().Text.ShouldBe("Die Länder berichten halbjährlich.");
    }

    [Fact]
    public async Task Malformed_amendments_are_refused_with_400()
    {
        var id = await Proposed();
        var token = await Api.Representative("DE-HE");
        async Task BadRequest(object body) =>
            (await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", token, body)).Status.ShouldBe(400);

        await BadRequest(new { baseTextVersion = 1, rationale = "r", changes = Array.Empty<object>() });
        await BadRequest(new { baseTextVersion = 1, changes = new[] { new { kind = "replace", paragraphId = "p1", text = "x" } } });
        await BadRequest(new { baseTextVersion = 1, rationale = "r", changes = new[] { new { kind = "rewrite", paragraphId = "p1", text = "x" } } });
        await BadRequest(new { baseTextVersion = 1, rationale = "r", changes = new[] { new { kind = "replace", paragraphId = "p1", text = new string('x', 20_001) } } });
        await BadRequest(new { baseTextVersion = 1, rationale = "r", changes = new[] { new { kind = "replace", paragraphId = "p1", text = "a\u0007b" } } });
        await BadRequest(new { baseTextVersion = 7, rationale = "r", changes = new[] { new { kind = "replace", paragraphId = "p1", text = "x" } } });
    }
}
