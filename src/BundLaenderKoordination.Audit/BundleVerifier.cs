using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BundLaenderKoordination.Audit;

/// <summary>The stable codes of what a verification can find. Each is documented in docs/audit.md.</summary>
public static class FindingCodes
{
    public const string BundleMalformed = "BUNDLE_MALFORMED";
    public const string CheckpointMalformed = "CHECKPOINT_MALFORMED";
    public const string NoCheckpoint = "NO_CHECKPOINT";
    public const string KeyUnknown = "KEY_UNKNOWN";
    public const string SignatureInvalid = "SIGNATURE_INVALID";
    public const string RootMismatch = "ROOT_MISMATCH";
    public const string Truncated = "TRUNCATED";
    public const string ConsistencyFailed = "CONSISTENCY_FAILED";
    public const string LeafMismatch = "LEAF_MISMATCH";
    public const string EventMissing = "EVENT_MISSING";
    public const string EventUnsealed = "EVENT_UNSEALED";
    public const string EventBackdated = "EVENT_BACKDATED";
    public const string DuplicateSequence = "DUPLICATE_SEQUENCE";
    public const string VersionGap = "VERSION_GAP";
    public const string VoteTextMismatch = "VOTE_TEXT_MISMATCH";
    public const string TextHashMismatch = "TEXT_HASH_MISMATCH";
    public const string ReceiptMismatch = "RECEIPT_MISMATCH";
    public const string ReceiptMalformed = "RECEIPT_MALFORMED";
    public const string CheckpointNotWitnessed = "CHECKPOINT_NOT_WITNESSED";
    public const string CosignatureInvalid = "COSIGNATURE_INVALID";
    /// <summary>A vote, consent or objection without its author's signature: a finding where the auditor's policy requires signatures, else a notice.</summary>
    public const string ActNotSigned = "ACT_NOT_SIGNED";
    /// <summary>A signed act whose signature does not hold: another statement, a credential not (or no longer) the author's.</summary>
    public const string ActSignatureInvalid = "ACT_SIGNATURE_INVALID";
    /// <summary>
    /// A signed act whose assertion repeats one already used: the same passkey and nonce, or the same non-zero signature
    /// counter, as an earlier act (a replayed assertion or a copied key).
    /// </summary>
    public const string ActSignatureReused = "ACT_SIGNATURE_REUSED";
}

/// <summary>
/// The witnesses an auditor trusts (their pinned keys) and how many of them must have cosigned the latest checkpoint
/// for the log to count as the one every party saw.
/// </summary>
public sealed record WitnessPolicy(IReadOnlyList<CosignerKey> Keys, int Quorum)
{
    /// <summary>A majority of the keys: any two quorums share a witness, so two forks cannot both be witnessed unless one witness cosigned both.</summary>
    public static int Majority(int keys) => keys / 2 + 1;

    /// <summary>How far a cosignature's time may lie after the verifier's clock (clocks differ a little) before it does not count.</summary>
    public static readonly TimeSpan DefaultClockTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The verifier's clock (the current time when null): a cosignature dated later than it plus the tolerance does not count.</summary>
    public DateTimeOffset? Now { get; init; }

    public TimeSpan ClockTolerance { get; init; } = DefaultClockTolerance;
}

public sealed record Finding(string Code, string Message, long? Seq = null, Guid? Stream = null);

public sealed record VoteSummary(string Land, string PersonId, string PersonName, string Choice, int TextVersion, string TextHash,
    DateTimeOffset CastAt, long Seq, bool Proven, Guid? Ballot = null);

/// <summary>One ballot of a resolution: status open, closed or cancelled, and each Land's last vote in it.</summary>
public sealed record BallotSummary(Guid Ballot, int Number, string Status, int? TextVersion, string? TextHash, bool? Adopted,
    IReadOnlyList<VoteSummary> Votes);

/// <summary>
/// Who agreed to what on one resolution. <c>Votes</c> are the deciding votes: those of the adopting (else the latest
/// valid) ballot when there are ballots, otherwise each Land's last vote (on the adopted text, once adopted).
/// </summary>
public sealed record ResolutionSummary(Guid Resolution, string? Body, string? Title, bool Adopted, int? AdoptedTextVersion,
    string? AdoptedTextHash, IReadOnlyList<VoteSummary> Votes, IReadOnlyList<BallotSummary>? Ballots = null);

public sealed record VerificationReport(
    bool Clean,
    string Origin,
    long TreeSize,
    int EventsChecked,
    int CheckpointsVerified,
    int ReceiptsChecked,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<ResolutionSummary> WhoAgreedToWhat,
    int RedactedLeaves = 0,
    BundleScope? Scope = null,
    IReadOnlyList<string>? WitnessedBy = null,
    IReadOnlyList<CheckpointWitnessing>? Witnessing = null,
    IReadOnlyList<SignedActSummary>? SignedActs = null,
    IReadOnlyList<Finding>? Notices = null);

/// <summary>
/// Checks an audit bundle offline against pinned public keys: recomputes every leaf and root, the signatures of the
/// checkpoints, consistency with checkpoints kept from earlier audits, completeness of the sequence, stream versions
/// 1..n, that each vote names the text version current when it was cast, and vote receipts.
/// </summary>
public static class BundleVerifier
{
    /// <summary>How much earlier than a checkpoint that did not yet hold it an event's own timestamp may lie.</summary>
    public static readonly TimeSpan DefaultBackdateTolerance = TimeSpan.FromMinutes(1);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a bundle strictly (<see cref="AuditReader"/>); null when it is refused.</summary>
    public static AuditBundle? ParseBundle(string json) => ReadBundle(json).Value;

    /// <summary>Reads a bundle strictly (<see cref="AuditReader"/>); null when it is refused.</summary>
    public static AuditBundle? ParseBundle(byte[] utf8Json) => AuditReader.ReadBundle(utf8Json).Value;

    /// <summary>Reads a bundle given as text strictly; a string that is not valid Unicode is refused, not repaired.</summary>
    public static Reading<AuditBundle> ReadBundle(string json) =>
        Utf8(json) is { } bytes ? AuditReader.ReadBundle(bytes) : Reading<AuditBundle>.Refused("The bundle is not valid Unicode (a lone surrogate).");

    /// <summary>Reads a vote receipt strictly (<see cref="AuditReader"/>); null when it is refused.</summary>
    public static VoteReceipt? ParseReceipt(string json) =>
        Utf8(json) is { } bytes ? AuditReader.ReadReceipt(bytes).Value : null;

    private static byte[]? Utf8(string? text)
    {
        if (text is null) return null;
        try { return StrictUtf8.GetBytes(text); }
        catch (EncoderFallbackException) { return null; }
    }

    /// <summary>
    /// The report on a bundle that could not be read (strictly): one <c>BUNDLE_MALFORMED</c> finding saying why, plus any
    /// findings about the other inputs; nothing proven.
    /// </summary>
    public static VerificationReport Unreadable(string problem, IEnumerable<Finding>? other = null) =>
        new(false, "", 0, 0, 0, 0, [new Finding(FindingCodes.BundleMalformed, problem), .. other ?? []], []);

    /// <summary>One event of the bundle as the verifier sees it: read back from the canonical bytes its leaf hash is over.</summary>
    private sealed record Seen(JsonObject Event, long Seq, Guid? Stream, long? Version, byte[] Leaf);

    public static VerificationReport Verify(AuditBundle bundle, IReadOnlyList<VerifierKey> pinnedKeys,
        IReadOnlyList<string>? olderCheckpoints = null, IReadOnlyList<VoteReceipt>? receipts = null, TimeSpan? backdateTolerance = null,
        WitnessPolicy? witnesses = null, SignaturePolicy? signatures = null)
    {
        if (bundle is null || bundle.Format is null || bundle.Origin is null || bundle.Scope?.Kind is null || bundle.Leaves is null
            || bundle.Gaps is null || bundle.Checkpoints is null || bundle.PublicKeys is null || bundle.Events is null)
            return Unreadable("The bundle lacks one of format, origin, scope, leaves, gaps, checkpoints, publicKeys, events.");
        var findings = new List<Finding>();
        var tolerance = backdateTolerance ?? DefaultBackdateTolerance;
        pinnedKeys ??= [];

        if (bundle.Format != AuditBundle.CurrentFormat)
            findings.Add(new(FindingCodes.BundleMalformed, $"Unknown bundle format '{bundle.Format}'."));

        var tree = new MerkleTree();
        foreach (var (leaf, index) in bundle.Leaves.Select((l, i) => (l, i)))
        {
            var hash = NoteEncoding.TryBase64(leaf);
            if (hash is null || hash.Length != Merkle.HashSize)
            {
                findings.Add(new(FindingCodes.BundleMalformed, $"Leaf {index} is not a base64 SHA-256 hash."));
                hash = new byte[Merkle.HashSize];
            }
            tree.Append(hash);
        }

        // The bundle's own copy of the public keys proves nothing (the pinned keys do), but must be keys.
        var listedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in bundle.PublicKeys)
        {
            if (VerifierKey.TryParse(key, out var problem) is null)
                findings.Add(new(FindingCodes.BundleMalformed, $"A public key listed in the bundle is not a verifier key: {problem}"));
            else if (!listedKeys.Add(key))
                findings.Add(new(FindingCodes.BundleMalformed, "A public key is listed twice in the bundle."));
        }

        // Signed checkpoints: only those signed by a pinned key count.
        var trusted = new List<Checkpoint>();
        var trustedNotes = new Dictionary<Checkpoint, SignedNote>(ReferenceEqualityComparer.Instance);
        var listedNotes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var note in bundle.Checkpoints)
        {
            if (note is not null && !listedNotes.Add(note))
            {
                findings.Add(new(FindingCodes.BundleMalformed, "A checkpoint is listed twice in the bundle."));
                continue;
            }
            var checkpoint = Authenticate(note, bundle.Origin, pinnedKeys, findings, "Checkpoint in the bundle");
            if (checkpoint is null) continue;
            trusted.Add(checkpoint);
            trustedNotes[checkpoint] = SignedNote.TryParse(note, out _)!;
            if (checkpoint.Size > tree.Size)
                findings.Add(new(FindingCodes.Truncated, $"A signed checkpoint of size {checkpoint.Size} is in the bundle, but the log holds only {tree.Size} leaves."));
            else if (!tree.Root(checkpoint.Size).AsSpan().SequenceEqual(checkpoint.RootHash))
                findings.Add(new(FindingCodes.RootMismatch, $"The leaves do not give the signed root of the checkpoint of size {checkpoint.Size}."));
        }
        trusted = trusted.OrderBy(c => c.Size).ThenBy(c => c.Time).ToList();
        var latest = trusted.LastOrDefault();
        var provenSize = latest is null ? 0 : Math.Min(latest.Size, tree.Size);
        if (latest is null)
            findings.Add(new(FindingCodes.NoCheckpoint, "The bundle holds no checkpoint signed by a pinned key; nothing in it is proven."));
        else if (latest.Size < tree.Size)
            findings.Add(new(FindingCodes.BundleMalformed, $"The bundle holds {tree.Size} leaves, more than its latest signed checkpoint ({latest.Size})."));
        var witnessing = witnesses is null ? null : new List<CheckpointWitnessing>();
        var witnessedBy = witnesses is null ? null : CheckWitnesses(witnesses, trusted, trustedNotes, latest, findings, witnessing!);

        // Checkpoints the auditor kept from earlier: the log must still extend them.
        foreach (var note in olderCheckpoints ?? [])
        {
            var older = Authenticate(note, bundle.Origin, pinnedKeys, findings, "Kept checkpoint");
            if (older is null) continue;
            if (witnesses is not null)
                witnessing!.Add(WitnessCheck.Check(CheckpointWitnessing.Kept, $"the kept checkpoint of size {older.Size}", older,
                    SignedNote.TryParse(note, out _)!, witnesses, findings));
            CheckExtends(older, tree, provenSize, findings, "a checkpoint kept from an earlier audit");
        }

        // Events, each read back from the canonical bytes its leaf hash is over: everything below looks only at those.
        var read = bundle.Canonical is { } c && ReferenceEquals(c.Events, bundle.Events) && c.Bytes.Count == bundle.Events.Count ? c.Bytes : null;
        var events = new List<Seen>(bundle.Events.Count);
        for (var index = 0; index < bundle.Events.Count; index++)
        {
            var canonical = read?[index] ?? TryCanonical(bundle.Events[index]);
            var view = canonical is null ? null : JsonNode.Parse(canonical) as JsonObject;
            // No pattern variable in the condition: the mutation run rewrites conditions, which must keep compiling.
            var seq = view is null ? null : Long(view, "seq");
            if (canonical is null || view is null || seq is null)
            {
                findings.Add(new(FindingCodes.BundleMalformed, $"Event {index} of the bundle is not a leaf document with a sequence number."));
                continue;
            }
            events.Add(new Seen(view, seq.Value, StreamOf(view), Long(view, "version"), Merkle.HashLeaf(canonical)));
        }

        // Each event must be sealed, recompute to its leaf, appear once.
        var seen = new Dictionary<long, Seen>();
        var proven = new HashSet<long>();
        foreach (var e in events)
        {
            var (seq, stream) = (e.Seq, e.Stream);
            if (!seen.TryAdd(seq, e))
            {
                findings.Add(new(FindingCodes.DuplicateSequence, $"Sequence number {seq} appears twice.", seq, stream));
                continue;
            }
            if (seq < 1 || seq > provenSize)
            {
                findings.Add(new(FindingCodes.EventUnsealed, $"Event {seq} is not covered by a signed checkpoint.", seq, stream));
                continue;
            }
            if (!e.Leaf.AsSpan().SequenceEqual(tree.LeafHash(seq - 1)))
            {
                findings.Add(new(FindingCodes.LeafMismatch, $"Event {seq} differs from what was sealed as leaf {seq - 1}.", seq, stream));
                continue;
            }
            proven.Add(seq);
            var sealedAfter = trusted.LastOrDefault(cp => cp.Size < seq);
            var timestamp = TimestampOf(e.Event);
            if (sealedAfter is not null && timestamp is { } at && sealedAfter.Time - at > tolerance)
            {
                proven.Remove(seq);
                findings.Add(new(FindingCodes.EventBackdated,
                    $"Event {seq} claims {LeafDocument.FormatTimestamp(at)}, but the checkpoint of {sealedAfter.Time:O} (size {sealedAfter.Size}) did not yet hold it.", seq, stream));
            }
        }

        // Recorded gaps must be what was sealed, each listed once, within the log.
        var gaps = new HashSet<long>();
        foreach (var gap in bundle.Gaps)
        {
            if (gap < 1 || gap > tree.Size)
            {
                findings.Add(new(FindingCodes.BundleMalformed, $"Sequence number {gap} is listed as a gap, but the log has no leaf for it.", gap));
                continue;
            }
            if (!gaps.Add(gap))
            {
                findings.Add(new(FindingCodes.BundleMalformed, $"Sequence number {gap} is listed as a gap twice.", gap));
                continue;
            }
            if (gap > provenSize) continue;
            if (!LeafDocument.Hash(LeafDocument.ForGap(gap)).AsSpan().SequenceEqual(tree.LeafHash(gap - 1)))
                findings.Add(new(FindingCodes.LeafMismatch, $"Sequence number {gap} is listed as never used, but its leaf says otherwise.", gap));
        }

        // Redacted leaves: sealed events withheld from this reader (restricted resolutions). Their leaf hashes are in the
        // tree, so the roots still verify; what they say cannot be checked here, only counted.
        var redacted = new HashSet<long>();
        foreach (var seq in bundle.Redacted ?? [])
        {
            if (seq < 1 || seq > provenSize)
                findings.Add(new(FindingCodes.BundleMalformed, $"Sequence number {seq} is listed as redacted, but no signed checkpoint covers it.", seq));
            else if (seen.ContainsKey(seq) || gaps.Contains(seq))
                findings.Add(new(FindingCodes.BundleMalformed, $"Sequence number {seq} is listed as redacted, but the bundle also holds it as an event or a gap.", seq));
            else if (!redacted.Add(seq))
                findings.Add(new(FindingCodes.BundleMalformed, $"Sequence number {seq} is listed as redacted twice.", seq));
        }

        // A bundle of all events must account for every sealed leaf.
        if (bundle.Scope.Kind == BundleScope.All)
        {
            for (long seq = 1; seq <= provenSize; seq++)
                if (!seen.ContainsKey(seq) && !gaps.Contains(seq) && !redacted.Contains(seq))
                    findings.Add(new(FindingCodes.EventMissing, $"Leaf {seq - 1} was sealed, but event {seq} is not in the log.", seq));
        }

        // The scope is not signed: what a bundle says it holds must at least agree with the events it holds, so that a
        // bundle of all events relabelled as one resolution's cannot hide missing events behind the narrower scope.
        var streams = events.GroupBy(e => e.Stream ?? Guid.Empty).ToList();
        foreach (var stream in streams)
        {
            // A person's passkey stream travels with every bundle: the registered credentials the signed acts are checked against.
            if (stream.All(e => Str(e.Event, "type")?.StartsWith("passkey_", StringComparison.Ordinal) == true)) continue;
            var outside = bundle.Scope.Kind switch
            {
                BundleScope.Resolution => Guid.TryParse(bundle.Scope.Value, out var id) && id == stream.Key ? null
                    : $"The bundle is of resolution {bundle.Scope.Value}, but holds events of stream {stream.Key}.",
                BundleScope.Body => stream.FirstOrDefault(e => e.Version == 1)?.Event is { } first
                                    && Str(first, "type") == "resolution_proposed"
                                    && Str(first["data"] as JsonObject, "body") == bundle.Scope.Value
                    ? null
                    : $"The bundle is of the resolutions of body {bundle.Scope.Value}, but stream {stream.Key} is no resolution proposed to it.",
                _ => null,
            };
            if (outside is not null) findings.Add(new(FindingCodes.BundleMalformed, outside, Stream: stream.Key));
        }

        // Streams: versions 1..n without holes; votes against the text current when cast.
        foreach (var stream in streams)
        {
            var ordered = stream.OrderBy(e => e.Version ?? 0).ToList();
            long expected = 1;
            foreach (var e in ordered)
            {
                var version = e.Version ?? 0;
                if (version != expected)
                    findings.Add(new(FindingCodes.VersionGap,
                        version > expected ? $"Stream {stream.Key} jumps from version {expected - 1} to {version}." : $"Stream {stream.Key} has version {version} twice.",
                        e.Seq, stream.Key));
                expected = version + 1;
            }
            CheckVotes(stream.Key, ordered.Select(e => e.Event).ToList(), findings);
        }

        // Receipts the representatives kept.
        // A bundle that holds a resolution's stream must hold the vote a receipt proves was sealed in it.
        var holds = bundle.Scope.Kind == BundleScope.All
            ? (Func<Guid, bool>)(_ => true)
            : resolution => streams.Any(s => s.Key == resolution);
        foreach (var receipt in receipts ?? [])
            CheckReceipt(receipt, bundle.Origin, pinnedKeys, tree, provenSize, seen, findings, gaps, redacted, holds);
        // Which pinned witnesses cosigned each receipt's checkpoint (its signature by the log is checked above).
        if (witnesses is not null)
            foreach (var receipt in receipts ?? [])
                if (receipt?.Checkpoint is { } receiptNote && SignedNote.TryParse(receiptNote, out _) is { } signed
                    && Checkpoint.TryParse(signed.Text) is { } receiptCheckpoint && receiptCheckpoint.Origin == bundle.Origin)
                    witnessing!.Add(WitnessCheck.Check(CheckpointWitnessing.Receipt, $"the checkpoint (size {receiptCheckpoint.Size}) of the receipt of event {receipt.Seq}",
                        receiptCheckpoint, signed, witnesses, findings, receipt.Seq));

        // Only the event sealed under its sequence number: a second one repeating the number is no proven event.
        var (signedActs, notices) = SignedActChecks.Check(events.Where(e => proven.Contains(e.Seq) && ReferenceEquals(seen[e.Seq], e)).Select(e => e.Event),
            signatures, findings);

        var findingSeqs = findings.Where(f => f.Seq is not null).Select(f => f.Seq!.Value).ToHashSet();
        // Leaves that do not give a signed root (or fewer leaves than a signed size) prove nothing at all.
        var rootsHold = !findings.Any(f => f.Code is FindingCodes.RootMismatch or FindingCodes.Truncated);
        var summary = streams.Select(s => Summarise(s.Key, s.OrderBy(e => e.Version ?? 0).Select(e => e.Event).ToList(),
                seq => rootsHold && proven.Contains(seq) && !findingSeqs.Contains(seq)))
            .Where(s => s is not null).Select(s => s!).ToList();

        return new VerificationReport(findings.Count == 0, bundle.Origin, provenSize, bundle.Events.Count, trusted.Count,
            receipts?.Count ?? 0, findings, summary, redacted.Count, bundle.Scope, witnessedBy, witnessing, signedActs, notices);
    }

    /// <summary>
    /// Cosignatures of the pinned witnesses on the signed checkpoints: each line naming a pinned witness key must verify
    /// (else <c>COSIGNATURE_INVALID</c>, and it does not count); the latest checkpoint needs valid cosignatures of at least
    /// the quorum of distinct witnesses (else <c>CHECKPOINT_NOT_WITNESSED</c>). Lines of other keys are ignored. Returns the
    /// names of the witnesses that cosigned the latest checkpoint.
    /// </summary>
    private static IReadOnlyList<string> CheckWitnesses(WitnessPolicy policy, List<Checkpoint> trusted, Dictionary<Checkpoint, SignedNote> notes,
        Checkpoint? latest, List<Finding> findings, List<CheckpointWitnessing> witnessing)
    {
        IReadOnlyList<string> witnessedBy = [];
        foreach (var checkpoint in trusted)
        {
            var seen = WitnessCheck.Check(CheckpointWitnessing.Bundle, $"the checkpoint of size {checkpoint.Size}", checkpoint, notes[checkpoint], policy, findings);
            if (!ReferenceEquals(checkpoint, latest)) continue;
            witnessedBy = seen.CosignedBy.Select(c => c.Witness).ToList();
            witnessing.Add(seen);
        }
        if (latest is not null && witnessedBy.Count < policy.Quorum)
            findings.Add(new(FindingCodes.CheckpointNotWitnessed,
                $"The latest checkpoint (size {latest.Size}) is cosigned by {witnessedBy.Count} of the pinned witnesses, fewer than the quorum of {policy.Quorum}" +
                (witnessedBy.Count > 0 ? $" ({string.Join(", ", witnessedBy)})." : ".")));
        return witnessedBy;
    }

    // The canonical bytes of an event given as a node (a bundle built in memory), or null when it cannot be canonicalised.
    private static byte[]? TryCanonical(JsonNode? e)
    {
        if (e is not JsonObject) return null;
        try { return LeafDocument.CanonicalBytes(e); }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            return null;
        }
    }

    private static Checkpoint? Authenticate(string? note, string origin, IReadOnlyList<VerifierKey> pinned, List<Finding> findings, string what)
    {
        var signed = SignedNote.TryParse(note, out var problem);
        var checkpoint = signed is null ? null : Checkpoint.TryParse(signed.Text, out problem);
        if (signed is null || checkpoint is null)
        {
            findings.Add(new(FindingCodes.CheckpointMalformed, $"{what} is not a signed checkpoint note: {problem}"));
            return null;
        }
        if (checkpoint.Origin != origin)
        {
            findings.Add(new(FindingCodes.CheckpointMalformed, $"{what} of size {checkpoint.Size} is for the log '{checkpoint.Origin}', not '{origin}'."));
            return null;
        }
        // C2SP signed-note: signatures of unknown keys are ignored; every signature of a known key (name and id) must verify.
        var known = signed.Signatures
            .Select(s => (Signature: s, Keys: pinned.Where(k => k is not null && k.KeyId == s.KeyId && k.Name == s.KeyName).ToList()))
            .Where(p => p.Keys.Count > 0).ToList();
        if (known.Count == 0)
        {
            var ids = string.Join(", ", signed.Signatures.Select(s => $"{s.KeyName}+{s.KeyId:x8}"));
            findings.Add(new(FindingCodes.KeyUnknown, $"{what} of size {checkpoint.Size} is signed only by keys that are not pinned ({ids})."));
            return null;
        }
        if (!known.All(p => p.Keys.Any(k => k.Verify(signed.Text, p.Signature.Signature))))
        {
            findings.Add(new(FindingCodes.SignatureInvalid, $"The signature of {what.ToLowerInvariant()} of size {checkpoint.Size} does not verify with the pinned key."));
            return null;
        }
        return checkpoint;
    }

    private static void CheckExtends(Checkpoint older, MerkleTree tree, long provenSize, List<Finding> findings, string what)
    {
        if (older.Size > provenSize)
            findings.Add(new(FindingCodes.Truncated,
                $"The log was signed at size {older.Size} in {what}, but the bundle proves only {provenSize} leaves: the tail was cut off."));
        else if (!tree.Root(older.Size).AsSpan().SequenceEqual(older.RootHash))
            findings.Add(new(FindingCodes.ConsistencyFailed,
                $"The first {older.Size} leaves of the bundle do not give the root signed in {what}: history was rewritten."));
    }

    private static void CheckVotes(Guid stream, IReadOnlyList<JsonObject> ordered, List<Finding> findings)
    {
        var texts = new Dictionary<int, string>();
        int? current = null;
        string? title = null;
        foreach (var e in ordered)
        {
            var data = e["data"] as JsonObject;
            var type = Str(e, "type");
            if (data is null) continue;
            switch (type)
            {
                case "resolution_proposed" or "resolution_text_edited":
                    var version = Int(data, "textVersion");
                    var hash = Str(data, "textHash");
                    if (type == "resolution_proposed") title = Str(data, "title");
                    var paragraphs = (data["paragraphs"] as JsonArray)?.OfType<JsonObject>()
                        .Select(p => (Str(p, "id") ?? "", Str(p, "text") ?? "")).ToList();
                    if (title is not null && paragraphs is not null && hash != TextHash.Compute(title, paragraphs))
                        findings.Add(new(FindingCodes.TextHashMismatch,
                            $"Text version {version} (event {Long(e, "seq")}) states hash {hash}, but its title and paragraphs hash to another value.",
                            Long(e, "seq"), stream));
                    if (version is not null && hash is not null)
                    {
                        texts[version.Value] = hash;
                        current = version;
                    }
                    break;
                case "vote_cast":
                    var votedVersion = Int(data, "textVersion");
                    var votedHash = Str(data, "textHash");
                    if (votedVersion != current || votedVersion is null || !texts.TryGetValue(votedVersion.Value, out var known) || known != votedHash)
                        findings.Add(new(FindingCodes.VoteTextMismatch,
                            $"The vote of {Str(data, "land")} (event {Long(e, "seq")}) names text version {votedVersion} with hash {votedHash}, " +
                            $"but the text current when it was cast was version {current}.", Long(e, "seq"), stream));
                    break;
            }
        }
    }

    private static void CheckReceipt(VoteReceipt? receipt, string origin, IReadOnlyList<VerifierKey> pinned, MerkleTree tree, long provenSize,
        IReadOnlyDictionary<long, Seen> events, List<Finding> findings, IReadOnlySet<long> gaps, IReadOnlySet<long> redacted, Func<Guid, bool> holds)
    {
        if (receipt?.Checkpoint is null || receipt.Event is null || receipt.InclusionProof is null || receipt.Choice is null)
        {
            findings.Add(new(FindingCodes.ReceiptMalformed, "A receipt lacks its event, inclusion proof, checkpoint or choice.", receipt?.Seq));
            return;
        }
        var what = $"Receipt of the vote of {receipt.Land} (event {receipt.Seq})";
        var checkpoint = Authenticate(receipt.Checkpoint, origin, pinned, findings, what);
        if (checkpoint is null) return;

        // The event the receipt carries, read back from the canonical bytes its leaf hash is over.
        var canonical = TryCanonical(receipt.Event);
        var e = canonical is null ? null : JsonNode.Parse(canonical) as JsonObject;
        if (canonical is null || e is null)
        {
            findings.Add(new(FindingCodes.ReceiptMalformed, $"{what}: the event it carries is not a leaf document.", receipt.Seq));
            return;
        }
        var data = e["data"] as JsonObject;
        var actor = data?["castBy"] as JsonObject;
        // The event's strings are compared as they were hashed (NFC, LF); the receipt states them as the service read them.
        var stated = data is not null
            && Str(e, "type") == "vote_cast"
            && Long(e, "seq") == receipt.Seq
            && receipt.LeafIndex == receipt.Seq - 1
            && receipt.TreeSize == checkpoint.Size
            && Str(data, "resolutionId") == receipt.Resolution.ToString("D")
            && Str(data, "choice")?.ToLowerInvariant() == Normalized(receipt.Choice)
            && Str(data, "land") == Normalized(receipt.Land)
            && Int(data, "textVersion") == receipt.TextVersion
            && Str(data, "textHash") == Normalized(receipt.TextHash)
            && Str(actor, "personId") == Normalized(receipt.PersonId)
            && Str(actor, "personName") == Normalized(receipt.PersonName)
            && GuidOf(data, "ballotId") == receipt.Ballot
            && TimestampOf(data, "castAt") == receipt.CastAt;
        if (!stated)
        {
            findings.Add(new(FindingCodes.ReceiptMismatch, $"{what}: what it states differs from the event it carries.", receipt.Seq));
            return;
        }
        var leaf = Merkle.HashLeaf(canonical);
        var proof = receipt.InclusionProof.Select(NoteEncoding.TryBase64).ToList();
        if (proof.Any(p => p is null)
            || !Merkle.VerifyInclusion(receipt.LeafIndex, checkpoint.Size, leaf, proof!, checkpoint.RootHash))
        {
            findings.Add(new(FindingCodes.ReceiptMismatch, $"{what}: the event it carries is not in the log its checkpoint signs.", receipt.Seq));
            return;
        }
        CheckExtends(checkpoint, tree, provenSize, findings, what.ToLowerInvariant());
        if (checkpoint.Size <= provenSize && events.TryGetValue(receipt.Seq, out var held) && !held.Leaf.AsSpan().SequenceEqual(leaf))
            findings.Add(new(FindingCodes.ReceiptMismatch, $"{what}: the bundle holds another event under that sequence number.", receipt.Seq));
        else if (receipt.Seq <= provenSize && !events.ContainsKey(receipt.Seq) && !gaps.Contains(receipt.Seq) && !redacted.Contains(receipt.Seq)
                 && holds(receipt.Resolution))
            findings.Add(new(FindingCodes.EventMissing, $"{what}: the vote was sealed, but the bundle holding its resolution lacks it.", receipt.Seq, receipt.Resolution));
    }

    private static ResolutionSummary? Summarise(Guid stream, IReadOnlyList<JsonObject> ordered, Func<long, bool> proven)
    {
        var first = ordered.FirstOrDefault()?["data"] as JsonObject;
        if (Str(ordered.FirstOrDefault(), "type") != "resolution_proposed" || first is null) return null;
        var votes = new Dictionary<(Guid?, string), VoteSummary>();
        var ballots = new List<BallotSummary>();
        int? adoptedVersion = null;
        string? adoptedHash = null;
        foreach (var e in ordered)
        {
            var data = e["data"] as JsonObject;
            if (data is null) continue;
            var seq = Long(e, "seq") ?? 0;
            var ballotId = GuidOf(data, "ballotId");
            var ballot = ballots.FindIndex(b => b.Ballot == ballotId);
            switch (Str(e, "type"))
            {
                case "vote_cast":
                    var actor = data["castBy"] as JsonObject;
                    var land = Str(data, "land") ?? "";
                    votes[(ballotId, land)] = new VoteSummary(land, Str(actor, "personId") ?? "", Str(actor, "personName") ?? "",
                        (Str(data, "choice") ?? "").ToLowerInvariant(), Int(data, "textVersion") ?? 0, Str(data, "textHash") ?? "",
                        TimestampOf(data, "castAt") ?? default, seq, proven(seq), ballotId);
                    break;
                case "ballot_opened" when ballotId is not null:
                    ballots.Add(new BallotSummary(ballotId.Value, Int(data, "number") ?? ballots.Count + 1, "open",
                        Int(data, "textVersion"), Str(data, "textHash"), null, []));
                    break;
                case "ballot_cancelled" when ballot >= 0:
                    ballots[ballot] = ballots[ballot] with { Status = "cancelled" };
                    break;
                case "ballot_closed" when ballot >= 0:
                    var adopted = data["adopted"] is JsonValue a && a.GetValueKind() == JsonValueKind.True;
                    ballots[ballot] = ballots[ballot] with { Status = "closed", Adopted = adopted };
                    if (adopted)
                    {
                        adoptedVersion = Int(data, "textVersion");
                        adoptedHash = Str(data, "textHash");
                    }
                    break;
                case "resolution_adopted":
                    adoptedVersion = Int(data, "textVersion");
                    adoptedHash = Str(data, "textHash");
                    break;
            }
        }
        List<VoteSummary> Of(Guid? ballotId) =>
            votes.Where(v => v.Key.Item1 == ballotId).Select(v => v.Value).OrderBy(v => v.Land, StringComparer.Ordinal).ToList();
        // A ballot opened and closed at once (adoption without an open ballot) counts the votes cast outside ballots on its text.
        ballots = ballots.Select(b => b with
        {
            Votes = Of(b.Ballot) is { Count: > 0 } own ? own : Of(null).Where(v => v.TextVersion == b.TextVersion).ToList(),
        }).ToList();
        var deciding = ballots.LastOrDefault(b => b.Adopted == true) ?? ballots.LastOrDefault(b => b.Status != "cancelled");
        var final = deciding is not null
            ? deciding.Votes
            : Of(null).Where(v => adoptedVersion is null || v.TextVersion == adoptedVersion).ToList();
        return new ResolutionSummary(stream, Str(first, "body"), Str(first, "title"), adoptedVersion is not null, adoptedVersion, adoptedHash,
            final, ballots.Count == 0 ? null : ballots);
    }

    // A stated text as the hashed event holds it (NFC, LF); null (matching nothing) when it is not valid Unicode.
    private static string? Normalized(string? text)
    {
        if (text is null) return null;
        try { return LeafDocument.NormalizeText(text); }
        catch (ArgumentException) { return null; }
    }

    private static Guid? GuidOf(JsonObject? o, string name) => Guid.TryParse(Str(o, name), out var id) ? id : null;

    private static Guid? StreamOf(JsonObject e) => Guid.TryParse(Str(e, "stream"), out var id) ? id : null;

    private static DateTimeOffset? TimestampOf(JsonObject? e, string name = "timestamp") =>
        DateTimeOffset.TryParse(Str(e, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? Str(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;

    private static long? Long(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var i) ? i : null;
}
