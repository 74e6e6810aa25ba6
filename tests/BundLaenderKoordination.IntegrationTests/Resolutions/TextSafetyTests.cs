using Alba;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Resolutions;

/// <summary>Texts are plain text: nothing a browser could read as markup gets in, by whatever path a text is written.</summary>
[Collection(AppCollection.Name)]
public sealed class TextSafetyTests(AppFixture app)
{
    private ApiClient Api => app.Api;

    private async Task Unsafe(Func<Task<Response>> act)
    {
        var before = await app.EventCount();
        var response = await act();
        response.Status.ShouldBe(400, response.Body);
        response.ProblemType.ShouldBe("/problems/unsafe-text");
        response.Json["detail"]!.GetValue<string>().ShouldContain("plain text");
        (await app.EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task Markup_is_refused_on_every_path_that_writes_text_and_nothing_is_appended()
    {
        var rlp = await Api.Representative("DE-RP");
        var chair = await Api.Chair();
        var id = (await Api.Propose(rlp, "Katastrophenschutz", "Die Länder halten Reserven vor, wenn der Bedarf < 5 % liegt.", "Müller & Söhne liefern.")).Id;
        var amendment = await Api.ProposeAmendment(id, await Api.Representative("DE-BW"), 1, "Genauer.",
            new { kind = "replaceSpan", paragraphId = "p1", quote = "Reserven", text = "Materialreserven" });
        var bracket = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", rlp, new { paragraphId = "p2", quote = "liefern" });
        Api.Expect(bracket, 201);
        var bracketId = bracket.Json["bracketId"]!.GetValue<Guid>();
        var comment = (await Api.Comment(id, rlp, "Bitte prüfen.", "p1")).Json["commentId"]!.GetValue<Guid>();

        await Unsafe(() => Api.Send(HttpMethod.Post, "/api/resolutions", rlp, new { body = "D16", title = "<b>Titel</b>", paragraphs = new[] { "Text." } }));
        await Unsafe(() => Api.Send(HttpMethod.Post, "/api/resolutions", rlp, new { body = "D16", title = "Titel", paragraphs = new[] { "<script>alert(1)</script>" } }));
        await Unsafe(() => Api.EditFrom(id, rlp, 1, new { id = "p1", text = "Die Länder <img src=x onerror=alert(1)>." }));
        await Unsafe(() => Api.EditFrom(id, rlp, 1, new { id = "p1", text = "Die Länder &lt;halten&gt; Reserven vor." }));
        await Unsafe(() => Api.EditFrom(id, rlp, 1, new { id = "p1", text = "Die Länder halten \u202Enerevres\u202C vor." }));
        await Unsafe(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", rlp,
            new { baseTextVersion = 1, rationale = "Mehr.", changes = new[] { new { kind = "insert", after = "p1", text = "<!-- versteckt -->" } } }));
        await Unsafe(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", rlp,
            new { baseTextVersion = 1, rationale = "<a href=\"javascript:alert(1)\">Begründung</a>", changes = new[] { new { kind = "delete", paragraphId = "p2" } } }));
        // Each piece is harmless alone, but put together they would open a tag: "< 5" becomes "<b".
        await Unsafe(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", rlp,
            new { baseTextVersion = 1, rationale = "Anders.", changes = new[] { new { kind = "replaceSpan", paragraphId = "p1", quote = " 5", text = "b" } } }));
        await Unsafe(() => Api.DecideAmendment(id, amendment, chair, "acceptWithChanges",
            [new { kind = "replace", paragraphId = "p1", text = "<p>Neu</p>" }]));
        await Unsafe(() => Api.DecideAmendment(id, amendment, chair, "reject", reason: "</p>"));
        await Unsafe(() => Api.DecideAmendment(id, amendment, chair, "acceptWithChanges",
            [new { kind = "replace", paragraphId = "p1", text = "Neu" }], reason: "<b>ok</b>"));
        await Unsafe(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", rlp, new { paragraphId = "p1", quote = "Reserven", alternatives = new[] { "<svg onload=alert(1)>" } }));
        await Unsafe(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets/{bracketId}/alternatives", rlp, new { wording = "&#60;script&#62;" }));
        await Unsafe(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets/{bracketId}/resolution", chair, new { wording = "<?php ?>" }));
        await Unsafe(() => Api.Comment(id, rlp, "<iframe src=//example.org>"));
        await Unsafe(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", rlp, new { text = "Hier.", paragraphId = "p1", quote = "<b" }));
        await Unsafe(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/replies", rlp, new { text = "<style>body{display:none}</style>" }));

        // A paragraph id that is no id is refused without being repeated in the answer.
        foreach (var call in new Func<Task<Response>>[]
                 {
                     () => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", rlp, new { text = "Hier.", paragraphId = "<img src=x onerror=alert(1)>" }),
                     () => Api.EditFrom(id, rlp, 1, new { id = "<img src=x onerror=alert(1)>", text = "Text." }),
                     () => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/brackets", rlp, new { paragraphId = "<img src=x onerror=alert(1)>", quote = "x" }),
                     () => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", rlp,
                         new { baseTextVersion = 1, rationale = "Mehr.", changes = new[] { new { kind = "insert", after = "<img src=x onerror=alert(1)>", text = "Neu." } } }),
                 })
        {
            var before = await app.EventCount();
            var refused = await call();
            refused.Status.ShouldBe(400, refused.Body);
            refused.ProblemType.ShouldBe("/problems/invalid-input");
            refused.Body.ShouldNotContain("img");
            (await app.EventCount()).ShouldBe(before);
        }

        // No answer, a refusal included, may be taken for HTML by a browser guessing its type.
        foreach (var url in new[] { $"/api/resolutions/{id}", "/api/resolutions/%3Cscript%3E" })
            await Api.Host.Scenario(s =>
            {
                s.Get.Url(url);
                s.WithRequestHeader("Authorization", "Bearer " + rlp);
                s.IgnoreStatusCode();
                s.Header("X-Content-Type-Options").SingleValueShouldEqual("nosniff");
            });

        // Comparisons, ampersands and line breaks are plain text and pass.
        Api.Expect(await Api.EditFrom(id, rlp, 1,
            new { id = "p1", text = "Die Länder halten Reserven vor, wenn 3 < 5 und 5 > 3.\nAT&T, B & B, § 15 <3." }, new { id = "p2", text = "Müller & Söhne liefern." }), 200);
        (await Api.Get(id, rlp)).Paragraphs[0].Text.ShouldBe("Die Länder halten Reserven vor, wenn 3 < 5 und 5 > 3.\nAT&T, B & B, § 15 <3.");
    }

    private async Task Invisible(Func<Task<Response>> act)
    {
        var before = await app.EventCount();
        var response = await act();
        response.Status.ShouldBe(400, response.Body);
        response.ProblemType.ShouldBe("/problems/unsafe-text");
        response.Json["title"]!.GetValue<string>().ShouldBe("The text contains characters a reader cannot see.");
        (await app.EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task Characters_a_reader_cannot_see_are_refused_on_every_path_that_writes_text_and_nothing_is_appended()
    {
        var rlp = await Api.Representative("DE-RP");
        var chair = await Api.Chair();
        var id = (await Api.Propose(rlp, "Katastrophenschutz", "Die Länder halten Reserven vor.", "Der Bund beteiligt sich.")).Id;
        var comment = (await Api.Comment(id, rlp, "Bitte prüfen.", "p1")).Json["commentId"]!.GetValue<Guid>();

        // A title of zero-width spaces only: nothing to read, yet it would be the title voted on.
        await Invisible(() => Api.Send(HttpMethod.Post, "/api/resolutions", rlp, new { body = "D16", title = "\u200B\u200B\u200B", paragraphs = new[] { "Text." } }));
        await Invisible(() => Api.Send(HttpMethod.Post, "/api/resolutions", rlp, new { body = "D16", title = "Titel\u2028zweite Zeile", paragraphs = new[] { "Text." } }));
        await Invisible(() => Api.Send(HttpMethod.Post, "/api/resolutions", rlp, new { body = "D16", title = "Titel", paragraphs = new[] { "\u3164" } }));
        await Invisible(() => Api.EditFrom(id, rlp, 1, new { id = "p1", text = "Die Länder halten Re\u00ADserven vor." }));
        await Invisible(() => Api.EditFrom(id, rlp, 1, new { id = "p1", text = "Die Länder halten Reserven\u200B vor." }));
        await Invisible(() => Api.EditFrom(id, rlp, 1, new { id = "p1", text = "\uFEFFDie Länder halten Reserven vor." }));
        await Invisible(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/amendments", rlp,
            new { baseTextVersion = 1, rationale = "Mehr.", changes = new[] { new { kind = "insert", after = "p1", text = "Neu\uDB40\uDC41." } } }));
        await Invisible(() => Api.Comment(id, rlp, "Privat\uE000"));
        await Invisible(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments/{comment}/replies", rlp, new { text = "Absatz\u2029Absatz" }));
        // Noncharacters and lone surrogates break normalisation: refused before it, never a 500.
        await Invisible(() => Api.Comment(id, rlp, "Nicht\uFFFE"));
        // A lone surrogate escaped in JSON does not even read as a string.
        var lone = await Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/comments", rlp, rawBody: "{\"text\": \"halb\\ud800\"}");
        lone.Status.ShouldBe(400, lone.Body);
        lone.ProblemType.ShouldBe("/problems/malformed-request");
        await Invisible(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/ballots/current/cancellation", chair, new { reason = "\u200B" }));

        var search = await Api.Send(HttpMethod.Get, "/api/resolutions/search?q=Reserven%EF%BF%BE", rlp);
        search.Status.ShouldBe(400, search.Body);
        search.ProblemType.ShouldBe("/problems/unsafe-text");
        (await Api.Send(HttpMethod.Get, "/api/resolutions/search?q=" + Uri.EscapeDataString("Reserven"), rlp)).Status.ShouldBe(200);
    }
}
