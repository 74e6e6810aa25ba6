using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

[Collection(AppCollection.Name)]
public sealed class CommentTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private const string P1V1 = "Die Länder richten ein gemeinsames Lagezentrum ein.";
    private const string P1V2 = "Die Länder richten bis 2027 ein gemeinsames Lagezentrum ein.";

    private async Task<Guid> CommentOn(Guid id, string token, string text, string paragraphId, string? quote = null)
    {
        var response = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", token, new { text, paragraphId, quote });
        Api.Expect(response, 201);
        return response.Json["commentId"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task A_comment_written_on_version_2_is_still_shown_on_version_4_and_marked_outdated_after_its_span_changed()
    {
        var bayern = await Api.Representative("DE-BY");
        var hessen = await Api.Representative("DE-HE");
        var id = (await Api.Propose(bayern, "Cybersicherheit", P1V1, "Der Bund beteiligt sich.")).Id;
        Api.Expect(await Api.EditFrom(id, bayern, 1, new { id = "p1", text = P1V2 }, new { id = "p2", text = "Der Bund beteiligt sich." }), 200);

        var onSpan = await CommentOn(id, hessen, "Zu knapp bemessen.", "p1", "bis 2027");
        var onParagraph = await CommentOn(id, hessen, "Grundsätzlich einverstanden.", "p2");
        var written = await Api.Get(id, hessen);
        written.TextVersion.ShouldBe(2);

        // Text version 3: p1 changes before the quoted passage, which moves along; p2 stays as it was.
        Api.Expect(await Api.EditFrom(id, bayern, 2,
            new { id = "p1", text = "Die sechzehn Länder richten bis 2027 ein gemeinsames Lagezentrum ein." }, new { id = "p2", text = "Der Bund beteiligt sich." }), 200);
        var three = await Api.Get(id, hessen);
        var followed = three.Comments.Single(c => c.Id == onSpan);
        (followed.ParagraphId, followed.Quote, followed.Outdated).ShouldBe(("p1", "bis 2027", false));
        followed.QuoteStart.ShouldBe("Die sechzehn Länder richten ".Length);
        three.Comments.Single(c => c.Id == onParagraph).Outdated.ShouldBeFalse();

        // Text version 4, merged from base 3 by another Land: the quoted passage itself changes.
        Api.Expect(await Api.EditFrom(id, await Api.Representative("DE-SN"), 3,
            new { id = "p1", text = "Die sechzehn Länder richten bis Ende 2028 ein gemeinsames Lagezentrum ein." }, new { id = "p2", text = "Der Bund beteiligt sich." }), 200);
        var four = await Api.Get(id, hessen);
        four.TextVersion.ShouldBe(4);
        var outdated = four.Comments.Single(c => c.Id == onSpan);
        outdated.ShouldSatisfyAllConditions(
            c => c.Text.ShouldBe("Zu knapp bemessen."),
            c => c.TextVersion.ShouldBe(2),
            c => c.ParagraphId.ShouldBe("p1"),
            c => c.Outdated.ShouldBeTrue(),
            c => c.QuoteStart.ShouldBeNull(),
            c => c.Quote.ShouldBe("bis 2027"),
            c => c.WrittenAgainst.ShouldBe(P1V2));
        four.Comments.Single(c => c.Id == onParagraph).Outdated.ShouldBeFalse();

        // As of text version 3 the same comment was current; history shows it so.
        var asOfThree = await Api.Get(id, hessen, $"?version={three.Version}");
        asOfThree.Comments.Single(c => c.Id == onSpan).Outdated.ShouldBeFalse();
        asOfThree.Comments.Single(c => c.Id == onSpan).QuoteStart.ShouldBe(followed.QuoteStart);
    }

    [Fact]
    public async Task A_quoted_comment_follows_its_paragraph_through_accepted_amendments_and_resolved_brackets()
    {
        var thueringen = await Api.Representative("DE-TH");
        var chair = await Api.Chair();
        var id = (await Api.Propose(thueringen, "Mobilität", "Die Länder bauen den Nahverkehr aus.", "Der Bund finanziert die Hälfte der Kosten.")).Id;
        var comment = await CommentOn(id, await Api.Representative("DE-MV"), "Welche Kosten?", "p2", "der Kosten");

        var amendment = await Api.ProposeAmendment(id, await Api.Representative("DE-BB"), 1, "Klarer.",
            new { kind = "insert", after = (string?)null, text = "Die Länder stimmen sich ab." },
            new { kind = "replaceSpan", paragraphId = "p2", quote = "Der Bund", text = "Der Bund allein" });
        Api.Expect(await Api.DecideAmendment(id, amendment, chair, "accept"), 200);
        var afterAmendment = (await Api.Get(id, chair)).Comments.Single(c => c.Id == comment);
        (afterAmendment.ParagraphId, afterAmendment.Outdated, afterAmendment.QuoteStart).ShouldBe(("p2", false, (int?)"Der Bund allein finanziert die Hälfte ".Length));

        var bracket = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", thueringen, new { paragraphId = "p2", quote = "die Hälfte", alternatives = new[] { "ein Drittel" } });
        Api.Expect(bracket, 201);
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets/{bracket.Json["bracketId"]}/resolution", chair, new { alternative = 1 }), 200);
        var view = await Api.Get(id, chair);
        view.Paragraphs.Single(p => p.Id == "p2").Text.ShouldBe("Der Bund allein finanziert ein Drittel der Kosten.");
        var afterBracket = view.Comments.Single(c => c.Id == comment);
        (afterBracket.Outdated, afterBracket.QuoteStart).ShouldBe((false, (int?)"Der Bund allein finanziert ein Drittel ".Length));
    }

    [Fact]
    public async Task A_comment_on_a_whole_paragraph_is_outdated_once_the_paragraph_changes_or_goes()
    {
        var berlin = await Api.Representative("DE-BE");
        var id = (await Api.Propose(berlin, "Wasserstoff", "Die Länder bauen Netze auf.", "Der Bund fördert.")).Id;
        var onP1 = await CommentOn(id, berlin, "Welche Netze?", "p1");
        var onP2 = await CommentOn(id, berlin, "In welcher Höhe?", "p2");
        Api.Expect(await Api.EditFrom(id, berlin, 1, new { id = "p1", text = "Die Länder bauen Wasserstoffnetze auf." }), 200);

        var view = await Api.Get(id, berlin);
        view.Comments.Single(c => c.Id == onP1).ShouldSatisfyAllConditions(c => c.Outdated.ShouldBeTrue(), c => c.WrittenAgainst.ShouldBe("Die Länder bauen Netze auf."));
        view.Comments.Single(c => c.Id == onP2).ShouldSatisfyAllConditions(c => c.Outdated.ShouldBeTrue(), c => c.ParagraphId.ShouldBe("p2"));
        view.Paragraphs.Select(p => p.Id).ShouldBe(["p1"]);
    }

    [Fact]
    public async Task A_thread_takes_replies_is_resolved_by_its_author_or_the_chair_and_reopened_by_anyone_who_writes()
    {
        var nrw = await Api.Representative("DE-NW");
        var hamburg = await Api.Representative("DE-HH");
        var bremen = await Api.Representative("DE-HB");
        var id = (await Api.Propose(nrw, "Fachkräfte", "Die Länder werben gemeinsam um Fachkräfte.")).Id;
        var comment = await CommentOn(id, hamburg, "Auch im Ausland?", "p1", "gemeinsam");

        var reply = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/replies", nrw, new { text = "Ja, mit dem Bund." });
        Api.Expect(reply, 201);
        var replyId = reply.Json["replyId"]!.GetValue<Guid>();

        var before = await app.EventCount();
        var notYours = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/resolution", bremen);
        notYours.Status.ShouldBe(403);
        notYours.ProblemType.ShouldBe("/problems/forbidden");
        (await app.EventCount()).ShouldBe(before);

        var resolved = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/resolution", hamburg);
        Api.Expect(resolved, 200);
        resolved.Json["resolved"]!.GetValue<bool>().ShouldBeTrue();
        var version = resolved.Json["version"]!.GetValue<long>();
        var again = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/resolution", await Api.Chair());
        Api.Expect(again, 200);
        again.Json["version"]!.GetValue<long>().ShouldBe(version);

        var view = await Api.Get(id, bremen);
        var thread = view.Comments.ShouldHaveSingleItem();
        thread.Resolved.ShouldBeTrue();
        thread.Resolution!.ResolvedBy.ActingFor.ShouldBe("DE-HH");
        thread.Replies!.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            r => r.Id.ShouldBe(replyId), r => r.Text.ShouldBe("Ja, mit dem Bund."), r => r.By.ActingFor.ShouldBe("DE-NW"));

        Api.Expect(await Api.Send(HttpMethod.Delete, $"/api/resolutions/{id}/comments/{comment}/resolution", bremen), 200);
        var reopened = (await Api.Get(id, bremen)).Comments.Single();
        (reopened.Resolved, reopened.Resolution).ShouldBe((false, (CommentResolutionView?)null));
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/resolution", await Api.Chair()), 200);

        (await Api.AuditTrail(id, nrw)).Select(e => e.EventType).ShouldBe([
            "resolution_proposed", "comment_added", "comment_replied", "comment_resolved", "comment_reopened", "comment_resolved"]);
        var changes = (await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/changes?from=2", nrw)).As<ResolutionChanges>();
        changes.NewComments.ShouldBeEmpty();
        changes.ChangedComments.ShouldHaveSingleItem().ShouldSatisfyAllConditions(c => c.Resolved.ShouldBeTrue(), c => c.Replies!.Count.ShouldBe(1));

        var timeline = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/timeline", nrw);
        timeline.Body.ShouldContain("hat auf einen Kommentar geantwortet");
        timeline.Body.ShouldContain("hat die Stelle „gemeinsam“ kommentiert");
    }

    [Fact]
    public async Task Comments_with_a_bad_anchor_or_from_a_reader_are_refused_and_append_nothing()
    {
        var saarland = await Api.Representative("DE-SL");
        var id = (await Api.Propose(saarland, "Grenzregion", "Die Länder stärken die Zusammenarbeit.")).Id;
        var comment = await CommentOn(id, saarland, "Mit Frankreich.", "p1");
        var observer = await Api.Token("Beobachtung", null, "observer");
        var before = await app.EventCount();

        async Task Refused(Task<Response> call, int status, string type)
        {
            var response = await call;
            response.Status.ShouldBe(status, response.Body);
            response.ProblemType.ShouldBe(type);
        }

        await Refused(Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", saarland, new { text = "x", paragraphId = "p1", quote = "Luxemburg" }), 400, "/problems/invalid-input");
        await Refused(Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", saarland, new { text = "x", quote = "Länder" }), 400, "/problems/invalid-input");
        await Refused(Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", saarland, new { text = "x", paragraphId = "p1", quote = "Länder", occurrence = 2 }), 400, "/problems/invalid-input");
        await Refused(Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", observer, new { text = "x" }), 403, "/problems/forbidden");
        await Refused(Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/replies", saarland, new { text = "" }), 400, "/problems/invalid-input");
        await Refused(Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/replies", observer, new { text = "Leser schreiben nicht." }), 403, "/problems/forbidden");
        await Refused(Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{Guid.NewGuid()}/replies", saarland, new { text = "Wohin?" }), 404, "/problems/not-found");
        await Refused(Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{Guid.NewGuid()}/resolution", saarland), 404, "/problems/not-found");
        await Refused(Api.Send(HttpMethod.Delete, $"/api/resolutions/{id}/comments/{comment}/resolution", observer), 403, "/problems/forbidden");

        (await app.EventCount()).ShouldBe(before);
    }
}
