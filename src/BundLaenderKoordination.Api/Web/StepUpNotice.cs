using BundLaenderKoordination.Api.Infrastructure;

namespace BundLaenderKoordination.Api.Web;

/// <summary>
/// What the pages say when the service asks for a fresh sign-in before a weighty act (a vote, closing a ballot, an
/// audit export): the act was not carried out, and signing in again lets the person repeat it.
/// </summary>
public static class StepUpNotice
{
    public static bool Applies(ApiProblem problem) => problem.Type == Problems.StepUpRequired;

    public static string Text(ApiProblem problem, UiLanguage l)
    {
        var minutes = (problem.Long("maxAgeSeconds") ?? 900) / 60;
        return problem.Text("reason") == "insufficient-acr"
            ? l.T("Für diese Handlung ist eine stärkere Anmeldung nötig, als Sie verwendet haben. Nichts wurde gespeichert. Bitte melden Sie sich erneut an und wiederholen Sie die Handlung.",
                "This act needs a stronger sign-in than the one you used. Nothing was recorded. Please sign in again and repeat it.")
            : l.T($"Für diese Handlung darf Ihre Anmeldung höchstens {minutes} Minuten zurückliegen. Nichts wurde gespeichert. Bitte melden Sie sich erneut an und wiederholen Sie die Handlung.",
                $"This act needs a sign-in from the last {minutes} minutes. Nothing was recorded. Please sign in again and repeat it.");
    }

    /// <summary>The sign-in page, asking for a fresh sign-in and coming back to <paramref name="returnUrl"/> afterwards.</summary>
    public static string SignInAgain(string returnUrl) => $"{WebUi.SignInPath}?ReturnUrl={Uri.EscapeDataString(returnUrl)}&erneut=true";
}
