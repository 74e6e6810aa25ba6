using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.Web;

/// <summary>
/// A refusal of the service in the reader's words. The API speaks English in its problem details; the pages say in German
/// what was refused and why, from the stable problem type and the facts the problem carries (versions, counts, deadlines,
/// the brackets or paragraphs concerned). In English the pages show the API's own detail.
/// </summary>
public static class Refusals
{
    /// <summary>Every problem type the service gives, so that a test can hold each to a German text of its own.</summary>
    public static IReadOnlyList<string> KnownTypes { get; } =
    [
        .. typeof(Problems).GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!),
        MandateDecisions.MandateConflict, MandateDecisions.FourEyes, MandateDecisions.SeparationOfDuties, AmendmentDecisions.TooManyOpenAmendments,
    ];

    /// <summary>The refusal as the page shows it; <paramref name="paragraph"/> names a paragraph by its id as the page numbers it ("Absatz 3").</summary>
    public static string Text(ApiProblem problem, UiLanguage l, Func<string, string>? paragraph = null)
    {
        if (l.English) return problem.Detail is { Length: > 0 } detail ? detail : problem.Title;
        return German(problem, l, paragraph ?? (id => "ein Absatz")) ?? Fallback;
    }

    /// <summary>What the pages say for a problem type they do not know: never the API's English.</summary>
    public const string Fallback = "Der Dienst hat die Handlung abgelehnt; nichts wurde gespeichert. Bitte laden Sie die Seite neu und versuchen Sie es erneut.";

    /// <summary>The German text for a problem, null for a type the pages do not know.</summary>
    public static string? German(ApiProblem p, UiLanguage l, Func<string, string> paragraph) => p.Type switch
    {
        Problems.InvalidInput => "Die Angaben wurden nicht angenommen, nichts wurde gespeichert. Bitte prüfen Sie die Felder des Formulars "
                                 + "(ein Pflichtfeld leer, ein Text zu lang, eine Stelle, die so nicht im Absatz steht, eine Frist in der Vergangenheit) und senden Sie es erneut.",
        Problems.MalformedRequest => "Die Anfrage ließ sich nicht lesen; nichts wurde gespeichert. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
        Problems.Unauthenticated => "Ihre Anmeldung ist abgelaufen; nichts wurde gespeichert. Bitte melden Sie sich erneut an.",
        Problems.Forbidden => "Diese Handlung steht Ihnen mit Ihrem Mandat hier nicht zu, oder nicht mehr (etwa weil das Mandat widerrufen "
                              + "oder der Vorsitz übergegangen ist). Nichts wurde gespeichert.",
        Problems.NotFound => "Das Gesuchte gibt es nicht (mehr), oder es ist Ihnen nicht zugänglich. Nichts wurde gespeichert.",
        Problems.StaleVersion =>
            $"Der Beschluss wurde inzwischen geändert (jetzt Version {p.Long("currentVersion")}). Unten steht die neue Fassung; Ihr Entwurf ist erhalten. Prüfen Sie ihn und speichern Sie erneut.",
        Problems.TextVersionSuperseded =>
            $"Die Textfassung, über die Sie abstimmen wollten, ist nicht mehr aktuell. Aktuell ist Textfassung {p.Long("currentTextVersion")}; lesen Sie sie und stimmen Sie erneut ab.",
        Problems.ResolutionClosed => "Das ist schon erledigt: der Beschluss ist gefasst (Text und Stimmen stehen fest) oder die Klammer ist bereits aufgelöst. Nichts wurde gespeichert.",
        Problems.ConcurrentChange => "Jemand anderes hat im selben Moment geändert. Unten steht die neue Fassung; bitte erneut versuchen.",
        Problems.AdoptionRuleNotMet =>
            $"Die Regel des Gremiums ist nicht erfüllt: {p.Long("yes")} Ja, {p.Long("no")} Nein, {Abstentions(p.Long("abstain"))}; nötig ist {RuleWords(p.Text("rule"))}. Der Beschluss ist nicht gefasst.",
        Problems.ParagraphConflict =>
            $"{Paragraphs(p.Fields["conflicts"], paragraph, "Ein von Ihnen bearbeiteter Absatz")} wurde inzwischen geändert (jetzt Textfassung {p.Long("currentTextVersion")}). "
            + "Unten steht die neue Fassung; Ihr Entwurf ist erhalten. Übertragen Sie Ihre Änderung auf den neuen Wortlaut und speichern Sie erneut.",
        Problems.AmendmentConflict =>
            $"Der Änderungsantrag passt nicht mehr zum Text: {Paragraphs(p.Fields["conflicts"], paragraph, "ein betroffener Absatz")} wurde seit Textfassung {p.Long("baseTextVersion")} geändert "
            + $"(jetzt Textfassung {p.Long("currentTextVersion")}). Die Antragstellerin oder der Antragsteller überarbeitet ihn, oder er wird mit Änderungen angenommen.",
        Problems.AmendmentClosed => "Über diesen Änderungsantrag ist schon entschieden; für weitere Änderungen ist ein neuer Antrag nötig.",
        Problems.BracketedPassage => $"Die Stelle steht in eckigen Klammern ({Brackets(p.Fields["brackets"], paragraph)}). Erst die Einigung über die Klammer, dann die Änderung.",
        Problems.OpenBrackets => $"Vor einer Abstimmung müssen alle Klammern aufgelöst sein; offen ist noch {Brackets(p.Fields["openBrackets"], paragraph)}.",
        Problems.BallotOpen => $"Über Textfassung {p.Long("textVersion")} läuft eine Abstimmung. Solange kann der Text nicht geändert und keine andere Abstimmung eröffnet werden, "
                               + "bis der Vorsitz sie schließt oder abbricht.",
        Problems.NoOpenBallot => "Es läuft keine Abstimmung. Der Vorsitz eröffnet sie zuerst; nach der Entscheidung ist keine mehr offen.",
        Problems.BallotDeadlineRule => "Die Frist lässt sich nur für eine laufende Abstimmung ändern, und nur auf einen Zeitpunkt, der noch kommt. Nichts wurde gespeichert.",
        Problems.UnknownMatterType => $"Für diese Art der Angelegenheit hat das Gremium keine Regel. Es kennt: {MatterTypes(p.Fields["matterTypes"])}.",
        Problems.SessionState => "Das geht in diesem Stand der Sitzung nicht: eröffnet wird eine anberaumte Sitzung, die Anwesenheit wird in der eröffneten festgehalten, "
                                 + "geschlossen wird nur eine eröffnete, und eine geschlossene nimmt keine Tagesordnungspunkte mehr auf. Nichts wurde gespeichert.",
        Problems.DeclarationRule => "Eine Protokollerklärung gehört zu einem gefassten Beschluss; sie kann erst nach der Beschlussfassung abgegeben werden.",
        Problems.WrittenProcedureRunning => $"Ein Umlaufverfahren läuft bis {(p.Fields["deadline"] is JsonValue d && d.TryGetValue<DateTimeOffset>(out var due) ? l.Time(due) : "zum Ende seiner Frist")}. "
                                            + "Solange kann der Text nicht geändert und keine Abstimmung eröffnet werden.",
        Problems.NoWrittenProcedure => "Es läuft kein Umlaufverfahren; Zustimmung und Widerspruch beantworten nur ein laufendes.",
        Problems.SessionRule => "Eine Sondersitzung setzt einen einberufenen Antrag voraus (die Mehrheit der Mitglieder unterstützt ihn), "
                                + "und auf die Tagesordnung kommen nur Beschlüsse dieses Gremiums. Nichts wurde gespeichert.",
        Problems.UnsafeText => "Der Text enthält Zeichen, die ein Browser als Auszeichnung lesen könnte (etwa spitze Klammern mit HTML), oder Zeichen, die niemand sieht. "
                               + "Bitte entfernen Sie sie; nichts wurde gespeichert.",
        Problems.NotSealedYet => "Die Stimme ist gespeichert, aber noch nicht in einem signierten Prüfpunkt; bitte in einigen Sekunden erneut versuchen.",
        Problems.AuditLogHalted => "Das Prüfprotokoll signiert derzeit nichts mehr, weil es eine Unstimmigkeit festgestellt hat. Bitte wenden Sie sich an den Betrieb.",
        Problems.StepUpRequired => StepUpNotice.Text(p, l),
        Problems.RestrictionRule => "Das verletzt eine Regel der Vertraulichkeit: wer einen vertraulichen Beschluss vorschlägt, gehört selbst zum Leserkreis; "
                                    + "der Leserkreis wird nur erweitert, nie wieder verkleinert; abgestimmt, im Umlauf entschieden oder auf die Tagesordnung gesetzt wird erst, "
                                    + "wenn der Beschluss für alle offen ist.",
        Problems.PayloadTooLarge => $"Die Eingabe ist zu groß (höchstens {p.Long("maxBytes") / 1024} KB). Bitte senden Sie weniger, etwa den Text in mehreren Schritten.",
        Problems.TooManyRequests =>
            $"Sie haben in kurzer Zeit sehr viele Änderungen gesendet. Nichts wurde gespeichert; bitte versuchen Sie es in {p.Long("retryAfterSeconds")} Sekunden erneut.",
        Problems.LimitReached => $"Eine Obergrenze ist erreicht: höchstens {p.Long("limit")} {LimitWords(p.Text("what"))}. Nichts wurde gespeichert.",
        Problems.DatabaseUnavailable => $"Der Dienst ist gerade nicht erreichbar; nichts wurde gespeichert. Bitte versuchen Sie es in {p.Long("retryAfterSeconds")} Sekunden erneut.",
        Problems.IdempotencyKeyReused or Problems.IdempotencyKeyInUse =>
            "Diese Handlung wurde schon einmal mit anderem Inhalt gesendet oder wird gerade bearbeitet. Bitte laden Sie die Seite neu.",
        Problems.TooManyStreams => $"Sie haben {p.Long("maxStreams")} Seiten mit Live-Ansicht gleichzeitig offen. Schließen Sie eine oder warten Sie {p.Long("retryAfterSeconds")} Sekunden.",
        Problems.SignatureRequired => "In diesem Gremium werden Stimmen, Zustimmungen und Einwände mit dem eigenen Passkey signiert. Signieren Sie die Handlung mit Ihrem bestätigten Passkey.",
        Problems.SignatureInvalid => "Die Signatur mit dem Passkey gilt nicht für diese Handlung (falscher oder nicht bestätigter Passkey, oder über einen anderen Text). Nichts wurde gespeichert.",
        Problems.PasskeyState => "Der Passkey ist in einem anderen Zustand: nur ein registrierter Passkey wird bestätigt, und ein widerrufener gilt nicht mehr.",
        MandateDecisions.MandateConflict => "Die Person hat in diesem Gremium schon ein Mandat oder eine offene Erteilung; ziehen Sie diese zuerst zurück oder widerrufen Sie das Mandat.",
        MandateDecisions.FourEyes => "Vier-Augen-Prinzip: eine zweite Person bestätigt, und niemand erteilt, bestätigt oder widerruft sein eigenes Mandat.",
        MandateDecisions.SeparationOfDuties => "Trennung der Aufgaben: wer verwaltet oder prüft, erhält kein Mandat in einem Gremium.",
        AmendmentDecisions.TooManyOpenAmendments =>
            $"Ihr Land hat schon {AmendmentDecisions.MaxOpenAmendmentsPerLand} offene Änderungsanträge zu diesem Beschluss, mehr sind nicht zugleich möglich. "
            + "Warten Sie, bis über einige entschieden ist.",
        _ => null,
    };

    /// <summary>A recorded rule ("atLeast:13") in words.</summary>
    public static string RuleWords(string? rule) => rule is null ? "die Regel des Gremiums" : History.EventDescriptions.RuleLabel(rule, german: true);

    private static string Abstentions(long? n) => n == 1 ? "1 Enthaltung" : $"{n ?? 0} Enthaltungen";

    private static string Paragraphs(JsonNode? conflicts, Func<string, string> paragraph, string none)
    {
        var ids = (conflicts as JsonArray ?? []).Select(c => c?["paragraphId"]?.GetValue<string>()).OfType<string>().Distinct().ToList();
        return ids.Count == 0 ? none : string.Join(", ", ids.Select(paragraph));
    }

    private static string Brackets(JsonNode? brackets, Func<string, string> paragraph) =>
        string.Join("; ", (brackets as JsonArray ?? []).Select(b =>
            $"Klammer {b?["number"]} in {paragraph(b?["paragraphId"]?.GetValue<string>() ?? "")}: „{b?["quote"]?.GetValue<string>()}“"));

    private static string MatterTypes(JsonNode? types) =>
        string.Join(", ", (types as JsonArray ?? []).Select(t => History.EventDescriptions.MatterTypeName(t?.GetValue<string>() ?? "", german: true)));

    private static string LimitWords(string? what) => what switch
    {
        "paragraphs" => "Absätze je Text",
        "changes in one amendment" => "Änderungen in einem Änderungsantrag",
        "amendments per Land" => "Änderungsanträge je Land",
        "comment threads per Land" => "Kommentare je Land",
        "replies per comment" => "Antworten je Kommentar",
        "bracketed passages" => "eingeklammerte Stellen",
        "alternatives per bracketed passage" => "Alternativen je eingeklammerter Stelle",
        "Protokollerklärungen per Land" => "Protokollerklärungen je Land",
        _ => "Einträge dieser Art",
    };
}
