using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Web;
using BundLaenderKoordination.Audit;
using Microsoft.AspNetCore.Http;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Web;

/// <summary>
/// The pages say every refusal of the service and every finding of the audit check in German: a problem type or a
/// finding code without German words of its own fails here, before a German page would show the API's English.
/// </summary>
public sealed class RefusalsTests
{
    private static readonly UiLanguage German = Language("de");

    public static TheoryData<string> ProblemTypes() => [.. Refusals.KnownTypes];

    [Theory]
    [MemberData(nameof(ProblemTypes))]
    public void Every_problem_type_has_a_German_text_of_its_own(string type)
    {
        var text = Refusals.German(new ApiProblem(409, type, "English title", "English detail.", []), German, id => "Absatz 1");
        text.ShouldNotBeNull($"{type} has no German text");
        text.ShouldNotContain("English");
    }

    [Fact]
    public void A_refusal_names_the_facts_of_the_case_paragraphs_by_number()
    {
        var fields = new JsonObject
        {
            ["baseTextVersion"] = 1, ["currentTextVersion"] = 2,
            ["conflicts"] = new JsonArray(new JsonObject { ["paragraphId"] = "p3" }),
        };
        var problem = new ApiProblem(409, Problems.AmendmentConflict, "The amendment conflicts with the current text.", "Since text version 1, p3 changed.", fields);
        Refusals.Text(problem, German, id => id == "p3" ? "Absatz 3" : "?")
            .ShouldStartWith("Der Änderungsantrag passt nicht mehr zum Text: Absatz 3 wurde seit Textfassung 1 geändert (jetzt Textfassung 2).");

        var rule = new ApiProblem(422, Problems.AdoptionRuleNotMet, "", "", new JsonObject { ["yes"] = 12, ["no"] = 3, ["abstain"] = 1, ["rule"] = "atLeast:13" });
        Refusals.Text(rule, German).ShouldStartWith("Die Regel des Gremiums ist nicht erfüllt: 12 Ja, 3 Nein, 1 Enthaltung; nötig ist mindestens 13 Ja-Stimmen.");
    }

    [Fact]
    public void A_type_the_pages_do_not_know_is_refused_in_German_not_in_the_APIs_English() =>
        Refusals.Text(new ApiProblem(500, "/problems/something-new", "Something new.", "An English detail.", []), German).ShouldBe(Refusals.Fallback);

    public static TheoryData<string> FindingCodes() =>
        [.. typeof(FindingCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    [Theory]
    [MemberData(nameof(FindingCodes))]
    public void Every_finding_of_the_audit_check_reads_in_plain_German(string code)
    {
        var text = German.Finding(new Finding(code, "An English message.", 42));
        text.ShouldNotContain(code);
        text.ShouldNotContain("English");
        text.ShouldNotStartWith("Die Prüfung hat eine Unstimmigkeit gefunden", Case.Sensitive, $"{code} has no words of its own");
    }

    private static UiLanguage Language(string code)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = code;
        return new UiLanguage(new HttpContextAccessor { HttpContext = context });
    }
}
