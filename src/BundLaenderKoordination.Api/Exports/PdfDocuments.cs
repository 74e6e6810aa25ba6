using System.Globalization;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Sessions;
using BundLaenderKoordination.Api.Web;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// The PDF documents an office files: a resolution as filed and a session's Beschlussprotokoll. German typography:
/// German quotation marks and dates, times in German local time with "Uhr", en dashes, and fonts embedded.
/// </summary>
public static class PdfDocuments
{
    public const string MediaType = "application/pdf";

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static byte[] Resolution(ResolutionRecord record, string bodyName)
    {
        var view = record.View;
        var pdf = new PdfLayout($"Beschluss: {view.Title}", $"{bodyName} – {AkomaNtoso.StatusText(view.Status)}",
            $"{view.Body} · Beschluss, Fassung {view.TextVersion}");
        pdf.Small(bodyName);
        pdf.Title(view.Title);
        pdf.Field("Gremium", $"{bodyName} ({view.Body})");
        pdf.Field("Status", AkomaNtoso.StatusText(view.Status));
        pdf.Field("Datum", view.Adoption is { } adoption ? $"beschlossen am {DateAndTime(adoption.AdoptedAt)}" : $"Stand {DateAndTime(view.LastChangedAt)}");
        pdf.Field("Eingebracht", $"{DateAndTime(view.ProposedAt)} von {Person(view.ProposedBy)}");
        pdf.Field("Textfassung", $"{view.TextVersion} (Stand der Aufzeichnung: Version {view.Version})");

        pdf.Heading("Text");
        for (var i = 0; i < view.Paragraphs.Count; i++) pdf.Numbered($"{i + 1}.", view.Paragraphs[i].Text);

        pdf.Heading("Abstimmung");
        var ballot = view.Ballots.LastOrDefault(b => b.Result is not null);
        if (ballot is { Result: { } result })
        {
            pdf.Field("Regel", ballot.RuleText);
            pdf.Field("Ergebnis", $"{(result.Adopted ? "angenommen" : "nicht angenommen")} – Ja: {result.Yes.Count}, Nein: {result.No.Count}, Enthaltung: {result.Abstain.Count}");
            foreach (var vote in ballot.Votes.OrderBy(v => Lands.NameOf(v.Land), StringComparer.Create(German, false)))
                pdf.Field(Lands.NameOf(vote.Land), AkomaNtoso.VoteText(vote.Choice), 200);
        }
        else if (view.Votes.Count > 0)
        {
            pdf.Paragraph("Bisher abgegebene Stimmen (keine abgeschlossene Abstimmung):");
            foreach (var vote in view.Votes.OrderBy(v => v.LandName, StringComparer.Create(German, false)))
                pdf.Field(vote.LandName, AkomaNtoso.VoteText(vote.Choice) + (vote.OnCurrentText ? "" : $" (zu Fassung {vote.TextVersion})"), 200);
        }
        else
        {
            pdf.Paragraph("Noch keine Stimmen abgegeben.");
        }

        if (view.Declarations.Count > 0)
        {
            pdf.Heading("Protokollerklärungen");
            foreach (var declaration in view.Declarations)
            {
                pdf.Paragraph(string.Join(", ", declaration.Lands.Select(Lands.NameOf)) + ":", bold: true);
                pdf.Paragraph(declaration.Text);
            }
        }

        pdf.Heading("Prüfung");
        pdf.Paragraph("Text-Hash (SHA-256 nach blk-text-v1, siehe docs/text-hash.md):");
        pdf.Paragraph(view.TextHash);
        if (record.Seal is { } seal)
        {
            pdf.Paragraph(seal.TreeSize is { } size
                ? $"Aufgezeichnet im Ereignis Nr. {seal.Sequence}, versiegelt im signierten Prüfpunkt der Baumgröße {size}."
                : $"Aufgezeichnet im Ereignis Nr. {seal.Sequence}; noch in keinem signierten Prüfpunkt versiegelt.");
            pdf.Paragraph($"Nachweis: GET {seal.InclusionProofPath}" + (seal.CheckpointPath is { } path ? $" und GET {path}" : "") +
                "; offline mit dem Prüfprogramm (BundLaenderKoordination.Verifier) und einem Prüfbündel.");
        }
        return pdf.ToBytes();
    }

    /// <summary>A session's Beschlussprotokoll: the session, who attended, each agenda item with its outcome, the declarations.</summary>
    public static byte[] Minutes(SessionView session, string bodyName, IReadOnlyDictionary<Guid, ResolutionView> resolutions)
    {
        var title = $"Beschlussprotokoll der {(session.Kind == SessionKind.Special ? "Sondersitzung" : "Sitzung")} vom {Date(session.StartsAt)}";
        var pdf = new PdfLayout(title, bodyName, $"{session.Body} · Beschlussprotokoll vom {Date(session.StartsAt)}");
        pdf.Small(bodyName);
        pdf.Title(title);
        pdf.Field("Gremium", bodyName);
        pdf.Field("Datum", DateAndTime(session.StartsAt));
        pdf.Field("Art", session.Kind == SessionKind.Special ? "Sondersitzung" : "Ordentliche Sitzung");
        pdf.Field("Format", session.Format == SessionFormat.InPerson ? "in Präsenz" : "virtuell");
        pdf.Field("Ort", session.Place is { Length: > 0 } place ? place : "–");
        pdf.Field("Status", session.Status switch
        {
            SessionStatus.Open => "eröffnet",
            SessionStatus.Closed => "geschlossen",
            _ => "angesetzt",
        });
        if (session.OpenedAt is { } opened) pdf.Field("Eröffnet", DateAndTime(opened));
        if (session.ClosedAt is { } closed) pdf.Field("Geschlossen", DateAndTime(closed));

        pdf.Heading("Anwesenheit");
        pdf.Paragraph(session.Present.Count == 0
            ? "Nicht erfasst."
            : string.Join(", ", session.Present.Select(Lands.NameOf).Order(StringComparer.Create(German, false))));

        pdf.Heading("Tagesordnung");
        if (session.Agenda.Count == 0) pdf.Paragraph("Keine Tagesordnungspunkte.");
        foreach (var item in session.Agenda.OrderBy(i => i.Number))
        {
            pdf.Paragraph($"TOP {item.Number}: {item.Title}", bold: true);
            if (item.Note is { Length: > 0 } note) pdf.Paragraph(note);
            if (item.ResolutionId is { } id && resolutions.TryGetValue(id, out var resolution))
                pdf.Field("Ergebnis", Outcome(resolution));
        }

        var declarations = session.Agenda.Where(i => i.ResolutionId is { } id && resolutions.ContainsKey(id))
            .SelectMany(i => resolutions[i.ResolutionId!.Value].Declarations.Select(d => (Item: i, Declaration: d))).ToList();
        if (declarations.Count > 0)
        {
            pdf.Heading("Protokollerklärungen");
            foreach (var (item, declaration) in declarations)
            {
                pdf.Paragraph($"Zu TOP {item.Number}, {string.Join(", ", declaration.Lands.Select(Lands.NameOf))}:", bold: true);
                pdf.Paragraph(declaration.Text);
            }
        }
        return pdf.ToBytes();
    }

    private static string Outcome(ResolutionView resolution)
    {
        var counted = resolution.Ballots.LastOrDefault(b => b.Result is not null)?.Result;
        var count = counted is not null
            ? $" (Ja: {counted.Yes.Count}, Nein: {counted.No.Count}, Enthaltung: {counted.Abstain.Count})"
            : resolution.Adoption is { } a ? $" (Ja: {a.Yes.Count}, Nein: {a.No.Count}, Enthaltung: {a.Abstain.Count})" : "";
        return AkomaNtoso.StatusText(resolution.Status) + count;
    }

    private static string Person(PersonView person) =>
        person.ActingFor is { } land ? $"{person.Name} ({Lands.NameOf(land)})" : person.Name;

    internal static string Date(DateTimeOffset at) => GermanTime.Local(at).ToString("d. MMMM yyyy", German);

    internal static string DateAndTime(DateTimeOffset at) => GermanTime.Local(at).ToString("d. MMMM yyyy, HH:mm 'Uhr'", German);
}
