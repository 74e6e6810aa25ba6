using BundLaenderKoordination.Api.Identity;
using Marten;
using Marten.Schema;

namespace BundLaenderKoordination.Api.Bodies;

/// <summary>
/// The bodies every installation starts with, created once (a body stream that exists is left as it is). Sources and
/// the reasoning behind each default are in docs/governance.md.
/// </summary>
public sealed class BodySeed : IInitialData
{
    public static readonly Actor Setup = new("system:setup", "Grundeinrichtung", null, Roles.Admin);
    private static readonly DateTimeOffset SeededAt = new(2020, 9, 24, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<BodyMember> LaenderWithBund(bool bundVotes) =>
        [.. Lands.Laender.Select(land => new BodyMember(land, Voting: true)), new BodyMember(Lands.Bund, Voting: bundVotes)];

    /// <summary>
    /// D16 (press release of 24 Sept 2020): the 16 Länder vote, the Bund is a guest without vote; chaired by Bayern
    /// at the time of the release. Its voting rule is not public: 13 of 16, the MPK's rule, is the configured default.
    /// </summary>
    public static readonly (string Code, BodyConfiguration Configuration) D16Preset = ("D16", new BodyConfiguration(
        "D16 – Konferenz der Digitalministerinnen und Digitalminister der Länder",
        LaenderWithBund(bundVotes: false),
        new Dictionary<string, VotingRule> { [Body.DefaultMatterType] = VotingRule.AtLeastOf(13) },
        [new ChairTerm("DE-BY", new DateOnly(2020, 1, 1))],
        new WrittenProcedureRules(WrittenProcedureMode.ExplicitConsent, 14),
        SignedActsRequired: true));

    /// <summary>MPK: 13 of 16 for most matters; unanimity for rules of procedure, budget matters and joint institutions; chair from 1 October.</summary>
    public static readonly (string Code, BodyConfiguration Configuration) MpkPreset = ("MPK", new BodyConfiguration(
        "MPK – Ministerpräsidentenkonferenz",
        LaenderWithBund(bundVotes: false),
        new Dictionary<string, VotingRule>
        {
            [Body.DefaultMatterType] = VotingRule.AtLeastOf(13),
            ["rulesOfProcedure"] = VotingRule.Unanimous(),
            ["budget"] = VotingRule.Unanimous(),
            ["jointInstitutions"] = VotingRule.Unanimous(),
        },
        [
            new ChairTerm("DE-BE", new DateOnly(2020, 10, 1)), new ChairTerm("DE-BY", new DateOnly(2021, 10, 1)),
            new ChairTerm("DE-NI", new DateOnly(2022, 10, 1)), new ChairTerm("DE-HE", new DateOnly(2023, 10, 1)),
            new ChairTerm("DE-SN", new DateOnly(2024, 10, 1)),
        ],
        new WrittenProcedureRules(WrittenProcedureMode.ExplicitConsent, 14),
        SignedActsRequired: true));

    /// <summary>IMK: always unanimous; the Bund is a guest without vote; chair by calendar year.</summary>
    public static readonly (string Code, BodyConfiguration Configuration) ImkPreset = ("IMK", new BodyConfiguration(
        "IMK – Ständige Konferenz der Innenminister und -senatoren der Länder",
        LaenderWithBund(bundVotes: false),
        new Dictionary<string, VotingRule> { [Body.DefaultMatterType] = VotingRule.Unanimous() },
        [
            new ChairTerm("DE-BE", new DateOnly(2023, 1, 1)), new ChairTerm("DE-BB", new DateOnly(2024, 1, 1)),
            new ChairTerm("DE-HB", new DateOnly(2025, 1, 1)),
        ],
        new WrittenProcedureRules(WrittenProcedureMode.ExplicitConsent, 14)));

    /// <summary>A Bund-Länder format (the seed names the "Bund-Länder-Gespräch KI"): the Bund takes part with a vote; decisions by consensus.</summary>
    public static readonly (string Code, BodyConfiguration Configuration) BundLaenderKiPreset = ("BL-KI", new BodyConfiguration(
        "Bund-Länder-Gespräch KI",
        LaenderWithBund(bundVotes: true),
        new Dictionary<string, VotingRule> { [Body.DefaultMatterType] = VotingRule.Unanimous(AbstentionTreatment.Ignored) },
        [new ChairTerm(Lands.Bund, new DateOnly(2020, 1, 1))],
        new WrittenProcedureRules(WrittenProcedureMode.Silence, 10)));

    public static readonly IReadOnlyList<(string Code, BodyConfiguration Configuration)> Presets = [D16Preset, MpkPreset, ImkPreset, BundLaenderKiPreset];

    public static BodyCreated Created((string Code, BodyConfiguration Configuration) preset) =>
        new(Body.StreamIdFor(preset.Code), preset.Code, preset.Configuration, Setup, SeededAt);

    /// <summary>D16 as seeded, for the pure decision tests.</summary>
    public static readonly Body D16 = Body.Fold([Created(D16Preset)])!;

    public async Task Populate(IDocumentStore store, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        foreach (var preset in Presets)
        {
            var id = Body.StreamIdFor(preset.Code);
            if (await session.Events.FetchStreamStateAsync(id, cancellation) is not null) continue;
            session.Events.StartStream<Body>(id, Created(preset));
        }
        await session.SaveChangesAsync(cancellation);
    }
}
