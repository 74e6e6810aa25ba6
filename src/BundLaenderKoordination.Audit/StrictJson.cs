using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace BundLaenderKoordination.Audit;

/// <summary>What a strict reading of a file gave: the value, or (with a null value) why the file was refused.</summary>
public sealed record Reading<T>(T? Value, string? Problem) where T : class
{
    public static Reading<T> Refused(string problem) => new(null, problem);
}

/// <summary>
/// The checks every audit JSON file (bundle, receipt) passes before anything is read from it. A verifier that reads a
/// file twice, or with a lenient reader, can be made to show one thing and hash another: with two members of one name, a
/// serializer takes the last while a canonicaliser refuses them or a second reader takes the first; a member spelled in
/// other letter case is matched by a case-insensitive serializer but hashed under its own name. So a file is refused
/// unless it is exactly one JSON value (whitespace around it aside) in valid UTF-8, with no lone surrogate in any string,
/// no object holding two members whose names are equal or differ only in letter case, and at most
/// <see cref="MaxDepth"/> levels of nesting. After that, every reader of the same bytes sees the same tree.
/// </summary>
public static class StrictJson
{
    /// <summary>The deepest nesting accepted, as the canonicaliser accepts it.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = MaxDepth,
    };

    /// <summary>A leading UTF-8 byte order mark is not part of the JSON text (RFC 8259 §8.1 lets a reader ignore it).</summary>
    public static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>Null when <paramref name="utf8"/> passes the checks above, else what is wrong. Never throws.</summary>
    public static string? Check(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        var objects = new Stack<HashSet<string>?>();
        var scratch = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        break;
                    case JsonTokenType.StartArray:
                        objects.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = Unescape(ref reader, ref scratch);
                        if (name is null) return $"A member name at byte {reader.TokenStartIndex} is not valid Unicode (invalid UTF-8 or a lone surrogate).";
                        var names = objects.Peek()!;
                        if (!names.Add(name))
                            return names.TryGetValue(name, out var other) && other == name
                                ? $"The member \"{name}\" appears twice in one object (byte {reader.TokenStartIndex})."
                                : $"The members \"{other}\" and \"{name}\" differ only in letter case in one object (byte {reader.TokenStartIndex}).";
                        break;
                    case JsonTokenType.String:
                        if (Unescape(ref reader, ref scratch) is null)
                            return $"A string at byte {reader.TokenStartIndex} is not valid Unicode (invalid UTF-8 or a lone surrogate).";
                        break;
                }
            }
            return null;
        }
        catch (JsonException ex)
        {
            return $"Not one well-formed JSON value: {ex.Message}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    // The text of the current string or member name token, or null when it is not valid Unicode.
    private static string? Unescape(ref Utf8JsonReader reader, ref byte[] scratch)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
            return Utf8.IsValid(raw) ? reader.TokenType == JsonTokenType.PropertyName ? Encoding.UTF8.GetString(raw) : "" : null;
        if (scratch.Length < raw.Length)
        {
            ArrayPool<byte>.Shared.Return(scratch);
            scratch = ArrayPool<byte>.Shared.Rent(raw.Length);
        }
        int written;
        // CopyString refuses invalid UTF-8 and escapes of lone surrogates.
        try { written = reader.CopyString(scratch); }
        catch (InvalidOperationException) { return null; }
        var text = scratch.AsSpan(0, written);
        if (!Utf8.IsValid(text)) return null;
        return reader.TokenType == JsonTokenType.PropertyName ? Encoding.UTF8.GetString(text) : "";
    }
}
