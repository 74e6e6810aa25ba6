using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>A paragraph of a resolution text with its stable id ("p1", "p2", ...).</summary>
public sealed record Paragraph(string Id, string Text);

/// <summary>
/// The one definition of a text's <c>textHash</c> (documented in docs/text-hash.md so that an auditor can recompute it):
/// SHA-256, lower-case hex, over the UTF-8 bytes of
/// <code>
/// blk-text-v1\n
/// title {byteLength}\n{title}\n
/// paragraph {id} {byteLength}\n{text}\n      (once per paragraph, in order)
/// </code>
/// where every text is first normalised to Unicode NFC with LF line ends and byteLength counts its UTF-8 bytes.
/// The length prefixes make the form unambiguous whatever a text contains.
/// </summary>
public static class TextCanonicalForm
{
    public const string Scheme = "blk-text-v1";

    /// <summary>NFC, and CRLF or CR line ends turned into LF: the form in which texts are stored and hashed.</summary>
    public static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Normalize(NormalizationForm.FormC);

    public static byte[] Encode(string title, IEnumerable<Paragraph> paragraphs)
    {
        var builder = new StringBuilder();
        builder.Append(Scheme).Append('\n');
        Append(builder, "title", Normalize(title));
        foreach (var paragraph in paragraphs)
            Append(builder, "paragraph " + paragraph.Id, Normalize(paragraph.Text));
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static string Hash(string title, IEnumerable<Paragraph> paragraphs) =>
        Convert.ToHexStringLower(SHA256.HashData(Encode(title, paragraphs)));

    private static void Append(StringBuilder builder, string label, string text) =>
        builder.Append(label).Append(' ')
            .Append(Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(text).Append('\n');
}
