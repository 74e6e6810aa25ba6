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

    /// <summary>A voting rule in words: "mindestens 13 Länder stimmen zu", "einstimmig", "einfache Mehrheit".</summary>
    public static string Rule(this UiLanguage l, Bodies.VotingRule rule) => rule.Kind switch
    {
        Bodies.VotingRuleKind.AtLeast => l.T($"mindestens {rule.Count} Ja-Stimmen", $"at least {rule.Count} yes votes"),
        Bodies.VotingRuleKind.Unanimity => l.T("einstimmig", "unanimous"),
        Bodies.VotingRuleKind.SimpleMajority => l.T("einfache Mehrheit der abgegebenen Stimmen", "simple majority of the votes cast"),
        _ => rule.ToString(),
    };

    /// <summary>A matter type as the pages name it; unknown ones by their key.</summary>
    public static string MatterType(this UiLanguage l, string matterType) => matterType switch
    {
        "default" => l.T("Allgemeine Angelegenheit", "General matter"),
        "budget" => l.T("Haushaltsangelegenheit", "Budget matter"),
        "rulesOfProcedure" => l.T("Geschäftsordnung", "Rules of procedure"),
        "jointInstitutions" => l.T("Gemeinsame Einrichtungen", "Joint institutions"),
        _ => matterType,
    };

    public static string Role(this UiLanguage l, string role) => role switch
    {
        Roles.Representative => l.T("Vertretung", "Representative"),
        Roles.Chair => l.T("Vorsitz", "Chair"),
        Roles.Observer => l.T("Beobachtung", "Observer"),
        Roles.Auditor => l.T("Prüfung", "Auditor"),
        Roles.Admin => l.T("Verwaltung", "Administrator"),
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

    /// <summary>"BY" for "DE-BY", "Bund" for the Bund.</summary>
    public static string Short(string land) => land == Lands.Bund ? "Bund" : land.StartsWith("DE-", StringComparison.Ordinal) ? land[3..] : land;

    public static string Time(this UiLanguage l, DateTimeOffset at) =>
        at.ToUniversalTime().ToString(l.English ? "yyyy-MM-dd HH:mm:ss 'UTC'" : "dd.MM.yyyy HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Who(this UiLanguage l, Resolutions.GettingResolution.PersonView p) =>
        p.ActingFor is { } land ? $"{p.Name} ({Lands.NameOf(land)}, {l.Role(p.Role)})" : $"{p.Name} ({l.Role(p.Role)})";
}

/// <summary>A comment thread as the resolution page and the replay show it; forms only where the reader may write.</summary>
public sealed record CommentItem(Resolutions.GettingResolution.CommentView Comment, bool MayWrite);
