using System.Security.Cryptography;
using System.Text;

namespace BundLaenderKoordination.Tests.Shared;

/// <summary>
/// The text hash and the string normalisation written out again from docs/text-hash.md, without calling the service's
/// normaliser or hash: tests take their expected values from here (or from known answers), so that a fault in the
/// production code cannot also be in the expectation.
/// </summary>
public static class Oracles
{
    /// <summary>Line ends CRLF and CR become LF, then Unicode NFC (docs/text-hash.md, rule 1).</summary>
    public static string Normalized(string text)
    {
        var lines = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\r') lines.Append(text[i]);
            else
            {
                lines.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
            }
        }
        return lines.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>SHA-256 (lower-case hex) of a text's UTF-8 bytes as given (the hash a signed Protokollerklärung names, docs/audit.md).</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>SHA-256 (lower-case hex) of the length-prefixed canonical form of a title and its paragraphs.</summary>
    public static string TextHash(string title, IEnumerable<(string Id, string Text)> paragraphs)
    {
        var form = new List<byte>();
        void Part(string label, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(Normalized(text));
            form.AddRange(Encoding.UTF8.GetBytes($"{label} {bytes.Length}\n"));
            form.AddRange(bytes);
            form.Add((byte)'\n');
        }
        form.AddRange("blk-text-v1\n"u8.ToArray());
        Part("title", title);
        foreach (var (id, text) in paragraphs) Part("paragraph " + id, text);
        return Convert.ToHexStringLower(SHA256.HashData(form.ToArray()));
    }
}
