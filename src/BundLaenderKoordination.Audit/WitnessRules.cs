using System.Globalization;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// The body of a C2SP tlog-witness add-checkpoint request: "old &lt;size&gt;", zero to 63 consistency proof lines (one
/// base64 hash each), an empty line, then the signed checkpoint note.
/// </summary>
public sealed record AddCheckpointRequest(long OldSize, IReadOnlyList<byte[]> Proof, string Note)
{
    public const int MaxProofLines = 63;

    public override string ToString() =>
        $"old {OldSize.ToString(CultureInfo.InvariantCulture)}\n{string.Concat(Proof.Select(h => Convert.ToBase64String(h) + "\n"))}\n{Note}";

    /// <summary>Reads a request strictly; <paramref name="problem"/> says why not. Never throws.</summary>
    public static AddCheckpointRequest? TryParse(string? body, out string? problem)
    {
        problem = Parse(body, out var request);
        return request;
    }

    private static string? Parse(string? body, out AddCheckpointRequest? request)
    {
        request = null;
        if (string.IsNullOrEmpty(body)) return "The request is empty.";
        var split = body.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) return "The request has an empty line between the old size and proof lines and the checkpoint.";
        var lines = body[..split].Split('\n');
        if (!lines[0].StartsWith("old ", StringComparison.Ordinal)
            || !long.TryParse(lines[0][4..], NumberStyles.None, CultureInfo.InvariantCulture, out var old)
            || old.ToString(CultureInfo.InvariantCulture) != lines[0][4..])
            return "The first line is \"old <size>\" in decimal without leading zeroes.";
        if (lines.Length - 1 > MaxProofLines) return $"A consistency proof has at most {MaxProofLines} lines.";
        var proof = new List<byte[]>();
        foreach (var line in lines.Skip(1))
        {
            var hash = NoteEncoding.TryBase64(line);
            if (hash is null || hash.Length != Merkle.HashSize) return "A consistency proof line is one base64 SHA-256 hash.";
            proof.Add(hash);
        }
        request = new AddCheckpointRequest(old, proof, body[(split + 2)..]);
        return null;
    }
}

/// <summary>What a witness answers: the HTTP status, the text body, and on 200 the checkpoint it now holds as its latest.</summary>
public sealed record WitnessAnswer(int Status, string Body, string? ContentType = null, Checkpoint? Accepted = null, string? AcceptedNote = null)
{
    /// <summary>True when the request is evidence that the log showed this witness a fork (same size, another root).</summary>
    public bool Fork { get; init; }
}

/// <summary>
/// The decision of a witness on an add-checkpoint request (C2SP tlog-witness), apart from storage and HTTP: it cosigns
/// a checkpoint only when the log's pinned key signed it and it extends the latest checkpoint the witness cosigned for
/// that origin (a valid RFC 9162 consistency proof from it, or the same tree at the same size). Refusals: 400 malformed
/// or old size above the new size; 404 unknown origin; 403 not signed by the log's key; 409 old size other than the one
/// the witness holds (body: that size, text/x.tlog.size) or the same size with another root (a fork); 422 a consistency
/// proof that does not verify.
/// </summary>
public static class WitnessRules
{
    public const string SizeContentType = "text/x.tlog.size";

    /// <param name="request">The request as read.</param>
    /// <param name="logKeys">The pinned keys of each log origin the witness serves.</param>
    /// <param name="latest">The latest checkpoint the witness cosigned for that origin, or null.</param>
    /// <param name="cosigner">The witness's key.</param>
    /// <param name="unixSeconds">The time of the cosignature.</param>
    public static WitnessAnswer Decide(AddCheckpointRequest request, IReadOnlyDictionary<string, IReadOnlyList<VerifierKey>> logKeys,
        Func<string, Checkpoint?> latest, Cosigner cosigner, long unixSeconds)
    {
        var note = SignedNote.TryParse(request.Note, out var problem);
        var checkpoint = note is null ? null : Checkpoint.TryParse(note.Text, out problem);
        if (note is null || checkpoint is null) return new(400, $"The checkpoint is not a signed checkpoint note: {problem}\n");
        if (!logKeys.TryGetValue(checkpoint.Origin, out var keys)) return new(404, $"This witness does not witness the log '{checkpoint.Origin}'.\n");
        // Signatures of keys it does not know are ignored; one of a pinned key must be there, and every such one verify.
        var known = note.Signatures.Where(s => keys.Any(k => k.Name == s.KeyName && k.KeyId == s.KeyId)).ToList();
        if (known.Count == 0 || !known.All(s => keys.Any(k => k.Name == s.KeyName && k.KeyId == s.KeyId && k.Verify(note.Text, s.Signature))))
            return new(403, "The checkpoint is not signed by the log's pinned key.\n");
        if (request.OldSize > checkpoint.Size) return new(400, "The old size is larger than the checkpoint's size.\n");

        var held = latest(checkpoint.Origin);
        var heldSize = held?.Size ?? 0;
        if (request.OldSize != heldSize)
            return new(409, $"{heldSize.ToString(CultureInfo.InvariantCulture)}\n", SizeContentType);
        if (held is not null && held.Size == checkpoint.Size && !held.RootHash.AsSpan().SequenceEqual(checkpoint.RootHash))
            return new(409, $"Fork: this witness holds another root for the log '{checkpoint.Origin}' at size {held.Size}.\n") { Fork = true };
        var consistent = held is null
            ? request.Proof.Count == 0
            : Merkle.VerifyConsistency(held.Size, checkpoint.Size, held.RootHash, checkpoint.RootHash, request.Proof);
        if (!consistent)
            return new(422, $"The consistency proof from size {heldSize} to {checkpoint.Size} does not verify.\n") { Fork = held is not null };

        var line = new SignedNote(note.Text, [cosigner.Cosign(note.Text, unixSeconds)]).ToString();
        // The answer is the signature line alone: what follows the note's text and its empty line.
        return new(200, line[(note.Text.Length + 1)..], "text/plain; charset=utf-8", checkpoint, request.Note);
    }
}
