using BundLaenderKoordination.Audit;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>A paragraph of a resolution text with its stable id ("p1", "p2", ...).</summary>
public sealed record Paragraph(string Id, string Text);

/// <summary>
/// A text's <c>textHash</c> (docs/text-hash.md). The recipe lives in <see cref="TextHash"/>, shared with the offline
/// verifier that recomputes it.
/// </summary>
public static class TextCanonicalForm
{
    public const string Scheme = TextHash.Scheme;

    /// <summary>NFC, and CRLF or CR line ends turned into LF: the form in which texts are stored and hashed.</summary>
    public static string Normalize(string text) => TextHash.Normalize(text);

    public static byte[] Encode(string title, IEnumerable<Paragraph> paragraphs) =>
        TextHash.Encode(title, paragraphs.Select(p => (p.Id, p.Text)));

    public static string Hash(string title, IEnumerable<Paragraph> paragraphs) =>
        TextHash.Compute(title, paragraphs.Select(p => (p.Id, p.Text)));
}
