using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;

namespace BundLaenderKoordination.Api.Web;

/// <summary>How the pages name states, choices, roles and Länder in the reader's language.</summary>
public static class Display
{
    public static string Status(this UiLanguage l, ResolutionStatus status) => status switch
    {
        ResolutionStatus.UnderNegotiation => l.T("In Verhandlung", "Under negotiation"),
        ResolutionStatus.Adopted => l.T("Beschlossen", "Adopted"),
        ResolutionStatus.Rejected => l.T("Abgelehnt", "Rejected"),
        ResolutionStatus.Withdrawn => l.T("Zurückgezogen", "Withdrawn"),
        _ => status.ToString(),
    };

    public static string Choice(this UiLanguage l, VoteChoice choice) => choice switch
    {
        VoteChoice.Yes => l.T("Ja", "Yes"),
        VoteChoice.No => l.T("Nein", "No"),
        VoteChoice.Abstain => l.T("Enthaltung", "Abstention"),
        _ => choice.ToString(),
    };

    public static string Amendment(this UiLanguage l, AmendmentStatus status) => status switch
    {
        AmendmentStatus.Open => l.T("offen", "open"),
        AmendmentStatus.Accepted => l.T("angenommen", "accepted"),
        AmendmentStatus.Rejected => l.T("abgelehnt", "rejected"),
        _ => status.ToString(),
    };

    public static string Procedure(this UiLanguage l, WrittenProcedureStatus status) => status switch
    {
        WrittenProcedureStatus.Running => l.T("Umlaufverfahren läuft", "Written procedure running"),
        WrittenProcedureStatus.Adopted => l.T("Im Umlaufverfahren beschlossen", "Adopted in the written procedure"),
        WrittenProcedureStatus.NotAdopted => l.T("Im Umlaufverfahren nicht beschlossen", "Not adopted in the written procedure"),
        WrittenProcedureStatus.Objected => l.T("Durch Widerspruch beendet", "Ended by an objection"),
        _ => status.ToString(),
    };

    public static string Position(this UiLanguage l, Resolutions.Positions.Position position) => position switch
    {
        Resolutions.Positions.Position.Agreement => l.T("Zustimmung", "Agreement"),
        Resolutions.Positions.Position.Rejection => l.T("Ablehnung", "Rejection"),
        Resolutions.Positions.Position.Abstention => l.T("Enthaltung", "Abstention"),
        Resolutions.Positions.Position.ReservationPendingReview => l.T("Prüfvorbehalt", "Reservation pending review"),
        _ => position.ToString(),
    };

    public static string SessionKind(this UiLanguage l, Sessions.SessionKind kind) =>
        kind == Sessions.SessionKind.Special ? l.T("Sondersitzung", "Special session") : l.T("Ordentliche Sitzung", "Regular session");

    public static string SessionFormat(this UiLanguage l, Sessions.SessionFormat format, string? place) =>
        format == Sessions.SessionFormat.InPerson ? l.T("in Präsenz", "in person") + (place is { Length: > 0 } ? $", {place}" : "") : l.T("virtuell", "virtual");

    public static string SessionStatus(this UiLanguage l, Sessions.SessionStatus status) => status switch
    {
        Sessions.SessionStatus.Scheduled => l.T("anberaumt", "scheduled"),
        Sessions.SessionStatus.Open => l.T("eröffnet", "open"),
        Sessions.SessionStatus.Closed => l.T("geschlossen", "closed"),
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>A voting rule in words: "mindestens 13 von 16 Ländern", "einstimmig", "einfache Mehrheit der abgegebenen Stimmen".</summary>
    public static string Rule(this UiLanguage l, Bodies.VotingRule rule, int voting) => l.Rule(rule.ToString(), voting);

    /// <summary>A rule as recorded on a ballot or written procedure ("atLeast:13") in words, for a body of <paramref name="voting"/> voting members.</summary>
    public static string Rule(this UiLanguage l, string recorded, int voting) =>
        recorded.StartsWith("atLeast:", StringComparison.Ordinal) && int.TryParse(recorded.AsSpan("atLeast:".Length), out var n)
            ? l.T($"mindestens {n} von {voting} Ländern stimmen zu", $"at least {n} of {voting} Länder vote yes")
            : History.EventDescriptions.RuleLabel(recorded, !l.English);

    /// <summary>A matter type as the pages name it; unknown ones by their key.</summary>
    public static string MatterType(this UiLanguage l, string matterType) => History.EventDescriptions.MatterTypeName(matterType, !l.English);

    public static string Role(this UiLanguage l, string role) => role switch
    {
        Roles.Representative => l.T("Vertretung", "Representative"),
        Roles.Chair => l.T("Vorsitz", "Chair"),
        Roles.Observer => l.T("Beobachtung", "Observer"),
        Roles.Auditor => l.T("Prüfung", "Auditor"),
        Roles.Admin => l.T("Verwaltung", "Administrator"),
        Roles.Coordinator => l.T("Koordination", "Coordinator"),
        _ => role,
    };

    /// <summary>Länder as "ST, SH, TH", each abbreviation with its full name for screen readers and on hover; "–" for none.</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Abbreviated(IEnumerable<string> lands)
    {
        var html = new Microsoft.AspNetCore.Html.HtmlContentBuilder();
        var first = true;
        foreach (var land in lands)
        {
            if (!first) html.Append(", ");
            first = false;
            html.AppendHtml("<abbr title=\"").Append(Lands.NameOf(land)).AppendHtml("\">").Append(Short(land)).AppendHtml("</abbr>");
        }
        if (first) html.Append("–");
        return html;
    }

    /// <summary>
    /// The runs of a diff as one piece of markup with nothing between them: insertions and deletions marked (and announced
    /// to screen readers), the text exactly as the runs spell it, so that "31" and an inserted "." read "31.", not "31 .".
    /// </summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Runs(this UiLanguage l, IEnumerable<Resolutions.DiffRun> runs)
    {
        var html = new Microsoft.AspNetCore.Html.HtmlContentBuilder();
        foreach (var run in runs)
        {
            var (tag, said) = run.Kind switch
            {
                Resolutions.RunKind.Inserted => ("ins", l.T("[eingefügt:]", "[inserted:]")),
                Resolutions.RunKind.Deleted => ("del", l.T("[gestrichen:]", "[deleted:]")),
                _ => ((string?)null, (string?)null),
            };
            if (tag is null)
            {
                html.Append(run.Text);
                continue;
            }
            html.AppendHtml($"<{tag}><span class=\"visually-hidden\">").Append(said!).AppendHtml("</span>").Append(run.Text).AppendHtml($"</{tag}>");
        }
        return html;
    }

    /// <summary>"BY" for "DE-BY", "Bund" for the Bund.</summary>
    public static string Short(string land) => land == Lands.Bund ? "Bund" : land.StartsWith("DE-", StringComparison.Ordinal) ? land[3..] : land;

    /// <summary>An instant in German local time: "15.12.2026, 10:00 Uhr" (<see cref="GermanTime"/>).</summary>
    public static string Time(this UiLanguage l, DateTimeOffset at) => GermanTime.Format(at, l.English);

    /// <summary>
    /// A finding of the audit check (the offline verifier's codes) in plain words; in English the verifier's own message.
    /// The code itself stays on the page as a tooltip, for whoever compares it with the verifier's output.
    /// </summary>
    public static string Finding(this UiLanguage l, BundLaenderKoordination.Audit.Finding f)
    {
        if (l.English) return f.Message;
        var at = f.Seq is { } seq ? $" (Ereignis Nr. {seq})" : "";
        return f.Code switch
        {
            Audit.FindingCodes.BundleMalformed => "Das Prüfpaket ist fehlerhaft aufgebaut und lässt sich nicht vollständig prüfen" + at + ".",
            Audit.FindingCodes.CheckpointMalformed => "Ein Prüfpunkt ist keine gültige signierte Notiz oder gehört zu einem anderen Protokoll.",
            Audit.FindingCodes.NoCheckpoint => "Das Prüfpaket enthält keinen Prüfpunkt mit einem bekannten Schlüssel; nichts darin ist nachgewiesen.",
            Audit.FindingCodes.KeyUnknown => "Ein Prüfpunkt ist nur mit Schlüsseln signiert, die nicht als vertrauenswürdig hinterlegt sind.",
            Audit.FindingCodes.SignatureInvalid => "Die Signatur eines Prüfpunkts stimmt nicht: er wurde verändert oder nicht mit dem Schlüssel des Dienstes signiert.",
            Audit.FindingCodes.RootMismatch => "Die gespeicherten Ereignisse ergeben nicht die signierte Prüfsumme des Protokolls: es wurde nachträglich verändert.",
            Audit.FindingCodes.Truncated => "Das Protokoll ist kürzer als ein bereits signierter Prüfpunkt: Ereignisse wurden entfernt.",
            Audit.FindingCodes.ConsistencyFailed => "Ein neuerer Prüfpunkt setzt einen älteren nicht fort: das Protokoll wurde umgeschrieben.",
            Audit.FindingCodes.LeafMismatch => "Ein Ereignis weicht von dem ab, was versiegelt wurde" + at + ".",
            Audit.FindingCodes.EventMissing => "Ein versiegeltes Ereignis fehlt" + at + ".",
            Audit.FindingCodes.EventUnsealed => "Ein Ereignis ist noch von keinem signierten Prüfpunkt erfasst" + at + "; nach dem nächsten Prüfpunkt ist es nachgewiesen.",
            Audit.FindingCodes.EventBackdated => "Ein Ereignis trägt eine Zeit deutlich vor dem Prüfpunkt, der es zuerst enthielt: es wurde rückdatiert" + at + ".",
            Audit.FindingCodes.DuplicateSequence => "Eine laufende Nummer kommt zweimal vor" + at + ".",
            Audit.FindingCodes.VersionGap => "In der Folge der Schritte eines Beschlusses fehlt ein Schritt.",
            Audit.FindingCodes.VoteTextMismatch => "Eine Stimme nennt eine Textfassung, die zur Zeit der Stimmabgabe nicht die aktuelle war" + at + ".",
            Audit.FindingCodes.TextHashMismatch => "Die Prüfsumme einer Textfassung passt nicht zu ihrem Wortlaut" + at + ".",
            Audit.FindingCodes.ReceiptMismatch => "Die Quittung passt nicht zum Protokoll: was sie angibt, weicht von der gespeicherten Stimme ab, oder die Stimme steht nicht im signierten Protokoll.",
            Audit.FindingCodes.ReceiptMalformed => "Die Quittung ist unvollständig oder keine lesbare Quittung.",
            Audit.FindingCodes.CheckpointNotWitnessed => "Der neueste Prüfpunkt ist nicht von genügend Zeugen der Länder gegengezeichnet: dass alle dasselbe Protokoll sehen, ist nicht belegt.",
            Audit.FindingCodes.ActNotSigned => "Eine Stimme, Zustimmung oder ein Einwand trägt keine Signatur der Person, die gehandelt hat" + at + ".",
            Audit.FindingCodes.ActSignatureInvalid => "Die Passkey-Signatur einer Handlung gilt nicht: sie gehört zu einem anderen Text, einer anderen Person oder einem nicht bestätigten oder widerrufenen Passkey" + at + ".",
            Audit.FindingCodes.ActSignatureReused => "Eine Passkey-Signatur wiederholt eine frühere (gleiche Einmalzahl oder gleicher Signaturzähler): eine wiederverwendete Signatur oder ein kopierter Schlüssel" + at + ".",
            Audit.FindingCodes.CosignatureInvalid => "Die Gegenzeichnung eines Zeugen stimmt nicht: sie gilt nicht für diesen Prüfpunkt.",
            _ => "Die Prüfung hat eine Unstimmigkeit gefunden" + at + ".",
        };
    }

    public static string Who(this UiLanguage l, Resolutions.GettingResolution.PersonView p) =>
        p.ActingFor is { } land ? $"{p.Name} ({Lands.NameOf(land)}, {l.Role(p.Role)})" : $"{p.Name} ({l.Role(p.Role)})";
}

/// <summary>
/// A comment thread as the resolution page and the replay show it; forms only where the reader may write.
/// <see cref="Mine"/>: written by the reader (the comment filter "Meine" shows these).
/// </summary>
public sealed record CommentItem(Resolutions.GettingResolution.CommentView Comment, bool MayWrite, bool Mine = false);
