using System.Collections.Concurrent;
using System.Reflection;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions.Positions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using BundLaenderKoordination.Api.Sessions;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using JasperFx.Events;
using Microsoft.AspNetCore.Http.Headers;

using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.History;

public enum Language
{
    German,
    English,
}

/// <summary>An event as people read it: a label of its kind, a sentence, who acted for whom, when.</summary>
public sealed record EventDescription(string Label, string Text, Actor? Actor, DateTimeOffset At);

/// <summary>
/// Readable descriptions of stored events, German first, English on request. Every event type of the service is
/// described here; a type this class does not know yet still gets a generic entry with its actor and time, so that
/// no history read ever fails on a newer event.
/// </summary>
public static class EventDescriptions
{
    /// <summary>German unless the caller prefers English (<c>Accept-Language</c>, by quality).</summary>
    public static Language FromRequest(HttpRequest request)
    {
        var preferences = new RequestHeaders(request.Headers).AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1);
        foreach (var preference in preferences)
        {
            var tag = preference.Value.Value ?? "";
            if (tag.StartsWith("de", StringComparison.OrdinalIgnoreCase)) return Language.German;
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return Language.English;
        }
        return Language.German;
    }

    public static EventDescription Describe(IEvent e, Language language)
    {
        var de = language == Language.German;
        return e.Data switch
        {
            ResolutionProposed p => new(de ? "Beschlussvorschlag" : "Resolution proposed",
                de ? $"{Who(p.ProposedBy, de)} hat „{p.Title}“ mit {Paragraphs(p.Paragraphs.Count, de)} für {p.Body} vorgeschlagen."
                   : $"{Who(p.ProposedBy, de)} proposed \"{p.Title}\" to {p.Body} with {Paragraphs(p.Paragraphs.Count, de)}.",
                p.ProposedBy, p.ProposedAt),
            ResolutionRestrictionChanged r => new(de ? "Leserkreis erweitert" : "Readers widened",
                r.RestrictedTo.Count == 0
                    ? de ? $"{Who(r.ChangedBy, de)} hat den Beschluss für alle Lesenden geöffnet (bisher nur {Group(r.Before, de)})."
                         : $"{Who(r.ChangedBy, de)} opened the resolution to all readers (until now {Group(r.Before, de)} only)."
                    : de ? $"{Who(r.ChangedBy, de)} hat den Leserkreis auf {Group(r.RestrictedTo, de)} erweitert (bisher {Group(r.Before, de)})."
                         : $"{Who(r.ChangedBy, de)} widened the readers to {Group(r.RestrictedTo, de)} (until now {Group(r.Before, de)}).",
                r.ChangedBy, r.ChangedAt),
            ResolutionTextEdited t => new(de ? "Text geändert" : "Text edited",
                de ? $"{Who(t.EditedBy, de)} hat den Text geändert: Textfassung {t.TextVersion} mit {Paragraphs(t.Paragraphs.Count, de)}."
                   : $"{Who(t.EditedBy, de)} edited the text: text version {t.TextVersion} has {Paragraphs(t.Paragraphs.Count, de)}.",
                t.EditedBy, t.EditedAt),
            CommentAdded c => new(de ? "Kommentar" : "Comment",
                de ? $"{Who(c.CommentedBy, de)} hat {(c.ParagraphId is null ? "den Beschluss" : c.Quote is null ? "einen Absatz" : $"die Stelle „{c.Quote}“")} kommentiert."
                   : $"{Who(c.CommentedBy, de)} commented on {(c.ParagraphId is null ? "the resolution" : c.Quote is null ? "a paragraph" : $"the passage \"{c.Quote}\"")}.",
                c.CommentedBy, c.CommentedAt),
            CommentReplied r => new(de ? "Antwort auf Kommentar" : "Reply to comment",
                de ? $"{Who(r.RepliedBy, de)} hat auf einen Kommentar geantwortet." : $"{Who(r.RepliedBy, de)} replied to a comment.",
                r.RepliedBy, r.RepliedAt),
            CommentResolved r => new(de ? "Kommentar erledigt" : "Comment resolved",
                de ? $"{Who(r.ResolvedBy, de)} hat einen Kommentar als erledigt markiert." : $"{Who(r.ResolvedBy, de)} marked a comment as resolved.",
                r.ResolvedBy, r.ResolvedAt),
            CommentReopened r => new(de ? "Kommentar wieder geöffnet" : "Comment reopened",
                de ? $"{Who(r.ReopenedBy, de)} hat einen erledigten Kommentar wieder geöffnet." : $"{Who(r.ReopenedBy, de)} reopened a resolved comment.",
                r.ReopenedBy, r.ReopenedAt),
            VoteCast v => new(de ? "Stimmabgabe" : "Vote",
                de ? $"{Who(v.CastBy, de)} hat für {Lands.NameOf(v.Land)} mit {Choice(v.Choice, de)} gestimmt (Textfassung {v.TextVersion})."
                   : $"{Who(v.CastBy, de)} voted {Choice(v.Choice, de)} for {Lands.NameOf(v.Land)} on text version {v.TextVersion}.",
                v.CastBy, v.CastAt),
            ResolutionAdopted a => new(de ? "Beschluss gefasst" : "Resolution adopted",
                de ? $"{Who(a.AdoptedBy, de)} hat Textfassung {a.TextVersion} als beschlossen festgestellt: {a.YesVotes.Count} Ja, {a.NoVotes.Count} Nein, {Abstentions(a.Abstentions.Count, de)} ({RuleLabel(a.Rule, de)})."
                   : $"{Who(a.AdoptedBy, de)} declared text version {a.TextVersion} adopted with {a.YesVotes.Count} yes, {a.NoVotes.Count} no, {Abstentions(a.Abstentions.Count, de)} ({RuleLabel(a.Rule, de)}).",
                a.AdoptedBy, a.AdoptedAt),
            AmendmentProposed a => new(de ? "Änderungsantrag" : "Amendment proposed",
                de ? $"{Who(a.ProposedBy, de)} hat Änderungsantrag Nr. {a.Number} mit {Changes(a.Changes.Count, de)} zu Textfassung {a.BaseTextVersion} gestellt."
                   : $"{Who(a.ProposedBy, de)} proposed amendment {a.Number} with {Changes(a.Changes.Count, de)} against text version {a.BaseTextVersion}.",
                a.ProposedBy, a.ProposedAt),
            AmendmentSupported a => new(de ? "Änderungsantrag unterstützt" : "Amendment supported",
                de ? $"{Who(a.SupportedBy, de)} unterstützt einen Änderungsantrag." : $"{Who(a.SupportedBy, de)} supported an amendment.",
                a.SupportedBy, a.SupportedAt),
            AmendmentRevised a => new(de ? "Änderungsantrag überarbeitet" : "Amendment revised",
                de ? $"{Who(a.RevisedBy, de)} hat einen Änderungsantrag überarbeitet: {Changes(a.Changes.Count, de)} zu Textfassung {a.BaseTextVersion}."
                   : $"{Who(a.RevisedBy, de)} revised an amendment: {Changes(a.Changes.Count, de)} against text version {a.BaseTextVersion}.",
                a.RevisedBy, a.RevisedAt),
            AmendmentAccepted a => new(de ? "Änderungsantrag angenommen" : "Amendment accepted",
                de ? $"{Who(a.AcceptedBy, de)} hat einen Änderungsantrag{(a.WithChanges ? " mit Änderungen" : "")} angenommen; er wird Textfassung {a.TextVersion}."
                   : $"{Who(a.AcceptedBy, de)} accepted an amendment{(a.WithChanges ? " with changes" : "")}; it becomes text version {a.TextVersion}.",
                a.AcceptedBy, a.AcceptedAt),
            AmendmentRejected a => new(de ? "Änderungsantrag abgelehnt" : "Amendment rejected",
                de ? $"{Who(a.RejectedBy, de)} hat einen Änderungsantrag abgelehnt." : $"{Who(a.RejectedBy, de)} rejected an amendment.",
                a.RejectedBy, a.RejectedAt),
            PassageBracketed b => new(de ? "Passage in Klammern" : "Passage bracketed",
                de ? $"{Who(b.BracketedBy, de)} hat „{b.Quote}“ in eckige Klammern gesetzt (Klammer {b.Number}, {b.Alternatives.Count} Alternative(n))."
                   : $"{Who(b.BracketedBy, de)} put \"{b.Quote}\" in brackets (bracket {b.Number}) with {b.Alternatives.Count} alternative(s).",
                b.BracketedBy, b.BracketedAt),
            BracketAlternativeProposed b => new(de ? "Alternative Formulierung" : "Alternative wording",
                de ? $"{Who(b.ProposedBy, de)} hat eine alternative Formulierung für eine Klammer vorgeschlagen."
                   : $"{Who(b.ProposedBy, de)} proposed an alternative wording for a bracketed passage.",
                b.ProposedBy, b.ProposedAt),
            BracketResolved b => new(de ? "Klammer aufgelöst" : "Bracket resolved",
                de ? $"{Who(b.ResolvedBy, de)} hat eine Klammer mit „{b.AgreedWording}“ aufgelöst (Textfassung {b.TextVersion})."
                   : $"{Who(b.ResolvedBy, de)} resolved a bracket with \"{b.AgreedWording}\" (text version {b.TextVersion}).",
                b.ResolvedBy, b.ResolvedAt),
            BallotOpened b => new(de ? "Abstimmung eröffnet" : "Ballot opened",
                de ? $"{Who(b.OpenedBy, de)} hat Abstimmung {b.Number} über Textfassung {b.TextVersion} eröffnet ({MatterTypeName(b.MatterType, de)}, Regel „{RuleLabel(b.RuleText, de)}“)."
                   : $"{Who(b.OpenedBy, de)} opened ballot {b.Number} on text version {b.TextVersion} ({MatterTypeName(b.MatterType, de)}, rule \"{RuleLabel(b.RuleText, de)}\").",
                b.OpenedBy, b.OpenedAt),
            BallotCancelled b => new(de ? "Abstimmung abgebrochen" : "Ballot cancelled",
                de ? $"{Who(b.CancelledBy, de)} hat die Abstimmung abgebrochen: {b.Reason}"
                   : $"{Who(b.CancelledBy, de)} cancelled the ballot: {b.Reason}",
                b.CancelledBy, b.CancelledAt),
            BallotDeadlineChanged b => new(de ? "Frist der Abstimmung geändert" : "Ballot deadline changed",
                de ? $"{Who(b.ChangedBy, de)} hat die Frist der Abstimmung {(b.OldDeadline is { } was ? $"von {Web.GermanTime.Format(was, english: false)} " : "")}auf {Web.GermanTime.Format(b.NewDeadline, english: false)} gesetzt."
                   : $"{Who(b.ChangedBy, de)} set the ballot's deadline {(b.OldDeadline is { } before ? $"from {Web.GermanTime.Format(before, english: true)} " : "")}to {Web.GermanTime.Format(b.NewDeadline, english: true)}.",
                b.ChangedBy, b.ChangedAt),
            BallotClosed b => new(de ? "Abstimmung geschlossen" : "Ballot closed",
                de ? $"{Who(b.ClosedBy, de)} hat die Abstimmung über Textfassung {b.TextVersion} geschlossen: {b.Yes.Count} Ja, {b.No.Count} Nein, {Abstentions(b.Abstain.Count, de)}; nach der Regel „{RuleLabel(b.RuleText, de)}“ {(b.Adopted ? "angenommen" : "nicht angenommen")}."
                   : $"{Who(b.ClosedBy, de)} closed the ballot on text version {b.TextVersion}: {b.Yes.Count} yes, {b.No.Count} no, {Abstentions(b.Abstain.Count, de)}; {(b.Adopted ? "adopted" : "not adopted")} under the rule \"{RuleLabel(b.RuleText, de)}\".",
                b.ClosedBy, b.ClosedAt),
            ResolutionRejected r => new(de ? "Beschluss abgelehnt" : "Resolution rejected",
                de ? $"Textfassung {r.TextVersion} ist nicht beschlossen: die Abstimmungsregel des Gremiums ist nicht erfüllt."
                   : $"Text version {r.TextVersion} was not adopted ({r.Reason}).",
                r.RejectedBy, r.RejectedAt),
            BodyCreated b => new(de ? "Gremium eingerichtet" : "Body created",
                de ? $"{Who(b.CreatedBy, de)} hat das Gremium {b.Code} („{b.Configuration.Name}“) mit {b.Configuration.Members.Count} Mitgliedern eingerichtet; {ChairSchedule(b.Configuration, de)}."
                   : $"{Who(b.CreatedBy, de)} created the body {b.Code} (\"{b.Configuration.Name}\") with {b.Configuration.Members.Count} members; {ChairSchedule(b.Configuration, de)}.",
                b.CreatedBy, b.CreatedAt),
            BodyConfigured b => new(de ? "Gremium neu eingestellt" : "Body configured",
                de ? $"{Who(b.ConfiguredBy, de)} hat Mitglieder, Regeln und Vorsitz von {b.Code} neu eingestellt: {b.Configuration.Members.Count} Mitglieder, Standardregel {RuleLabel(b.Configuration.Rules[Body.DefaultMatterType].ToString(), de)}; {ChairSchedule(b.Configuration, de)}."
                   : $"{Who(b.ConfiguredBy, de)} configured members, rules and chair of {b.Code}: {b.Configuration.Members.Count} members, default rule {RuleLabel(b.Configuration.Rules[Body.DefaultMatterType].ToString(), de)}; {ChairSchedule(b.Configuration, de)}.",
                b.ConfiguredBy, b.ConfiguredAt),
            WrittenProcedureStarted w => new(de ? "Umlaufverfahren eingeleitet" : "Written procedure started",
                de ? $"{Who(w.StartedBy, de)} hat ein Umlaufverfahren über Textfassung {w.TextVersion} eingeleitet ({(w.Mode == WrittenProcedureMode.Silence ? "Schweigeverfahren" : "ausdrückliche Zustimmung")}, Frist {Web.GermanTime.Format(w.Deadline, english: false)})."
                   : $"{Who(w.StartedBy, de)} started a written procedure on text version {w.TextVersion} ({(w.Mode == WrittenProcedureMode.Silence ? "silence procedure" : "explicit consent")}, deadline {Web.GermanTime.Format(w.Deadline, english: true)}).",
                w.StartedBy, w.StartedAt),
            WrittenConsentGiven w => new(de ? "Zustimmung im Umlaufverfahren" : "Written consent",
                de ? $"{Who(w.GivenBy, de)} hat für {Lands.NameOf(w.Land)} zugestimmt." : $"{Who(w.GivenBy, de)} consented for {Lands.NameOf(w.Land)}.",
                w.GivenBy, w.GivenAt),
            WrittenObjectionRaised w => new(de ? "Einwand im Umlaufverfahren" : "Written objection",
                de ? $"{Who(w.RaisedBy, de)} hat für {Lands.NameOf(w.Land)} widersprochen: {w.Reason}" : $"{Who(w.RaisedBy, de)} objected for {Lands.NameOf(w.Land)}: {w.Reason}",
                w.RaisedBy, w.RaisedAt),
            WrittenProcedureEnded w => new(de ? "Umlaufverfahren beendet" : "Written procedure ended",
                de ? $"Das Umlaufverfahren ist beendet: {(w.Outcome switch { WrittenProcedureOutcome.Adopted => "angenommen", WrittenProcedureOutcome.Objected => "Einwand, die Sache geht in eine Sitzung", _ => "nicht angenommen, die Sache geht in eine Sitzung" })}."
                   : $"The written procedure ended: {(w.Outcome switch { WrittenProcedureOutcome.Adopted => "adopted", WrittenProcedureOutcome.Objected => "objection, the matter goes to a session", _ => "not adopted, the matter goes to a session" })}.",
                w.EndedBy, w.EndedAt),
            PositionRecorded x => new(de ? "Position" : "Position",
                de ? $"{Who(x.RecordedBy, de)} hat die Position von {Lands.NameOf(x.Land)} festgehalten: {x.Position switch { Position.Agreement => "Zustimmung", Position.Rejection => "Ablehnung", Position.Abstention => "Enthaltung", _ => "Prüfvorbehalt" }} (Textfassung {x.TextVersion})."
                   : $"{Who(x.RecordedBy, de)} recorded the position of {Lands.NameOf(x.Land)}: {x.Position switch { Position.Agreement => "agreement", Position.Rejection => "rejection", Position.Abstention => "abstention", _ => "reservation pending review" }} (text version {x.TextVersion}).",
                x.RecordedBy, x.RecordedAt),
            DeclarationAttached x => new(de ? "Protokollerklärung" : "Protocol declaration",
                de ? $"{Who(x.AttachedBy, de)} hat für {Lands.NameOf(x.Land)} eine Protokollerklärung abgegeben." : $"{Who(x.AttachedBy, de)} attached a protocol declaration for {Lands.NameOf(x.Land)}.",
                x.AttachedBy, x.AttachedAt),
            DeclarationJoined x => new(de ? "Protokollerklärung mitgetragen" : "Protocol declaration joined",
                de ? $"{Who(x.JoinedBy, de)} schließt sich für {Lands.NameOf(x.Land)} einer Protokollerklärung an." : $"{Who(x.JoinedBy, de)} joined a protocol declaration for {Lands.NameOf(x.Land)}.",
                x.JoinedBy, x.JoinedAt),
            ResolutionWithdrawn x => new(de ? "Beschlussvorschlag zurückgezogen" : "Resolution withdrawn",
                de ? $"{Who(x.WithdrawnBy, de)} hat den Beschlussvorschlag zurückgezogen: {x.Reason}" : $"{Who(x.WithdrawnBy, de)} withdrew the resolution: {x.Reason}",
                x.WithdrawnBy, x.WithdrawnAt),
            SessionScheduled x => new(de ? "Sitzung anberaumt" : "Session scheduled",
                de ? $"{Who(x.ScheduledBy, de)} hat eine {(x.Kind == SessionKind.Special ? "Sondersitzung" : "Sitzung")} von {x.Body} am {Web.GermanTime.Format(x.StartsAt, english: false)} anberaumt ({(x.Format == SessionFormat.Virtual ? "virtuell" : "vor Ort: " + x.Place)})."
                   : $"{Who(x.ScheduledBy, de)} scheduled a {(x.Kind == SessionKind.Special ? "special " : "")}session of {x.Body} on {Web.GermanTime.Format(x.StartsAt, english: true)} ({(x.Format == SessionFormat.Virtual ? "virtual" : "in person: " + x.Place)}).",
                x.ScheduledBy, x.ScheduledAt),
            AgendaItemAdded x => new(de ? "Tagesordnungspunkt" : "Agenda item",
                de ? $"{Who(x.AddedBy, de)} hat TOP {x.Number} „{x.Title}“ auf die Tagesordnung gesetzt." : $"{Who(x.AddedBy, de)} put item {x.Number} \"{x.Title}\" on the agenda.",
                x.AddedBy, x.AddedAt),
            SessionOpened x => new(de ? "Sitzung eröffnet" : "Session opened",
                de ? $"{Who(x.OpenedBy, de)} hat die Sitzung eröffnet." : $"{Who(x.OpenedBy, de)} opened the session.", x.OpenedBy, x.OpenedAt),
            AttendanceRecorded x => new(de ? "Anwesenheit" : "Attendance",
                de ? $"{Who(x.RecordedBy, de)} hat {x.Present.Count} anwesende Mitglieder festgehalten." : $"{Who(x.RecordedBy, de)} recorded {x.Present.Count} members present.",
                x.RecordedBy, x.RecordedAt),
            SessionClosed x => new(de ? "Sitzung geschlossen" : "Session closed",
                de ? $"{Who(x.ClosedBy, de)} hat die Sitzung geschlossen." : $"{Who(x.ClosedBy, de)} closed the session.", x.ClosedBy, x.ClosedAt),
            SpecialSessionRequested x => new(de ? "Sondersitzung beantragt" : "Special session requested",
                de ? $"{Who(x.RequestedBy, de)} hat für {Lands.NameOf(x.Land)} eine Sondersitzung von {x.Body} beantragt: {x.Reason}"
                   : $"{Who(x.RequestedBy, de)} requested a special session of {x.Body} for {Lands.NameOf(x.Land)}: {x.Reason}",
                x.RequestedBy, x.RequestedAt),
            SpecialSessionSupported x => new(de ? "Sondersitzung unterstützt" : "Special session supported",
                de ? $"{Who(x.SupportedBy, de)} unterstützt den Antrag für {Lands.NameOf(x.Land)}." : $"{Who(x.SupportedBy, de)} supported the request for {Lands.NameOf(x.Land)}.",
                x.SupportedBy, x.SupportedAt),
            SpecialSessionConvened x => new(de ? "Sondersitzung einberufen" : "Special session convened",
                de ? $"{x.Supporters.Count} Mitglieder (nötig: {x.Required}) unterstützen den Antrag: die Sondersitzung von {x.Body} ist einberufen, der Vorsitz beraumt sie an."
                   : $"{x.Supporters.Count} members (needed: {x.Required}) support the request: the special session of {x.Body} is convened; the chair is to schedule it.",
                x.ConvenedBy, x.ConvenedAt),
            MandateGranted m => new(de ? "Mandat erteilt" : "Mandate granted",
                de ? $"{Who(m.GrantedBy, de)} hat {m.PersonName} ein Mandat in {m.Body} erteilt: {RoleName(m.Role, de)} für {Lands.NameOf(m.Land)}; es wirkt nach Bestätigung durch eine zweite Person."
                   : $"{Who(m.GrantedBy, de)} granted {m.PersonName} a mandate in {m.Body}: {RoleName(m.Role, de)} for {Lands.NameOf(m.Land)}; it takes effect once a second person approves it.",
                m.GrantedBy, m.GrantedAt),
            MandateApproved m => new(de ? "Mandat bestätigt" : "Mandate approved",
                de ? $"{Who(m.ApprovedBy, de)} hat das Mandat von {m.PersonId} in {m.Body} bestätigt; es wirkt ab jetzt."
                   : $"{Who(m.ApprovedBy, de)} approved the mandate of {m.PersonId} in {m.Body}; it is in effect from now on.",
                m.ApprovedBy, m.ApprovedAt),
            MandateGrantWithdrawn m => new(de ? "Mandatserteilung zurückgezogen" : "Mandate grant withdrawn",
                de ? $"{Who(m.WithdrawnBy, de)} hat die noch nicht bestätigte Erteilung eines Mandats an {m.PersonId} in {m.Body} zurückgezogen."
                   : $"{Who(m.WithdrawnBy, de)} withdrew the unapproved grant of a mandate to {m.PersonId} in {m.Body}.",
                m.WithdrawnBy, m.WithdrawnAt),
            MandateRevocationRequested m => new(de ? "Widerruf eines Mandats beantragt" : "Mandate revocation requested",
                de ? $"{Who(m.RequestedBy, de)} hat den Widerruf des Mandats von {m.PersonId} in {m.Body} beantragt; es wirkt bis zur Bestätigung fort."
                   : $"{Who(m.RequestedBy, de)} asked to revoke the mandate of {m.PersonId} in {m.Body}; it stays in effect until confirmed.",
                m.RequestedBy, m.RequestedAt),
            MandateRevoked m => new(de ? "Mandat widerrufen" : "Mandate revoked",
                de ? $"{Who(m.RevokedBy, de)} hat den Widerruf des Mandats von {m.PersonId} in {m.Body} bestätigt; es wirkt ab jetzt nicht mehr."
                   : $"{Who(m.RevokedBy, de)} confirmed the revocation of the mandate of {m.PersonId} in {m.Body}; it is no longer in effect.",
                m.RevokedBy, m.RevokedAt),
            _ => Generic(e, de),
        };
    }

    public static string RoleName(string role, bool german) => (role, german) switch
    {
        (Roles.Representative, true) => "Vertretung",
        (Roles.Chair, true) => "Vorsitz",
        (Roles.Observer, true) => "Beobachtung",
        (Roles.Auditor, true) => "Prüfung",
        (Roles.Admin, true) => "Verwaltung",
        (Roles.Coordinator, true) => "Koordination",
        _ => role,
    };

    private static string Group(IEnumerable<string> members, bool german) =>
        string.Join(", ", members.Select(m => m == Confidentiality.Chair ? german ? "Vorsitz" : "the chair" : Lands.NameOf(m)));

    /// <summary>The chair rotation as configured: who takes the chair from which date (handovers happen by the calendar).</summary>
    private static string ChairSchedule(BodyConfiguration configuration, bool german)
    {
        var terms = string.Join(", ", configuration.ChairSchedule.OrderBy(t => t.From)
            .Select(t => $"{Lands.NameOf(t.Land)} {(german ? "ab" : "from")} {t.From:yyyy-MM-dd}"));
        return terms.Length == 0 ? german ? "kein Vorsitz" : "no chair" : (german ? "Vorsitz: " : "chair: ") + terms;
    }

    private static string Who(Actor actor, bool german) => actor.ActingFor is null
        ? $"{actor.PersonName} ({RoleName(actor.Role, german)})"
        : $"{actor.PersonName} ({RoleName(actor.Role, german)}, {Lands.NameOf(actor.ActingFor)})";

    private static string Choice(VoteChoice choice, bool german) => (choice, german) switch
    {
        (VoteChoice.Yes, true) => "Ja",
        (VoteChoice.No, true) => "Nein",
        (VoteChoice.Abstain, true) => "Enthaltung",
        _ => choice.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A recorded rule (<see cref="Bodies.VotingRule.ToString"/>: <c>atLeast:13</c>, <c>unanimity</c>,
    /// <c>simpleMajority(abstentions count)</c>, ...) in words; a text it does not know is shown as recorded.
    /// </summary>
    internal static string RuleLabel(string rule, bool german)
    {
        if (rule.StartsWith("atLeast:", StringComparison.Ordinal) && int.TryParse(rule.AsSpan("atLeast:".Length), out var n))
            return german ? $"mindestens {n} Ja-Stimmen" : $"at least {n} yes votes";
        return rule switch
        {
            "unanimity" => german ? "Einstimmigkeit, Enthaltung zählt als Nicht-Ja" : "unanimity, an abstention is not a yes",
            "unanimity(abstentions ignored)" => german ? "Einstimmigkeit, Enthaltungen zählen nicht" : "unanimity, abstentions ignored",
            "simpleMajority(abstentions count)" => german ? "einfache Mehrheit der abgegebenen Stimmen, Enthaltungen zählen mit" : "simple majority of votes cast, abstentions counted",
            "simpleMajority(abstentions ignored)" => german ? "einfache Mehrheit der abgegebenen Stimmen, Enthaltungen zählen nicht" : "simple majority of votes cast, abstentions ignored",
            _ => rule,
        };
    }

    /// <summary>A matter type as people name it; one the service does not know by its key.</summary>
    public static string MatterTypeName(string matterType, bool german) => (matterType, german) switch
    {
        ("default", true) => "Allgemeine Angelegenheit",
        ("default", false) => "General matter",
        ("budget", true) => "Haushaltsangelegenheit",
        ("budget", false) => "Budget matter",
        ("rulesOfProcedure", true) => "Geschäftsordnung",
        ("rulesOfProcedure", false) => "Rules of procedure",
        ("jointInstitutions", true) => "Gemeinsame Einrichtungen",
        ("jointInstitutions", false) => "Joint institutions",
        _ => german ? $"Angelegenheit „{matterType}“" : $"matter type \"{matterType}\"",
    };

    private static string Abstentions(int count, bool german) => german
        ? count == 1 ? "1 Enthaltung" : $"{count} Enthaltungen"
        : count == 1 ? "1 abstention" : $"{count} abstentions";

    private static string Changes(int count, bool german) => german
        ? count == 1 ? "1 Änderung" : $"{count} Änderungen"
        : count == 1 ? "1 change" : $"{count} changes";

    private static string Paragraphs(int count, bool german) => german
        ? count == 1 ? "1 Absatz" : $"{count} Absätzen"
        : count == 1 ? "1 paragraph" : $"{count} paragraphs";

    // A type described nowhere above: its stored name, the first Actor it carries and the instant it happened
    // (EventInstant), else the commit time.
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> Actors = new();

    private static EventDescription Generic(IEvent e, bool german)
    {
        var actor = Actors.GetOrAdd(e.Data.GetType(), type => type.GetProperties().FirstOrDefault(p => p.PropertyType == typeof(Actor)))?.GetValue(e.Data) as Actor;
        var at = EventInstant.Of(e.Data) ?? e.Timestamp;
        var label = e.EventTypeName.Replace('_', ' ');
        var text = actor is null ? label : $"{Who(actor, german)}: {label}";
        return new EventDescription(label, text, actor, at);
    }
}
