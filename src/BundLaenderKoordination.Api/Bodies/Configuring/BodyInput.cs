using System.Globalization;
using BundLaenderKoordination.Api.Identity;

namespace BundLaenderKoordination.Api.Bodies.Configuring;

public sealed record MemberInput(string? Land, bool? Voting);

/// <summary><c>kind</c>: unanimity | atLeast | simpleMajority; <c>count</c> for atLeast; <c>abstentions</c>: notYes | ignored.</summary>
public sealed record RuleInput(string? Kind, int? Count, string? Abstentions);

public sealed record ChairTermInput(string? Land, string? From);

public sealed record WrittenProcedureInput(string? Mode, int? DefaultDeadlineDays);

/// <summary>A body's configuration as sent by an administrator, checked and turned into the stored form.</summary>
public sealed record BodyInput(
    string? Name,
    IReadOnlyList<MemberInput?>? Members,
    IReadOnlyDictionary<string, RuleInput?>? Rules,
    IReadOnlyList<ChairTermInput?>? ChairSchedule,
    WrittenProcedureInput? WrittenProcedure,
    bool? SignedActsRequired = null)
{
    public const int MaxNameLength = 200;

    public (BodyConfiguration? Configuration, string? Problem) Parse()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength) return (null, $"Give the body a name of 1 to {MaxNameLength} characters.");
        if (Resolutions.TextRules.CheckInvisible(Name, "The body's name") is { } invisible) return (null, invisible);
        if (Members is null || Members.Count == 0) return (null, "List the members: each a Land or the Bund, with \"voting\": true or false.");
        var members = new List<BodyMember>();
        foreach (var m in Members)
        {
            if (Lands.Normalize(m?.Land) is not { } land) return (null, $"'{m?.Land}' is not a Land or the Bund.");
            if (m!.Voting is null) return (null, $"Say whether {land} votes (\"voting\": true or false).");
            if (members.Any(x => x.Land == land)) return (null, $"{land} is listed twice.");
            members.Add(new BodyMember(land, m.Voting.Value));
        }
        var voting = members.Count(m => m.Voting);
        if (voting == 0) return (null, "A body needs at least one voting member.");

        if (Rules is null || !Rules.ContainsKey(Body.DefaultMatterType))
            return (null, "Give the rules per matter type, at least one for \"default\".");
        var rules = new Dictionary<string, VotingRule>(StringComparer.Ordinal);
        foreach (var (matter, input) in Rules)
        {
            if (string.IsNullOrWhiteSpace(matter) || matter.Length > 60) return (null, "A matter type is a name of 1 to 60 characters.");
            if (Resolutions.TextRules.CheckInvisible(matter, "A matter type") is { } invisibleMatter) return (null, invisibleMatter);
            var abstentions = input?.Abstentions switch
            {
                null or "notYes" => AbstentionTreatment.NotYes,
                "ignored" => AbstentionTreatment.Ignored,
                _ => (AbstentionTreatment?)null,
            };
            if (abstentions is null) return (null, $"Abstentions in the rule for '{matter}' are \"notYes\" or \"ignored\".");
            VotingRule? rule = input?.Kind switch
            {
                "unanimity" => VotingRule.Unanimous(abstentions.Value),
                "simpleMajority" => VotingRule.Majority(abstentions.Value),
                "atLeast" when input.Count is { } n && n >= 1 && n <= voting => VotingRule.AtLeastOf(n),
                "atLeast" => null,
                _ => null,
            };
            if (rule is null)
                return (null, input?.Kind == "atLeast"
                    ? $"The rule for '{matter}' needs a count from 1 to {voting} (the voting members)."
                    : $"The rule for '{matter}' is \"unanimity\", \"atLeast\" (with a count) or \"simpleMajority\".");
            rules[matter] = rule;
        }

        if (ChairSchedule is null || ChairSchedule.Count == 0) return (null, "Give the chair schedule: who chairs from which date (yyyy-MM-dd).");
        var terms = new List<ChairTerm>();
        foreach (var t in ChairSchedule)
        {
            if (Lands.Normalize(t?.Land) is not { } land || members.All(m => m.Land != land))
                return (null, $"The chair '{t?.Land}' must be a member of the body.");
            if (!DateOnly.TryParseExact(t!.From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
                return (null, $"'{t.From}' is not a date such as 2026-10-01.");
            if (terms.Any(x => x.From == from)) return (null, $"Two chair terms begin on {from:yyyy-MM-dd}.");
            terms.Add(new ChairTerm(land, from));
        }

        var mode = WrittenProcedure?.Mode switch
        {
            "explicitConsent" => WrittenProcedureMode.ExplicitConsent,
            "silence" => WrittenProcedureMode.Silence,
            _ => (WrittenProcedureMode?)null,
        };
        if (mode is null) return (null, "writtenProcedure.mode is \"explicitConsent\" or \"silence\".");
        if (WrittenProcedure!.DefaultDeadlineDays is not (>= 1 and <= 90)) return (null, "writtenProcedure.defaultDeadlineDays is 1 to 90.");

        return (new BodyConfiguration(Name.Trim(), members, rules, terms, new WrittenProcedureRules(mode.Value, WrittenProcedure.DefaultDeadlineDays.Value),
            SignedActsRequired == true ? true : null), null);
    }
}
