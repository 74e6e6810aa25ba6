using System.Xml.Linq;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Exports;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.Resolutions.Positions;
using BundLaenderKoordination.Tests.Shared;
using JasperFx.Events;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Exports;

/// <summary>The Akoma Ntoso documents of a resolution are valid against the OASIS schema, whatever characters the text holds.</summary>
public class AkomaNtosoTests
{
    private static readonly Guid Id = Guid.Parse("6a0d3c1e-2b4f-4e59-9a61-0c7d5e8f1a23");
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Bayern = new("dev:vertretung-de-by", "Vertretung Bayern", "DE-BY", Roles.Representative);
    private static readonly Actor Hessen = new("dev:vertretung-de-he", "Vertretung Hessen", "DE-HE", Roles.Representative);
    private static readonly Actor Saarland = new("dev:vertretung-de-sl", "Vertretung Saarland", "DE-SL", Roles.Representative);
    private static readonly Actor Chair = new("dev:vorsitz-de-by", "Vorsitz Bayern", "DE-BY", Roles.Chair);

    internal const string Title = "Beschluss zur „Förderung“ der Länder [Entwurf] & <Anlage> 'Süd'";
    internal static readonly Paragraph[] Text =
    [
        new("p1", "Die Länder begrüßen die \"Initiative\" des Bundes (vgl. [TOP 3])."),
        new("p2", "Größere Vorhaben – etwa § 5 Abs. 2 – bedürfen der Zustimmung.\nZweite Zeile: Ä, Ö, Ü, ß, €."),
    ];

    internal static ResolutionRecord Adopted()
    {
        var ballot = Guid.NewGuid();
        var data = new object[]
        {
            new ResolutionProposed(Id, "D16", Title, Text, 1, "h1", Bayern, T0),
            new ResolutionTextEdited(Id, [Text[0], Text[1], new Paragraph("p3", "Neuer Absatz mit <Zeichen> & „Anführung“.")], 2, "h2", Hessen, T0.AddHours(1)),
            new BallotOpened(Id, ballot, 1, "decision", VotingRule.AtLeastOf(2), "mindestens 2 von 3", [new("DE-BY", true), new("DE-HE", true), new("DE-SL", true)],
                2, "h2", Chair, T0.AddHours(2)),
            new VoteCast(Id, "DE-BY", VoteChoice.Yes, 2, "h2", Bayern, T0.AddHours(3), ballot),
            new VoteCast(Id, "DE-HE", VoteChoice.Yes, 2, "h2", Hessen, T0.AddHours(3), ballot),
            new VoteCast(Id, "DE-SL", VoteChoice.Abstain, 2, "h2", Saarland, T0.AddHours(3), ballot),
            new BallotClosed(Id, ballot, 2, "h2", "decision", VotingRule.AtLeastOf(2), "mindestens 2 von 3", ["DE-BY", "DE-HE"], [], ["DE-SL"], true,
                "2 Ja", Chair, T0.AddHours(4)),
            new ResolutionAdopted(Id, 2, "h2", "atLeast:2", ["DE-BY", "DE-HE"], [], ["DE-SL"], Chair, T0.AddHours(4), ballot),
            new DeclarationAttached(Id, Guid.NewGuid(), "DE-SL", "Das Saarland erklärt zu Protokoll: „Wir enthalten uns [aus Haushaltsgründen]“.", Saarland, T0.AddHours(5)),
        };
        var events = data.Select((d, i) => (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(d.GetType()), d)!).ToList();
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Version = i + 1;
            events[i].Sequence = 100 + i;
        }
        var view = events.Aggregate((ResolutionView?)null, (v, e) => ResolutionViewProjection.Next(v, e.Data))!;
        return new ResolutionRecord(view, events, new TextSeal("h2", 107, "resolution_adopted", 120, "checkpoint note\n"));
    }

    [Fact]
    public void An_adopted_resolution_with_umlauts_quotes_and_brackets_is_valid_Akoma_Ntoso()
    {
        var document = AkomaNtoso.Resolution(Adopted());

        AkomaNtosoSchema.Validate(document).ShouldBeEmpty();
    }

    [Fact]
    public void Paragraphs_keep_their_ids_and_text_and_the_deciding_ballot_is_counted()
    {
        var document = AkomaNtoso.Resolution(Adopted());
        XNamespace akn = AkomaNtoso.Akn;

        var paragraphs = document.Descendants(akn + "paragraph").ToList();
        paragraphs.Select(p => (string?)p.Attribute("eId")).ShouldBe(["para_p1", "para_p2", "para_p3"]);
        paragraphs.Select(p => (string?)p.Attribute("wId")).ShouldBe(["para_p1", "para_p2", "para_p3"]);
        paragraphs[0].Value.ShouldBe(Text[0].Text);
        string.Join("\n", paragraphs[1].Descendants(akn + "p").Select(p => p.Value)).ShouldBe(Text[1].Text);
        document.Descendants(akn + "docTitle").First().Value.ShouldBe(Title);

        var voting = document.Descendants(akn + "voting").Single();
        voting.Element(akn + "quorum")!.Attribute("value")!.Value.ShouldBe("2");
        voting.Elements(akn + "count").Select(c => ((string?)c.Attribute("refersTo"), (string?)c.Attribute("value")))
            .ShouldBe([("#yes", "2"), ("#no", "0"), ("#abstain", "1")]);

        var steps = document.Descendants(akn + "workflow").First().Elements(akn + "step").Select(s => (string?)s.Attribute("outcome")).ToList();
        steps.ShouldBe(["#proposed", "#edited", "#ballotOpened", "#voteYes", "#voteYes", "#voteAbstain", "#ballotClosed", "#adopted"]);
        document.Descendants(AkomaNtoso.Blk + "textHash").Single().Value.ShouldBe("h2");
        document.Descendants(AkomaNtoso.Blk + "checkpointTreeSize").Single().Value.ShouldBe("120");
        document.Descendants(akn + "attachment").Single().Descendants(akn + "p").Last().Value.ShouldContain("[aus Haushaltsgründen]");
    }

    [Fact]
    public void An_amendment_is_a_valid_Akoma_Ntoso_amendment_referring_to_its_base()
    {
        var record = Adopted();
        var amendment = new AmendmentView(Guid.NewGuid(), 1, AmendmentStatus.Open, 1,
            [
                new AmendmentChange(AmendmentChangeKind.Replace, "p1", null, Text[0].Text, null, null, "Die Länder „begrüßen“ [ausdrücklich] die Initiative."),
                new AmendmentChange(AmendmentChangeKind.Insert, null, "p2", null, null, null, "Ein neuer Absatz & mehr."),
                new AmendmentChange(AmendmentChangeKind.Delete, "p2", null, Text[1].Text, null, null, null),
                new AmendmentChange(AmendmentChangeKind.ReplaceSpan, "p1", null, Text[0].Text, "\"Initiative\"", 25, "Vorlage"),
            ],
            "Begründung: Klarstellung (siehe „Anlage“).", PersonView.Of(Hessen), T0.AddMinutes(30), ["DE-SL"], false, [], null);

        var document = AkomaNtoso.Amendment(record, amendment);

        AkomaNtosoSchema.Validate(document).ShouldBeEmpty();
        var refs = document.Descendants(AkomaNtoso.Akn + "ref").Select(r => (string?)r.Attribute("href")).ToList();
        refs.ShouldAllBe(href => href!.StartsWith(AkomaNtoso.WorkIri(record.View) + "/deu@v1"));
    }
}
