using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;

namespace BundLaenderKoordination.Api.Resolutions.WrittenProcedures;

public enum WrittenProcedureOutcome
{
    Adopted,
    NotAdopted,
    Objected,
}

/// <summary>The chair starts a written procedure (Umlaufverfahren) on the current text, in the body's mode, with a deadline.</summary>
public sealed record WrittenProcedureStarted(
    Guid ResolutionId,
    Guid ProcedureId,
    WrittenProcedureMode Mode,
    string MatterType,
    VotingRule Rule,
    string RuleText,
    IReadOnlyList<BodyMember> Members,
    int TextVersion,
    string TextHash,
    DateTimeOffset Deadline,
    Actor StartedBy,
    DateTimeOffset StartedAt);

public sealed record WrittenConsentGiven(
    Guid ResolutionId,
    Guid ProcedureId,
    string Land,
    int TextVersion,
    string TextHash,
    Actor GivenBy,
    DateTimeOffset GivenAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    Signing.ActSignature? Signature = null);

public sealed record WrittenObjectionRaised(
    Guid ResolutionId,
    Guid ProcedureId,
    string Land,
    string Reason,
    Actor RaisedBy,
    DateTimeOffset RaisedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    Signing.ActSignature? Signature = null);

/// <summary>
/// The end of a written procedure: adopted (a <c>resolution_adopted</c> follows), not adopted by the deadline, or ended by
/// an objection; the last two send the matter to a session (<c>ReferredToSession</c>, when one was scheduled).
/// </summary>
public sealed record WrittenProcedureEnded(
    Guid ResolutionId,
    Guid ProcedureId,
    WrittenProcedureOutcome Outcome,
    IReadOnlyList<string> Consents,
    IReadOnlyList<string> Objections,
    string Explanation,
    Guid? ReferredToSession,
    Actor EndedBy,
    DateTimeOffset EndedAt);

/// <summary>The durable reminder that a written procedure's deadline has come (a scheduled Wolverine message kept in PostgreSQL).</summary>
public sealed record WrittenProcedureDeadline(Guid ResolutionId, Guid ProcedureId);
