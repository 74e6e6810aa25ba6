using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BundLaenderKoordination.Audit;

public static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <summary>Which events a bundle holds: all, those of one resolution, or those of the resolutions of one body.</summary>
public sealed record BundleScope(string Kind, string? Value)
{
    public const string All = "all";
    public const string Resolution = "resolution";
    public const string Body = "body";
}

/// <summary>
/// A self-contained audit export. <c>Leaves</c> are all leaf hashes (base64) of the log up to the size of the latest
/// checkpoint, in leaf order (leaf i holds sequence number i + 1); <c>Gaps</c> the sequence numbers recorded as never
/// used; <c>Events</c> the leaf documents of the events in scope; <c>Checkpoints</c> signed notes, oldest first;
/// <c>Redacted</c> (bundles of all events) the sequence numbers of sealed events withheld from this reader (restricted
/// resolutions): their leaves are in <c>Leaves</c>, their payload is not in the bundle.
/// </summary>
public sealed record AuditBundle(
    string Format,
    string Origin,
    BundleScope Scope,
    DateTimeOffset ExportedAt,
    IReadOnlyList<string> Leaves,
    IReadOnlyList<long> Gaps,
    IReadOnlyList<string> Checkpoints,
    IReadOnlyList<string> PublicKeys,
    IReadOnlyList<JsonObject> Events,
    IReadOnlyList<long>? Redacted = null)
{
    public const string CurrentFormat = "blk-audit-bundle-v1";

    /// <summary>
    /// The leaf hash of each of <see cref="Events"/>, recomputed from that event's own bytes in the bundle file when it
    /// was parsed (null where they could not be canonicalised); not part of the bundle's JSON.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<byte[]?>? EventLeafHashes { get; init; }

    /// <summary>
    /// The events as read from the file and the canonical bytes each was read back from (the bytes hashed for its leaf);
    /// used only while <see cref="Events"/> is still that same list.
    /// </summary>
    [JsonIgnore]
    internal CanonicalEvents? Canonical { get; init; }
}

/// <summary>
/// What a representative keeps of a vote: the readable facts, the event's leaf document, its inclusion proof (base64
/// hashes) and the signed checkpoint the proof leads to. <c>Ballot</c> is null for a vote outside a ballot.
/// </summary>
public sealed record VoteReceipt(
    string Format,
    Guid Resolution,
    Guid? Ballot,
    int TextVersion,
    string TextHash,
    string Land,
    string PersonId,
    string PersonName,
    string Choice,
    DateTimeOffset CastAt,
    long Seq,
    long LeafIndex,
    JsonObject Event,
    long TreeSize,
    IReadOnlyList<string> InclusionProof,
    string Checkpoint)
{
    public const string CurrentFormat = "blk-vote-receipt-v1";
}
