using System.Globalization;
using System.Text;
using System.Xml.Linq;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Resolutions.Positions;
using JasperFx.Events;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// A resolution and its amendments as Akoma Ntoso 3.0 (OASIS LegalDocML) documents: a <c>statement</c> (a formal
/// expression of a body's will) with FRBR identification, the workflow of the negotiation, the count of the deciding
/// ballot and the Protokollerklärungen as attachments; an amendment as an <c>amendment</c> document referring to the text
/// version it was proposed against. Pure functions of the record, so the schema test needs no database.
/// </summary>
public static class AkomaNtoso
{
    public static readonly XNamespace Akn = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

    /// <summary>Our own metadata (text hash, seal) inside <c>proprietary</c>; a reader that does not know it may skip it.</summary>
    public static readonly XNamespace Blk = "urn:bund-laender-koordination:akn:1";

    public const string MediaType = "application/akn+xml";

    private const string Source = "#blk";

    /// <summary>The work IRI: country, document type, the body as author, the date of the proposal and the resolution's id.</summary>
    public static string WorkIri(ResolutionView view) =>
        $"/akn/de/statement/beschluss/{view.Body.ToLowerInvariant()}/{Date(view.ProposedAt)}/{view.Id:D}";

    /// <summary>The expression IRI: the work in German (<c>deu</c>) at one text version.</summary>
    public static string ExpressionIri(ResolutionView view) => $"{WorkIri(view)}/deu@v{view.TextVersion}";

    /// <summary>eId and wId of a paragraph: from its stable id (<c>p7</c> stays <c>para_p7</c> through every edit).</summary>
    public static string ParagraphEid(string paragraphId) => "para_" + paragraphId;

    public static XDocument Resolution(ResolutionRecord record)
    {
        var view = record.View;
        var refs = new References();
        refs.Organization("blk", "Bund-Länder-Koordination");
        refs.Organization(BodyRef(view.Body), view.Body);

        var workflow = Workflow(record.Events, refs);
        var analysis = Voting(record, refs);

        var meta = new XElement(Akn + "meta",
            Identification(WorkIri(view), ExpressionIri(view), view.ProposedAt, Latest(view), view.Body, view.Id.ToString("D")),
            workflow.Count > 0 ? new XElement(Akn + "workflow", new XAttribute("source", Source), workflow) : null,
            analysis,
            refs.ToElement(),
            Proprietary(record));

        var body = new XElement(Akn + "mainBody",
            view.Paragraphs.Select(p => new XElement(Akn + "paragraph",
                new XAttribute("eId", ParagraphEid(p.Id)), new XAttribute("wId", ParagraphEid(p.Id)),
                new XElement(Akn + "content", Lines(p.Text)))));

        var preface = new XElement(Akn + "preface",
            new XElement(Akn + "p", new XAttribute("class", "title"), new XElement(Akn + "docTitle", view.Title)),
            new XElement(Akn + "p", new XAttribute("class", "status"), new XElement(Akn + "docStatus", StatusText(view.Status))),
            new XElement(Akn + "p", new XAttribute("class", "body"), new XElement(Akn + "docAuthority", view.Body)),
            new XElement(Akn + "p", new XAttribute("class", "date"),
                new XElement(Akn + "docDate", new XAttribute("date", Date(view.Adoption?.AdoptedAt ?? view.ProposedAt)),
                    GermanDate(view.Adoption?.AdoptedAt ?? view.ProposedAt))));

        var attachments = view.Declarations.Count == 0
            ? null
            : new XElement(Akn + "attachments", view.Declarations.Select((d, i) => Declaration(view, d, i + 1)));

        return new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(Akn + "akomaNtoso", new XAttribute(XNamespace.Xmlns + "blk", Blk),
                new XElement(Akn + "statement", new XAttribute("name", "beschluss"), meta, preface, body, attachments)));
    }

    /// <summary>An amendment (Änderungsantrag) against the text version it names, each change as a <c>mod</c> with the quoted texts.</summary>
    public static XDocument Amendment(ResolutionRecord record, AmendmentView amendment)
    {
        var view = record.View;
        var work = $"{WorkIri(view)}/aenderungsantrag-{amendment.Number}";
        var baseExpression = $"{WorkIri(view)}/deu@v{amendment.BaseTextVersion}";
        var refs = new References();
        refs.Organization("blk", "Bund-Länder-Koordination");
        refs.Organization(BodyRef(view.Body), view.Body);
        var steps = new List<XElement>
        {
            refs.Step(amendment.ProposedAt, amendment.ProposedBy, "proposed", "Eingebracht"),
        };
        if (amendment.Decision is { } decision)
            steps.Add(refs.Step(decision.At, decision.By, decision.Outcome == AmendmentStatus.Accepted ? "accepted" : "rejected",
                decision.Outcome == AmendmentStatus.Accepted ? (decision.WithChanges ? "Mit Änderungen angenommen" : "Angenommen") : "Abgelehnt"));

        var meta = new XElement(Akn + "meta",
            Identification(work, $"{work}/deu@{Date(amendment.Decision?.At ?? amendment.ProposedAt)}", amendment.ProposedAt,
                amendment.Decision?.At ?? amendment.ProposedAt, view.Body, $"Ä{amendment.Number}"),
            new XElement(Akn + "workflow", new XAttribute("source", Source), steps),
            refs.ToElement(),
            new XElement(Akn + "proprietary", new XAttribute("source", Source),
                new XElement(Blk + "amendment",
                    new XElement(Blk + "resolution", view.Id.ToString("D")),
                    new XElement(Blk + "baseTextVersion", amendment.BaseTextVersion),
                    new XElement(Blk + "status", amendment.Status.ToString()),
                    amendment.Supporters.Select(s => new XElement(Blk + "supportedBy", s)))));

        var changes = amendment.Changes.Select((c, i) => new XElement(Akn + "p",
            new XElement(Akn + "mod", new XAttribute("eId", $"mod_{i + 1}"), ChangeText(c, baseExpression))));

        return new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(Akn + "akomaNtoso", new XAttribute(XNamespace.Xmlns + "blk", Blk),
                new XElement(Akn + "amendment", new XAttribute("name", "aenderungsantrag"),
                    meta,
                    new XElement(Akn + "preface",
                        new XElement(Akn + "p", new XElement(Akn + "docTitle", $"Änderungsantrag Ä{amendment.Number} zu „{view.Title}“")),
                        new XElement(Akn + "p", new XElement(Akn + "docProponent", amendment.ProposedBy.ActingFor is { } land ? Lands.NameOf(land) : amendment.ProposedBy.Name))),
                    new XElement(Akn + "amendmentBody",
                        new XElement(Akn + "amendmentContent", changes),
                        new XElement(Akn + "amendmentJustification", Lines(amendment.Rationale))))));
    }

    private static IEnumerable<object> ChangeText(AmendmentChange change, string baseExpression)
    {
        var target = change.ParagraphId ?? change.After;
        XElement Ref(string text) => new(Akn + "ref",
            new XAttribute("href", target is null ? baseExpression : $"{baseExpression}/~{ParagraphEid(target)}"), text);
        XElement Quoted(string? text) => new(Akn + "quotedText", text ?? "");
        return change.Kind switch
        {
            AmendmentChangeKind.Replace => ["In ", Ref($"Absatz {change.ParagraphId}"), " wird der Text ", Quoted(change.BaseText), " ersetzt durch ", Quoted(change.Text), "."],
            AmendmentChangeKind.ReplaceSpan => ["In ", Ref($"Absatz {change.ParagraphId}"), " wird ", Quoted(change.Quote), " ersetzt durch ", Quoted(change.Text), "."],
            AmendmentChangeKind.Delete => [Ref($"Absatz {change.ParagraphId}"), " ", Quoted(change.BaseText), " wird gestrichen."],
            _ => [change.After is null ? "Am Anfang" : "Nach ", change.After is null ? "" : Ref($"Absatz {change.After}"), " wird eingefügt: ", Quoted(change.Text), "."],
        };
    }

    private static XElement Identification(string work, string expression, DateTimeOffset workDate, DateTimeOffset expressionDate, string body, string number,
        string prefix = "")
    {
        var author = "#" + prefix + BodyRef(body);
        return new XElement(Akn + "identification", new XAttribute("source", Source),
            new XElement(Akn + "FRBRWork",
                new XElement(Akn + "FRBRthis", new XAttribute("value", work + "/!main")),
                new XElement(Akn + "FRBRuri", new XAttribute("value", work)),
                new XElement(Akn + "FRBRdate", new XAttribute("date", Date(workDate)), new XAttribute("name", "proposal")),
                new XElement(Akn + "FRBRauthor", new XAttribute("href", author)),
                new XElement(Akn + "FRBRcountry", new XAttribute("value", "de")),
                new XElement(Akn + "FRBRnumber", new XAttribute("value", number))),
            new XElement(Akn + "FRBRExpression",
                new XElement(Akn + "FRBRthis", new XAttribute("value", expression + "/!main")),
                new XElement(Akn + "FRBRuri", new XAttribute("value", expression)),
                new XElement(Akn + "FRBRdate", new XAttribute("date", Date(expressionDate)), new XAttribute("name", "version")),
                new XElement(Akn + "FRBRauthor", new XAttribute("href", author)),
                new XElement(Akn + "FRBRlanguage", new XAttribute("language", "deu"))),
            new XElement(Akn + "FRBRManifestation",
                new XElement(Akn + "FRBRthis", new XAttribute("value", expression + "/!main.xml")),
                new XElement(Akn + "FRBRuri", new XAttribute("value", expression + ".akn")),
                new XElement(Akn + "FRBRdate", new XAttribute("date", Date(expressionDate)), new XAttribute("name", "generation")),
                new XElement(Akn + "FRBRauthor", new XAttribute("href", "#blk"))));
    }

    /// <summary>The steps of the negotiation that change what the resolution is: proposal, edits, ballots, votes, the decision.</summary>
    private static List<XElement> Workflow(IEnumerable<IEvent> events, References refs)
    {
        var steps = new List<XElement>();
        foreach (var e in events)
        {
            var step = e.Data switch
            {
                ResolutionProposed p => refs.Step(p.ProposedAt, PersonView.Of(p.ProposedBy), "proposed", "Eingebracht", ("textVersion", p.TextVersion)),
                ResolutionTextEdited t => refs.Step(t.EditedAt, PersonView.Of(t.EditedBy), "edited", "Text geändert", ("textVersion", t.TextVersion)),
                BallotOpened b => refs.Step(b.OpenedAt, PersonView.Of(b.OpenedBy), "ballotOpened", $"Abstimmung {b.Number} eröffnet", ("textVersion", b.TextVersion)),
                VoteCast v => refs.Step(v.CastAt, PersonView.Of(v.CastBy), "vote" + v.Choice, VoteText(v.Choice), ("textVersion", v.TextVersion)),
                BallotCancelled c => refs.Step(c.CancelledAt, PersonView.Of(c.CancelledBy), "ballotCancelled", "Abstimmung abgebrochen"),
                BallotClosed c => refs.Step(c.ClosedAt, PersonView.Of(c.ClosedBy), "ballotClosed", c.Adopted ? "Abstimmung geschlossen: angenommen" : "Abstimmung geschlossen: nicht angenommen", ("textVersion", c.TextVersion)),
                ResolutionAdopted a => refs.Step(a.AdoptedAt, PersonView.Of(a.AdoptedBy), "adopted", "Beschlossen", ("textVersion", a.TextVersion)),
                ResolutionRejected r => refs.Step(r.RejectedAt, PersonView.Of(r.RejectedBy), "rejected", "Abgelehnt", ("textVersion", r.TextVersion)),
                ResolutionWithdrawn w => refs.Step(w.WithdrawnAt, PersonView.Of(w.WithdrawnBy), "withdrawn", "Zurückgezogen"),
                _ => null,
            };
            if (step is not null) steps.Add(step);
        }
        return steps;
    }

    /// <summary>The deciding ballot (the last closed one; else the adoption's own count): quorum and counts per choice.</summary>
    private static XElement? Voting(ResolutionRecord record, References refs)
    {
        var view = record.View;
        var ballot = view.Ballots.LastOrDefault(b => b.Result is not null);
        IReadOnlyList<string> yes, no, abstain;
        string rule;
        int? quorum;
        string eId;
        bool adopted;
        if (ballot is { Result: { } result })
        {
            (yes, no, abstain, rule, adopted, eId) = (result.Yes, result.No, result.Abstain, ballot.RuleText, result.Adopted, $"ballot_{ballot.Number}");
            var voting = record.Events.Select(e => e.Data).OfType<BallotOpened>().FirstOrDefault(o => o.BallotId == ballot.Id)?.Members.Count(m => m.Voting);
            quorum = Quorum(ballot.Rule, voting, yes.Count + no.Count + abstain.Count, abstain.Count);
        }
        else if (view.Adoption is { } adoption)
        {
            (yes, no, abstain, rule, adopted, eId, quorum) = (adoption.Yes, adoption.No, adoption.Abstain, adoption.Rule, true, "adoption", null);
        }
        else
        {
            return null;
        }

        refs.Concept("rule", rule);
        refs.Concept("yes", "Ja");
        refs.Concept("no", "Nein");
        refs.Concept("abstain", "Enthaltung");
        refs.Concept(adopted ? "adopted" : "notAdopted", adopted ? "angenommen" : "nicht angenommen");
        XElement Count(string choice, IReadOnlyList<string> lands) => new(Akn + "count",
            new XAttribute("eId", $"{eId}__count_{choice}"), new XAttribute("value", lands.Count), new XAttribute("refersTo", "#" + choice),
            lands.Select(l => new XElement(Blk + "land", l)));
        return new XElement(Akn + "analysis", new XAttribute("source", Source),
            new XElement(Akn + "parliamentary",
                new XElement(Akn + "voting", new XAttribute("eId", eId), new XAttribute("outcome", adopted ? "#adopted" : "#notAdopted"),
                    new XAttribute("refersTo", "#rule"),
                    quorum is { } q ? new XElement(Akn + "quorum", new XAttribute("eId", $"{eId}__quorum"), new XAttribute("value", q), new XAttribute("refersTo", "#rule")) : null,
                    Count("yes", yes), Count("no", no), Count("abstain", abstain))));
    }

    /// <summary>The yes votes the rule needed: a fixed count, every voting member, or more than half of the counted votes.</summary>
    internal static int? Quorum(Bodies.VotingRule rule, int? votingMembers, int cast, int abstentions) => rule.Kind switch
    {
        Bodies.VotingRuleKind.AtLeast => rule.Count,
        Bodies.VotingRuleKind.Unanimity => rule.Abstentions == Bodies.AbstentionTreatment.Ignored ? null : votingMembers,
        _ => (rule.Abstentions == Bodies.AbstentionTreatment.Ignored ? cast - abstentions : cast) / 2 + 1,
    };

    private static XElement Proprietary(ResolutionRecord record)
    {
        var view = record.View;
        return new XElement(Akn + "proprietary", new XAttribute("source", Source),
            new XElement(Blk + "resolution", view.Id.ToString("D")),
            new XElement(Blk + "streamVersion", view.Version),
            new XElement(Blk + "textVersion", view.TextVersion),
            new XElement(Blk + "textHash", new XAttribute("algorithm", "blk-text-v1 sha-256"), view.TextHash),
            record.Seal is { } seal
                ? new XElement(Blk + "seal",
                    new XElement(Blk + "eventSequence", seal.Sequence),
                    new XElement(Blk + "eventType", seal.EventType),
                    new XElement(Blk + "inclusionProof", seal.InclusionProofPath),
                    seal.TreeSize is { } size ? new XElement(Blk + "checkpointTreeSize", size) : null,
                    seal.CheckpointPath is { } path ? new XElement(Blk + "checkpointUri", path) : null,
                    seal.Checkpoint is { } note ? new XElement(Blk + "checkpoint", note) : null)
                : null);
    }

    private static XElement Declaration(ResolutionView view, DeclarationView declaration, int number)
    {
        var work = $"{WorkIri(view)}/protokollerklaerung-{number}";
        // eIds are unique in the whole document, attachments included.
        var prefix = $"att_{number}__";
        var refs = new References(prefix);
        refs.Organization(prefix + BodyRef(view.Body), view.Body);
        foreach (var land in declaration.Lands) refs.Organization(prefix + LandRef(land), Lands.NameOf(land));
        var person = refs.Step(declaration.AttachedAt, declaration.AttachedBy, "declared", "Protokollerklärung abgegeben");
        return new XElement(Akn + "attachment", new XAttribute("eId", $"att_{number}"),
            new XElement(Akn + "doc", new XAttribute("name", "protokollerklaerung"),
                new XElement(Akn + "meta",
                    Identification(work, $"{work}/deu@{Date(declaration.AttachedAt)}", declaration.AttachedAt, declaration.AttachedAt, view.Body, number.ToString(CultureInfo.InvariantCulture), prefix),
                    new XElement(Akn + "workflow", new XAttribute("source", Source), person),
                    refs.ToElement()),
                new XElement(Akn + "preface",
                    new XElement(Akn + "p", new XElement(Akn + "docTitle",
                        $"Protokollerklärung {string.Join(", ", declaration.Lands.Select(Lands.NameOf))}"))),
                new XElement(Akn + "mainBody", new XElement(Akn + "blockContainer", new XAttribute("eId", prefix + "text"), Lines(declaration.Text)))));
    }

    private static IEnumerable<XElement> Lines(string text) =>
        text.Split('\n').Select(line => new XElement(Akn + "p", line));

    private static DateTimeOffset Latest(ResolutionView view) => view.LastChangedAt;

    internal static string Date(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string DateTime(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string GermanDate(DateTimeOffset at) => Web.GermanTime.Local(at).ToString("d. MMMM yyyy", CultureInfo.GetCultureInfo("de-DE"));

    internal static string StatusText(ResolutionStatus status) => status switch
    {
        ResolutionStatus.Adopted => "Beschlossen",
        ResolutionStatus.Rejected => "Abgelehnt",
        ResolutionStatus.Withdrawn => "Zurückgezogen",
        _ => "In Verhandlung",
    };

    internal static string VoteText(VoteChoice choice) => choice switch
    {
        VoteChoice.Yes => "Ja",
        VoteChoice.No => "Nein",
        _ => "Enthaltung",
    };

    private static string BodyRef(string body) => "body-" + Token(body);

    internal static string LandRef(string land) => "land-" + Token(land);

    /// <summary>An id (NCName) from any string: letters and digits kept, everything else as its code point.</summary>
    internal static string Token(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value.ToLowerInvariant())
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') builder.Append(c);
            else builder.Append('_').Append(((int)c).ToString("x", CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    /// <summary>The <c>references</c> section: each organisation, person and role once, in the order first named.</summary>
    private sealed class References(string prefix = "")
    {
        private readonly List<XElement> _items = [];
        private readonly HashSet<string> _ids = [];

        public void Organization(string id, string name) => Add("TLCOrganization", id, $"/ontology/organization/blk/{id}", name);

        public void Concept(string id, string name) => Add("TLCConcept", id, $"/ontology/concept/blk/{id}", name);

        /// <summary>A workflow step by a person, in their role, for the Land they acted for; names each in the references.</summary>
        public XElement Step(DateTimeOffset at, PersonView by, string outcome, string label, params (string Name, object Value)[] details)
        {
            var person = prefix + "person-" + Token(by.PersonId);
            Add("TLCPerson", person, $"/ontology/person/blk/{Token(by.PersonId)}", by.Name);
            var role = prefix + "role-" + Token(by.Role);
            Add("TLCRole", role, $"/ontology/role/blk/{Token(by.Role)}", by.Role);
            Concept(prefix + outcome, label);
            string? land = null;
            if (by.ActingFor is { } code)
            {
                land = prefix + LandRef(code);
                Organization(land, Lands.NameOf(code));
            }
            return new XElement(Akn + "step",
                new XAttribute("date", DateTime(at)), new XAttribute("by", "#" + person), new XAttribute("as", "#" + role),
                land is null ? null : new XAttribute("refersTo", "#" + land),
                new XAttribute("outcome", "#" + prefix + outcome),
                new XElement(Blk + "label", label),
                details.Select(d => new XElement(Blk + d.Name, d.Value)));
        }

        private void Add(string kind, string id, string href, string showAs)
        {
            if (_ids.Add(id))
                _items.Add(new XElement(Akn + kind, new XAttribute("eId", id), new XAttribute("href", href), new XAttribute("showAs", showAs)));
        }

        public XElement ToElement() => new(Akn + "references", new XAttribute("source", Source), _items);
    }
}
