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

    public static Checkpoint? TryParse(string body)
    {
        if (!body.EndsWith('\n')) return null;
        var lines = body[..^1].Split('\n');
        if (lines.Length < 4 || lines[0].Length == 0) return null;
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return null;
        byte[] root;
        try { root = Convert.FromBase64String(lines[2]); }
        catch (FormatException) { return null; }
        if (root.Length != Merkle.HashSize) return null;
        var time = lines.Skip(3).FirstOrDefault(l => l.StartsWith("time ", StringComparison.Ordinal));
        if (time is null || !DateTimeOffset.TryParseExact(time[5..], TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return null;
        var checkpoint = new Checkpoint(lines[0], size, root, at);
        return checkpoint.Body() == body ? checkpoint : null;
    }

    public bool SameTree(Checkpoint other) => Size == other.Size && RootHash.AsSpan().SequenceEqual(other.RootHash);
}

/// <summary>One signature line of a signed note: "— name base64(keyId(4) || signature)".</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature);

/// <summary>
/// A C2SP signed note: a text ending in a newline, an empty line, and one or more signature lines. Anyone can add their
/// own signature line (a witness) without invalidating the others.
/// </summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    private const string Dash = "\u2014 ";

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

    public static SignedNote? TryParse(string note)
    {
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n')) return null;
        var text = note[..(split + 1)];
        var signatures = new List<NoteSignature>();
        foreach (var line in note[(split + 2)..^1].Split('\n'))
        {
            if (!line.StartsWith(Dash, StringComparison.Ordinal)) return null;
            var parts = line[Dash.Length..].Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0) return null;
            byte[] payload;
            try { payload = Convert.FromBase64String(parts[1]); }
            catch (FormatException) { return null; }
            if (payload.Length < 5) return null;
            var id = (uint)(payload[0] << 24 | payload[1] << 16 | payload[2] << 8 | payload[3]);
            signatures.Add(new NoteSignature(parts[0], id, payload[4..]));
        }
        return signatures.Count == 0 ? null : new SignedNote(text, signatures);
    }

    internal static void BitConverterBigEndian(uint value, byte[] target)
    {
        target[0] = (byte)(value >> 24);
        target[1] = (byte)(value >> 16);
        target[2] = (byte)(value >> 8);
        target[3] = (byte)value;
    }
}
