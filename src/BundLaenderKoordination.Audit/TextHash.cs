using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// The one definition of a text's <c>textHash</c> (docs/text-hash.md), shared by the service that records it and the
/// verifier that recomputes it: SHA-256, lower-case hex, over the UTF-8 bytes of
/// <code>
/// blk-text-v1\n
/// title {byteLength}\n{title}\n
/// paragraph {id} {byteLength}\n{text}\n      (once per paragraph, in order)
/// </code>
/// where every text is first normalised to Unicode NFC with LF line ends and byteLength counts its UTF-8 bytes.
/// </summary>
public static class TextHash
{
    public const string Scheme = "blk-text-v1";

    /// <summary>NFC, and CRLF or CR line ends turned into LF: the form in which texts are stored and hashed.</summary>
    public static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Normalize(NormalizationForm.FormC);

    public static byte[] Encode(string title, IEnumerable<(string Id, string Text)> paragraphs)
    {
        var builder = new StringBuilder();
        builder.Append(Scheme).Append('\n');
        Append(builder, "title", Normalize(title));
        foreach (var (id, text) in paragraphs)
            Append(builder, "paragraph " + id, Normalize(text));
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static string Compute(string title, IEnumerable<(string Id, string Text)> paragraphs) =>
        Convert.ToHexStringLower(SHA256.HashData(Encode(title, paragraphs)));

    private static void Append(StringBuilder builder, string label, string text) =>
        builder.Append(label).Append(' ')
            .Append(Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(text).Append('\n');
}
