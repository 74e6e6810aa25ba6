using System.Globalization;
using System.Runtime.InteropServices;
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
    int RedactedLeaves = 0);

/// <summary>
/// Checks an audit bundle offline against pinned public keys: recomputes every leaf and root, the signatures of the
/// checkpoints, consistency with checkpoints kept from earlier audits, completeness of the sequence, stream versions
/// 1..n, that each vote names the text version current when it was cast, and vote receipts.
/// </summary>
public static class BundleVerifier
{
    /// <summary>How much earlier than a checkpoint that did not yet hold it an event's own timestamp may lie.</summary>
    public static readonly TimeSpan DefaultBackdateTolerance = TimeSpan.FromMinutes(1);

    public static AuditBundle? ParseBundle(string json) => ParseBundle(Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Reads a bundle and recomputes the leaf of each event from the event's own bytes in the file, streaming, without
    /// writing the parsed document back to text first.
    /// </summary>
    public static AuditBundle? ParseBundle(byte[] utf8Json)
    {
        try
        {
            var bundle = JsonSerializer.Deserialize<AuditBundle>(utf8Json, AuditJson.Options);
            if (bundle is null) return null;
            using var document = JsonDocument.Parse(utf8Json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return bundle;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!property.NameEquals("events") || property.Value.ValueKind != JsonValueKind.Array) continue;
                var hashes = new List<byte[]?>(property.Value.GetArrayLength());
                foreach (var e in property.Value.EnumerateArray()) hashes.Add(TryHash(JsonMarshal.GetRawUtf8Value(e)));
                return hashes.Count == bundle.Events.Count ? bundle with { EventLeafHashes = hashes } : bundle;
            }
            return bundle;
        }
        catch (JsonException) { return null; }
    }

    private static byte[]? TryHash(ReadOnlySpan<byte> leafDocument)
    {
        try { return LeafDocument.Hash(leafDocument); }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException) { return null; }
    }

    public static VoteReceipt? ParseReceipt(string json)
    {
        try { return JsonSerializer.Deserialize<VoteReceipt>(json, AuditJson.Options); }
        catch (JsonException) { return null; }
    }

    public static VerificationReport Verify(AuditBundle bundle, IReadOnlyList<VerifierKey> pinnedKeys,
        IReadOnlyList<string>? olderCheckpoints = null, IReadOnlyList<VoteReceipt>? receipts = null, TimeSpan? backdateTolerance = null)
    {
        var findings = new List<Finding>();
        var tolerance = backdateTolerance ?? DefaultBackdateTolerance;

        if (bundle.Format != AuditBundle.CurrentFormat)
            findings.Add(new(FindingCodes.BundleMalformed, $"Unknown bundle format '{bundle.Format}'."));

        var tree = new MerkleTree();
        foreach (var (leaf, index) in bundle.Leaves.Select((l, i) => (l, i)))
        {
            var hash = TryBase64(leaf);
            if (hash is null || hash.Length != Merkle.HashSize)
            {
                findings.Add(new(FindingCodes.BundleMalformed, $"Leaf {index} is not a base64 SHA-256 hash."));
                hash = new byte[Merkle.HashSize];
            }
            tree.Append(hash);
        }

        // Signed checkpoints: only those signed by a pinned key count.
        var trusted = new List<Checkpoint>();
        foreach (var note in bundle.Checkpoints)
        {
            var checkpoint = Authenticate(note, bundle.Origin, pinnedKeys, findings, "Checkpoint in the bundle");
            if (checkpoint is null) continue;
            trusted.Add(checkpoint);
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

        // Checkpoints the auditor kept from earlier: the log must still extend them.
        foreach (var note in olderCheckpoints ?? [])
        {
            var older = Authenticate(note, bundle.Origin, pinnedKeys, findings, "Kept checkpoint");
            if (older is null) continue;
            CheckExtends(older, tree, provenSize, findings, "a checkpoint kept from an earlier audit");
        }

        // Events: each must be sealed, recompute to its leaf, appear once.
        var seen = new Dictionary<long, JsonObject>();
        var proven = new HashSet<long>();
        var rawHashes = bundle.EventLeafHashes is { } raw && raw.Count == bundle.Events.Count ? raw : null;
        for (var index = 0; index < bundle.Events.Count; index++)
        {
            var e = bundle.Events[index];
            var seq = e["seq"]?.GetValue<long>() ?? 0;
            var stream = StreamOf(e);
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
            var leaf = rawHashes?[index] ?? LeafDocument.Hash(e);
            if (!leaf.AsSpan().SequenceEqual(tree.LeafHash(seq - 1)))
            {
                findings.Add(new(FindingCodes.LeafMismatch, $"Event {seq} differs from what was sealed as leaf {seq - 1}.", seq, stream));
                continue;
            }
            proven.Add(seq);
            var sealedAfter = trusted.LastOrDefault(c => c.Size < seq);
            var timestamp = TimestampOf(e);
            if (sealedAfter is not null && timestamp is { } at && at < sealedAfter.Time - tolerance)
            {
                proven.Remove(seq);
                findings.Add(new(FindingCodes.EventBackdated,
                    $"Event {seq} claims {LeafDocument.FormatTimestamp(at)}, but the checkpoint of {sealedAfter.Time:O} (size {sealedAfter.Size}) did not yet hold it.", seq, stream));
            }
        }

        // Recorded gaps must be what was sealed.
        var gaps = new HashSet<long>();
        foreach (var gap in bundle.Gaps)
        {
            if (gap < 1 || gap > provenSize) continue;
            gaps.Add(gap);
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

        // Streams: versions 1..n without holes; votes against the text current when cast.
        var streams = bundle.Events.GroupBy(e => StreamOf(e) ?? Guid.Empty).ToList();
        foreach (var stream in streams)
        {
            var ordered = stream.OrderBy(e => e["version"]?.GetValue<long>() ?? 0).ToList();
            long expected = 1;
            foreach (var e in ordered)
            {
                var version = e["version"]?.GetValue<long>() ?? 0;
                if (version != expected)
                    findings.Add(new(FindingCodes.VersionGap,
                        version > expected ? $"Stream {stream.Key} jumps from version {expected - 1} to {version}." : $"Stream {stream.Key} has version {version} twice.",
                        e["seq"]?.GetValue<long>(), stream.Key));
                expected = version + 1;
            }
            CheckVotes(stream.Key, ordered, findings);
        }

        // Receipts the representatives kept.
        foreach (var receipt in receipts ?? [])
            CheckReceipt(receipt, bundle.Origin, pinnedKeys, tree, provenSize, seen, findings);

        var findingSeqs = findings.Where(f => f.Seq is not null).Select(f => f.Seq!.Value).ToHashSet();
        var summary = streams.Select(s => Summarise(s.Key, s.OrderBy(e => e["version"]?.GetValue<long>() ?? 0).ToList(),
                seq => proven.Contains(seq) && !findingSeqs.Contains(seq)))
            .Where(s => s is not null).Select(s => s!).ToList();

        return new VerificationReport(findings.Count == 0, bundle.Origin, provenSize, bundle.Events.Count, trusted.Count,
            receipts?.Count ?? 0, findings, summary, redacted.Count);
    }

    private static Checkpoint? Authenticate(string note, string origin, IReadOnlyList<VerifierKey> pinned, List<Finding> findings, string what)
    {
        var signed = SignedNote.TryParse(note);
        var checkpoint = signed is null ? null : Checkpoint.TryParse(signed.Text);
        if (signed is null || checkpoint is null)
        {
            findings.Add(new(FindingCodes.CheckpointMalformed, $"{what} is not a signed checkpoint note."));
            return null;
        }
        if (checkpoint.Origin != origin)
        {
            findings.Add(new(FindingCodes.CheckpointMalformed, $"{what} of size {checkpoint.Size} is for the log '{checkpoint.Origin}', not '{origin}'."));
            return null;
        }
        var known = signed.Signatures
            .Select(s => (Signature: s, Key: pinned.FirstOrDefault(k => k.KeyId == s.KeyId && k.Name == s.KeyName)))
            .Where(p => p.Key is not null).ToList();
        if (known.Count == 0)
        {
            var ids = string.Join(", ", signed.Signatures.Select(s => $"{s.KeyName}+{s.KeyId:x8}"));
            findings.Add(new(FindingCodes.KeyUnknown, $"{what} of size {checkpoint.Size} is signed only by keys that are not pinned ({ids})."));
            return null;
        }
        if (!known.Any(p => p.Key!.Verify(signed.Text, p.Signature.Signature)))
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
            var type = e["type"]?.GetValue<string>();
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
                            $"Text version {version} (event {e["seq"]}) states hash {hash}, but its title and paragraphs hash to another value.",
                            e["seq"]?.GetValue<long>(), stream));
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
                            $"The vote of {Str(data, "land")} (event {e["seq"]}) names text version {votedVersion} with hash {votedHash}, " +
                            $"but the text current when it was cast was version {current}.", e["seq"]?.GetValue<long>(), stream));
                    break;
            }
        }
    }

    private static void CheckReceipt(VoteReceipt receipt, string origin, IReadOnlyList<VerifierKey> pinned, MerkleTree tree, long provenSize,
        IReadOnlyDictionary<long, JsonObject> events, List<Finding> findings)
    {
        var what = $"Receipt of the vote of {receipt.Land} (event {receipt.Seq})";
        var checkpoint = Authenticate(receipt.Checkpoint, origin, pinned, findings, what);
        if (checkpoint is null) return;

        var data = receipt.Event["data"] as JsonObject;
        var actor = data?["castBy"] as JsonObject;
        var stated = data is not null
            && receipt.Event["type"]?.GetValue<string>() == "vote_cast"
            && receipt.Event["seq"]?.GetValue<long>() == receipt.Seq
            && receipt.LeafIndex == receipt.Seq - 1
            && receipt.TreeSize == checkpoint.Size
            && Str(data, "resolutionId") == receipt.Resolution.ToString("D")
            && string.Equals(Str(data, "choice"), receipt.Choice, StringComparison.OrdinalIgnoreCase)
            && Str(data, "land") == receipt.Land
            && Int(data, "textVersion") == receipt.TextVersion
            && Str(data, "textHash") == receipt.TextHash
            && Str(actor, "personId") == receipt.PersonId
            && GuidOf(data, "ballotId") == receipt.Ballot
            && TimestampOf(data, "castAt") == receipt.CastAt;
        if (!stated)
        {
            findings.Add(new(FindingCodes.ReceiptMismatch, $"{what}: what it states differs from the event it carries.", receipt.Seq));
            return;
        }
        var proof = receipt.InclusionProof.Select(TryBase64).ToList();
        if (proof.Any(p => p is null)
            || !Merkle.VerifyInclusion(receipt.LeafIndex, checkpoint.Size, LeafDocument.Hash(receipt.Event), proof!, checkpoint.RootHash))
        {
            findings.Add(new(FindingCodes.ReceiptMismatch, $"{what}: the event it carries is not in the log its checkpoint signs.", receipt.Seq));
            return;
        }
        CheckExtends(checkpoint, tree, provenSize, findings, what.ToLowerInvariant());
        if (checkpoint.Size <= provenSize && events.TryGetValue(receipt.Seq, out var held)
            && !LeafDocument.Hash(held).AsSpan().SequenceEqual(LeafDocument.Hash(receipt.Event)))
            findings.Add(new(FindingCodes.ReceiptMismatch, $"{what}: the bundle holds another event under that sequence number.", receipt.Seq));
    }

    private static ResolutionSummary? Summarise(Guid stream, IReadOnlyList<JsonObject> ordered, Func<long, bool> proven)
    {
        var first = ordered.FirstOrDefault()?["data"] as JsonObject;
        if (ordered.FirstOrDefault()?["type"]?.GetValue<string>() != "resolution_proposed" || first is null) return null;
        var votes = new Dictionary<(Guid?, string), VoteSummary>();
        var ballots = new List<BallotSummary>();
        int? adoptedVersion = null;
        string? adoptedHash = null;
        foreach (var e in ordered)
        {
            if (e["data"] is not JsonObject data) continue;
            var seq = e["seq"]?.GetValue<long>() ?? 0;
            var ballotId = GuidOf(data, "ballotId");
            var ballot = ballots.FindIndex(b => b.Ballot == ballotId);
            switch (e["type"]?.GetValue<string>())
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

    private static Guid? GuidOf(JsonObject? o, string name) => Guid.TryParse(Str(o, name), out var id) ? id : null;

    private static Guid? StreamOf(JsonObject e) => Guid.TryParse(e["stream"]?.GetValue<string>(), out var id) ? id : null;

    private static DateTimeOffset? TimestampOf(JsonObject e, string name = "timestamp") =>
        DateTimeOffset.TryParse(Str(e, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? Str(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? Int(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<int>() : null;

    private static byte[]? TryBase64(string? text)
    {
        if (text is null) return null;
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { return null; }
    }
}
