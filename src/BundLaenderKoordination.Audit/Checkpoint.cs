using System.Globalization;
using System.Text;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// A checkpoint of the log in the C2SP tlog-checkpoint form: the origin line, the tree size, the base64 root hash, and
/// one extension line "time" with the UTC instant it was issued (RFC 3339). The body is what a signed note signs.
/// </summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash, DateTimeOffset Time)
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public string Body() =>
        $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\ntime {Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}\n";

    public static Checkpoint? TryParse(string body) => TryParse(body, out _);

    /// <summary>
    /// Reads a checkpoint body exactly as <see cref="Body"/> writes it (any other spelling of the same values, and any
    /// other extension line, is refused); <paramref name="problem"/> says why not. Never throws.
    /// </summary>
    public static Checkpoint? TryParse(string? body, out string? problem)
    {
        problem = Parse(body, out var checkpoint);
        return checkpoint;
    }

    private static string? Parse(string? body, out Checkpoint? checkpoint)
    {
        checkpoint = null;
        if (body is null || !body.EndsWith('\n')) return "A checkpoint body ends with a newline.";
        var lines = body[..^1].Split('\n');
        if (lines.Length < 4 || lines[0].Length == 0) return "A checkpoint has an origin, a size, a root hash and a time line.";
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return "The checkpoint's size is not a number.";
        var root = NoteEncoding.TryBase64(lines[2]);
        if (root is null || root.Length != Merkle.HashSize) return "The checkpoint's root hash is not a base64 SHA-256 hash.";
        var time = lines.Skip(3).FirstOrDefault(l => l.StartsWith("time ", StringComparison.Ordinal));
        if (time is null || !DateTimeOffset.TryParseExact(time[5..], TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return "The checkpoint has no time line.";
        var parsed = new Checkpoint(lines[0], size, root, at);
        if (parsed.Body() != body) return "The checkpoint is not written in its one canonical form (extra lines or another spelling).";
        checkpoint = parsed;
        return null;
    }

    public bool SameTree(Checkpoint other) => Size == other.Size && RootHash.AsSpan().SequenceEqual(other.RootHash);
}

/// <summary>One signature line of a signed note: "— name base64(keyId(4) || signature)".</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature);

/// <summary>
/// A C2SP signed note (https://c2sp.org/signed-note): a text ending in a newline, an empty line, and one or more signature
/// lines "— name base64(keyId(4) || signature)". Anyone can add their own signature line (a witness) without invalidating
/// the others. Read strictly, because a verifier that accepts two spellings of one note can be shown a note other than
/// the one that was signed.
/// </summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    private const string Dash = "\u2014 ";

    /// <summary>More signature lines than this are refused (the specification asks to accept at least 16).</summary>
    public const int MaxSignatures = 100;

    public override string ToString()
    {
        var builder = new StringBuilder(Text).Append('\n');
        foreach (var s in Signatures)
        {
            var payload = new byte[4 + s.Signature.Length];
            BitConverterBigEndian(s.KeyId, payload);
            s.Signature.CopyTo(payload, 4);
            builder.Append(Dash).Append(s.KeyName).Append(' ').Append(Convert.ToBase64String(payload)).Append('\n');
        }
        return builder.ToString();
    }

    public static SignedNote? TryParse(string note) => TryParse(note, out _);

    /// <summary>
    /// Reads a signed note strictly: valid Unicode without control characters other than newline (no CR, no tab), a text
    /// ending in a newline, the last empty line as separator, then at least one signature line of exactly "— name
    /// base64" with a valid key name (non-empty, no whitespace, no '+'), canonical padded base64 of at least 5 bytes, and
    /// no key (name and id) twice. <paramref name="problem"/> says why not. Never throws.
    /// </summary>
    public static SignedNote? TryParse(string? note, out string? problem)
    {
        problem = Parse(note, out var parsed);
        return parsed;
    }

    private static string? Parse(string? note, out SignedNote? parsed)
    {
        parsed = null;
        if (string.IsNullOrEmpty(note)) return "The note is empty.";
        if (NoteEncoding.InvalidCharacter(note, allowNewline: true) is { } bad) return $"The note holds {bad}.";
        if (!note.EndsWith('\n')) return "A signed note ends with a newline.";
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) return "A signed note has an empty line between its text and its signatures.";
        var text = note[..(split + 1)];
        var block = note[(split + 2)..];
        if (block.Length == 0) return "The note has no signature lines after its last empty line.";
        var lines = block[..^1].Split('\n');
        if (lines.Length > MaxSignatures) return $"The note has more than {MaxSignatures} signatures.";
        var signatures = new List<NoteSignature>();
        foreach (var line in lines)
        {
            if (!line.StartsWith(Dash, StringComparison.Ordinal)) return "A signature line starts with an em dash (U+2014) and a space.";
            var parts = line[Dash.Length..].Split(' ');
            if (parts.Length != 2) return "A signature line is \"— name signature\", separated by single spaces.";
            if (NoteEncoding.InvalidKeyName(parts[0]) is { } name) return name;
            var payload = NoteEncoding.TryBase64(parts[1]);
            if (payload is null) return "A signature is not canonical base64.";
            if (payload.Length < 5) return "A signature holds a 4-byte key id and at least one byte of signature.";
            var id = (uint)(payload[0] << 24 | payload[1] << 16 | payload[2] << 8 | payload[3]);
            if (signatures.Any(s => s.KeyName == parts[0] && s.KeyId == id)) return $"The note is signed twice by the key {parts[0]}+{id:x8}.";
            signatures.Add(new NoteSignature(parts[0], id, payload[4..]));
        }
        parsed = new SignedNote(text, signatures);
        return null;
    }

    internal static void BitConverterBigEndian(uint value, byte[] target)
    {
        target[0] = (byte)(value >> 24);
        target[1] = (byte)(value >> 16);
        target[2] = (byte)(value >> 8);
        target[3] = (byte)value;
    }
}

/// <summary>The strict spellings signed notes and keys share: canonical base64, key names, the characters a note may hold.</summary>
public static class NoteEncoding
{
    /// <summary>
    /// Decodes standard padded base64 (RFC 4648 §4) only in its canonical spelling: no whitespace, no non-zero padding
    /// bits, so that one value has one text. Null otherwise.
    /// </summary>
    public static byte[]? TryBase64(string? text)
    {
        if (text is null || text.Length % 4 != 0) return null;
        var bytes = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return null;
        var value = bytes[..written];
        return Convert.ToBase64String(value) == text ? value : null;
    }

    /// <summary>
    /// What is wrong with a key name (C2SP signed-note: non-empty, no Unicode whitespace, no '+'; and no control
    /// character or lone surrogate), or null.
    /// </summary>
    public static string? InvalidKeyName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "A key name is not empty.";
        if (name.Contains('+')) return "A key name holds no '+'.";
        if (name.Any(char.IsWhiteSpace)) return "A key name holds no whitespace.";
        return InvalidCharacter(name, allowNewline: false) is { } bad ? $"The key name holds {bad}." : null;
    }

    /// <summary>
    /// The first character that a note may not hold, described, or null: a lone surrogate (not valid UTF-8) or a control
    /// character (C0, DEL, C1) other than the newline when <paramref name="allowNewline"/>.
    /// </summary>
    public static string? InvalidCharacter(string text, bool allowNewline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return $"a lone surrogate at {i} (not valid UTF-8)";
            if (char.IsControl(c) && !(allowNewline && c == '\n')) return $"the control character U+{(int)c:X4} at {i}";
        }
        return null;
    }
}
