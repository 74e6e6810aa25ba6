using System.Security.Cryptography;
using System.Text;
using BundLaenderKoordination.Api.Identity;

namespace BundLaenderKoordination.Api.Bodies;

/// <summary>A member of a body: a Land or the Bund, with or without a vote.</summary>
public sealed record BodyMember(string Land, bool Voting);

/// <summary>From <see cref="From"/> (a calendar date, until the next term begins) <see cref="Land"/> chairs the body.</summary>
public sealed record ChairTerm(string Land, DateOnly From);

public enum WrittenProcedureMode
{
    /// <summary>Adopted when the rule is met by explicit consent before the deadline.</summary>
    ExplicitConsent,

    /// <summary>Silence procedure: adopted at the deadline unless a member objected.</summary>
    Silence,
}

public sealed record WrittenProcedureRules(WrittenProcedureMode Mode, int DefaultDeadlineDays);

/// <summary>
/// How a body works, as an administrator configures it. <see cref="Rules"/> maps matter types to voting rules; the
/// matter type <c>default</c> applies to any matter type without a rule of its own.
/// </summary>
public sealed record BodyConfiguration(
    string Name,
    IReadOnlyList<BodyMember> Members,
    IReadOnlyDictionary<string, VotingRule> Rules,
    IReadOnlyList<ChairTerm> ChairSchedule,
    WrittenProcedureRules WrittenProcedure,
    bool? SignedActsRequired = null);

/// <summary>
/// A body (Gremium), folded from its own event stream. Its stream id follows from its code (<see cref="StreamIdFor"/>),
/// so resolutions name a body by its code ("D16") while the body itself is event-sourced.
/// </summary>
public sealed record Body(
    string Id,
    Guid StreamId,
    string Name,
    IReadOnlyList<BodyMember> Members,
    IReadOnlyDictionary<string, VotingRule> Rules,
    IReadOnlyList<ChairTerm> ChairSchedule,
    WrittenProcedureRules WrittenProcedure,
    long Version,
    DateTimeOffset ConfiguredAt)
{
    public const string DefaultMatterType = "default";

    /// <summary>
    /// Votes, consents and objections in this body must carry the delegate's passkey signature (enforced unless the
    /// service is configured otherwise, <see cref="Resolutions.Signing.SigningOptions"/>). Absent in older configurations: false.
    /// </summary>
    public bool SignedActsRequired { get; init; }

    public BodyMember? MemberFor(string? land) => Members.FirstOrDefault(m => m.Land == land);

    public int VotingMembers => Members.Count(m => m.Voting);

    /// <summary>A majority of the voting members: 9 of 16.</summary>
    public int MajorityOfMembers => VotingMembers / 2 + 1;

    public VotingRule RuleFor(string matterType) =>
        Rules.TryGetValue(matterType, out var rule) ? rule : Rules[DefaultMatterType];

    /// <summary>The Land (or the Bund) chairing on the calendar date of <paramref name="now"/> (UTC); null before the first term.</summary>
    public string? ChairOn(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return ChairSchedule.Where(t => t.From <= today).OrderBy(t => t.From).LastOrDefault()?.Land;
    }

    /// <summary>The next handover after <paramref name="now"/>, if the schedule has one.</summary>
    public ChairTerm? NextChair(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return ChairSchedule.Where(t => t.From > today).OrderBy(t => t.From).FirstOrDefault();
    }

    public static Guid StreamIdFor(string code)
    {
        // A name-based id (RFC 9562 version 5 layout over SHA-1): the same code gives the same stream everywhere.
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes("bund-laender-koordination/body/" + code.ToUpperInvariant()));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static Body? Next(Body? body, object @event) => (body, @event) switch
    {
        (null, BodyCreated e) => From(e.Code, e.BodyId, e.Configuration, 1, e.CreatedAt),
        (not null, BodyConfigured e) => From(body.Id, body.StreamId, e.Configuration, body.Version + 1, e.ConfiguredAt),
        (not null, _) => body with { Version = body.Version + 1 },
        _ => body,
    };

    public static Body? Fold(IEnumerable<object> events) => events.Aggregate((Body?)null, Next);

    private static Body From(string code, Guid streamId, BodyConfiguration c, long version, DateTimeOffset at) =>
        new(code, streamId, c.Name, c.Members, c.Rules, [.. c.ChairSchedule.OrderBy(t => t.From)], c.WrittenProcedure, version, at)
        {
            SignedActsRequired = c.SignedActsRequired == true,
        };
}

// The events of a body stream (stored names in BodiesConfiguration, fields in docs/events.md).

public sealed record BodyCreated(Guid BodyId, string Code, BodyConfiguration Configuration, Actor CreatedBy, DateTimeOffset CreatedAt);

/// <summary>The whole configuration as it holds from now on; ballots already opened keep the rule they recorded.</summary>
public sealed record BodyConfigured(Guid BodyId, string Code, BodyConfiguration Configuration, Actor ConfiguredBy, DateTimeOffset ConfiguredAt);
