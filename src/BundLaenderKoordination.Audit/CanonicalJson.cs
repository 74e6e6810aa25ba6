using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace BundLaenderKoordination.Audit;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS): object members sorted by the UTF-16 code units of their names, no
/// whitespace, strings with the minimal escapes, numbers as ECMAScript's Number.prototype.toString writes an IEEE 754
/// double. Works on the parsed value, so any two serialisations of the same JSON give the same bytes.
/// </summary>
/// <remarks>
/// Streams: a <see cref="Utf8JsonReader"/> reads the UTF-8 text once and the canonical bytes are written straight into a
/// pooled buffer, without a document tree and without strings. An object's members are written in the order they come;
/// only when that order is not the canonical one are they moved, once, into place. Optionally every string value (not
/// member names) is normalised to Unicode NFC with LF line ends on the way, as leaf documents require; text without CR
/// and without characters from U+0300 on (ASCII and German text with precomposed umlauts, the common case) is copied as
/// it is.
/// </remarks>
public static class CanonicalJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false, SkipValidation = true,
    };

    // Bytes that need an escape inside a canonical string: control characters, quotation mark, reverse solidus.
    private static readonly SearchValues<byte> Escaped = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    // Bytes after which a string may need normalising: CR, and the UTF-8 lead bytes of characters from U+0300 on. Text
    // made only of characters below U+0300 (ASCII, the Latin letters with umlauts and accents) is in NFC already: no
    // character there decomposes, and only combining marks (U+0300 and above) compose with a preceding character.
    private static readonly SearchValues<byte> MayNeedNormalizing = SearchValues.Create([(byte)'\r', .. Enumerable.Range(0xCC, 0x100 - 0xCC).Select(b => (byte)b)]);

    [ThreadStatic] private static PooledBuffer? _names;
    [ThreadStatic] private static PooledBuffer? _scratch;
    [ThreadStatic] private static PooledBuffer? _nodeText;
    [ThreadStatic] private static Utf8JsonWriter? _nodeWriter;

    public static string Serialize(JsonNode? node)
    {
        using var output = new PooledBuffer();
        Write(node, output, normalizeStrings: false);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static byte[] SerializeToUtf8(JsonNode? node)
    {
        using var output = new PooledBuffer();
        Write(node, output, normalizeStrings: false);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Parses JSON text (duplicate member names are refused, as RFC 8785 requires) and canonicalises it.</summary>
    public static string Canonicalize(string json)
    {
        using var output = new PooledBuffer();
        Write(Encoding.UTF8.GetBytes(json), output, normalizeStrings: false);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Appends the canonical form of a JSON node to <paramref name="output"/>.</summary>
    public static void Write(JsonNode? node, PooledBuffer output, bool normalizeStrings)
    {
        if (node is null)
        {
            output.Write("null"u8);
            return;
        }
        var text = _nodeText ??= new PooledBuffer(4096);
        text.Clear();
        var writer = _nodeWriter ??= new Utf8JsonWriter(text, WriterOptions);
        writer.Reset(text);
        node.WriteTo(writer);
        writer.Flush();
        // Recursion through nested nodes never reaches this again, so the thread's buffer is free to reuse.
        Write(text.WrittenSpan, output, normalizeStrings);
    }

    /// <summary>
    /// Appends the canonical form of one JSON value, given as UTF-8 text, to <paramref name="output"/>. With
    /// <paramref name="normalizeStrings"/>, string values (not member names) are written in NFC with LF line ends.
    /// Refuses (with <see cref="JsonException"/> or <see cref="InvalidOperationException"/>) text that is not one JSON
    /// value, duplicate member names, numbers beyond a double, and strings that are not valid Unicode.
    /// </summary>
    public static void Write(ReadOnlySpan<byte> utf8Json, PooledBuffer output, bool normalizeStrings)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        if (!reader.Read()) throw new JsonException("Empty JSON text.");
        var names = _names ??= new PooledBuffer(1024);
        var namesBase = names.Length;
        try
        {
            WriteValue(ref reader, output, names, normalizeStrings);
            if (reader.Read()) throw new JsonException("More than one JSON value.");
        }
        finally
        {
            names.Truncate(namesBase);
        }
    }

    private static void WriteValue(ref Utf8JsonReader reader, PooledBuffer output, PooledBuffer names, bool normalize)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                WriteObject(ref reader, output, names, normalize);
                break;
            case JsonTokenType.StartArray:
                output.Write((byte)'[');
                var first = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!first) output.Write((byte)',');
                    first = false;
                    WriteValue(ref reader, output, names, normalize);
                }
                output.Write((byte)']');
                break;
            case JsonTokenType.String:
                WriteStringToken(ref reader, output, normalize);
                break;
            case JsonTokenType.Number:
                WriteNumber(reader.ValueSpan, output);
                break;
            case JsonTokenType.True:
                output.Write("true"u8);
                break;
            case JsonTokenType.False:
                output.Write("false"u8);
                break;
            case JsonTokenType.Null:
                output.Write("null"u8);
                break;
            default:
                throw new JsonException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private struct Member
    {
        public int NameStart;
        public int NameLength;
        public int Start;
        public int Length;
    }

    private static void WriteObject(ref Utf8JsonReader reader, PooledBuffer output, PooledBuffer names, bool normalize)
    {
        output.Write((byte)'{');
        var bodyStart = output.Length;
        var namesBase = names.Length;
        var members = ArrayPool<Member>.Shared.Rent(16);
        var count = 0;
        var sorted = true;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (count > 0) output.Write((byte)',');
                var nameStart = names.Length;
                AppendUnescaped(ref reader, names);
                var member = new Member { NameStart = nameStart, NameLength = names.Length - nameStart, Start = output.Length };
                WriteEscapedString(names.WrittenSpan.Slice(member.NameStart, member.NameLength), output);
                output.Write((byte)':');
                if (!reader.Read()) throw new JsonException("A member without a value.");
                WriteValue(ref reader, output, names, normalize);
                member.Length = output.Length - member.Start;
                if (count == members.Length)
                {
                    var larger = ArrayPool<Member>.Shared.Rent(count * 2);
                    members.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<Member>.Shared.Return(members);
                    members = larger;
                }
                if (count > 0)
                {
                    var order = CompareNames(names, members[count - 1], member);
                    if (order == 0) throw new JsonException("Duplicate member name.");
                    if (order > 0) sorted = false;
                }
                members[count++] = member;
            }
            if (!sorted) Reorder(output, names, members.AsSpan(0, count), bodyStart);
            output.Write((byte)'}');
        }
        finally
        {
            ArrayPool<Member>.Shared.Return(members);
            names.Truncate(namesBase);
        }
    }

    // Moves the members, written in arrival order after bodyStart, into canonical order.
    private static void Reorder(PooledBuffer output, PooledBuffer names, Span<Member> members, int bodyStart)
    {
        for (var i = 1; i < members.Length; i++)
        {
            var current = members[i];
            var j = i - 1;
            while (j >= 0 && CompareNames(names, members[j], current) > 0)
            {
                members[j + 1] = members[j];
                j--;
            }
            if (j >= 0 && CompareNames(names, members[j], current) == 0) throw new JsonException("Duplicate member name.");
            members[j + 1] = current;
        }
        var bodyEnd = output.Length;
        // Append the members in order after the current end, then move that block down over the old body.
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0) output.Write((byte)',');
            output.WriteOwn(members[i].Start, members[i].Length);
        }
        var length = output.Length - bodyEnd;
        output.Slice(bodyEnd, length).CopyTo(output.Slice(bodyStart, length));
        output.Truncate(bodyStart + length);
    }

    /// <summary>
    /// Orders member names by their UTF-16 code units (RFC 8785 §3.2.3) while comparing their UTF-8 bytes: UTF-8 byte
    /// order is code point order, which differs from UTF-16 order only between a character above U+FFFF (lead byte
    /// F0-F4, a surrogate pair in UTF-16) and one in U+E000..U+FFFF (lead byte EE or EF).
    /// </summary>
    private static int CompareNames(PooledBuffer names, Member left, Member right) =>
        CompareUtf16Order(names.WrittenSpan.Slice(left.NameStart, left.NameLength), names.WrittenSpan.Slice(right.NameStart, right.NameLength));

    internal static int CompareUtf16Order(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        int x = a[common], y = b[common];
        if (x >= 0xF0 && y is 0xEE or 0xEF) return -1;
        if (y >= 0xF0 && x is 0xEE or 0xEF) return 1;
        return x.CompareTo(y);
    }

    // Appends the unescaped UTF-8 bytes of the current string or property name token; refuses invalid Unicode.
    private static void AppendUnescaped(ref Utf8JsonReader reader, PooledBuffer target)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            if (!Utf8.IsValid(raw)) throw new InvalidOperationException("A JSON string that is not valid UTF-8 cannot be canonicalised.");
            target.Write(raw);
            return;
        }
        // Unescaping never makes the text longer; CopyString refuses invalid UTF-8 and lone surrogates.
        var written = reader.CopyString(target.GetSpan(raw.Length));
        if (!Utf8.IsValid(target.GetSpan(written)[..written]))
            throw new InvalidOperationException("A JSON string that is not valid Unicode cannot be canonicalised.");
        target.Advance(written);
    }

    private static void WriteStringToken(ref Utf8JsonReader reader, PooledBuffer output, bool normalize)
    {
        if (!reader.ValueIsEscaped && (!normalize || !reader.ValueSpan.ContainsAny(MayNeedNormalizing)))
        {
            var raw = reader.ValueSpan;
            if (!Utf8.IsValid(raw)) throw new InvalidOperationException("A JSON string that is not valid UTF-8 cannot be canonicalised.");
            WriteEscapedString(raw, output);
            return;
        }
        var scratch = _scratch ??= new PooledBuffer(1024);
        var scratchBase = scratch.Length;
        try
        {
            AppendUnescaped(ref reader, scratch);
            var text = scratch.WrittenSpan[scratchBase..];
            if (normalize && text.ContainsAny(MayNeedNormalizing)) WriteNormalized(text, output);
            else WriteEscapedString(text, output);
        }
        finally
        {
            scratch.Truncate(scratchBase);
        }
    }

    /// <summary>Writes a UTF-8 string in NFC with LF line ends (as <see cref="TextHash.Normalize"/> does), escaped.</summary>
    private static void WriteNormalized(ReadOnlySpan<byte> utf8, PooledBuffer output)
    {
        var chars = ArrayPool<char>.Shared.Rent(utf8.Length);
        char[]? normalized = null;
        byte[]? encoded = null;
        try
        {
            var length = Encoding.UTF8.GetChars(utf8, chars);
            var changed = false;
            // CR LF and lone CR become LF.
            if (chars.AsSpan(0, length).Contains('\r'))
            {
                var to = 0;
                for (var from = 0; from < length; from++)
                {
                    var c = chars[from];
                    if (c == '\r')
                    {
                        c = '\n';
                        if (from + 1 < length && chars[from + 1] == '\n') from++;
                    }
                    chars[to++] = c;
                }
                length = to;
                changed = true;
            }
            ReadOnlySpan<char> text = chars.AsSpan(0, length);
            if (!text.IsNormalized(NormalizationForm.FormC))
            {
                normalized = ArrayPool<char>.Shared.Rent(text.GetNormalizedLength(NormalizationForm.FormC));
                if (!text.TryNormalize(normalized, out var normalizedLength, NormalizationForm.FormC))
                    throw new InvalidOperationException("A string could not be normalised to NFC.");
                text = normalized.AsSpan(0, normalizedLength);
                changed = true;
            }
            if (!changed)
            {
                WriteEscapedString(utf8, output);
                return;
            }
            encoded = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
            var byteCount = Encoding.UTF8.GetBytes(text, encoded);
            WriteEscapedString(encoded.AsSpan(0, byteCount), output);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            if (normalized is not null) ArrayPool<char>.Shared.Return(normalized);
            if (encoded is not null) ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    /// <summary>A string's canonical form (RFC 8785 §3.2.2.2): quotes, the short escapes, \u00xx for other controls.</summary>
    internal static void WriteEscapedString(ReadOnlySpan<byte> utf8, PooledBuffer output)
    {
        output.Write((byte)'"');
        while (true)
        {
            var next = utf8.IndexOfAny(Escaped);
            if (next < 0)
            {
                output.Write(utf8);
                break;
            }
            output.Write(utf8[..next]);
            var b = utf8[next];
            switch (b)
            {
                case (byte)'"': output.Write("\\\""u8); break;
                case (byte)'\\': output.Write("\\\\"u8); break;
                case 0x08: output.Write("\\b"u8); break;
                case 0x0C: output.Write("\\f"u8); break;
                case (byte)'\n': output.Write("\\n"u8); break;
                case (byte)'\r': output.Write("\\r"u8); break;
                case (byte)'\t': output.Write("\\t"u8); break;
                default:
                    output.Write("\\u00"u8);
                    output.Write((byte)"0123456789abcdef"[b >> 4]);
                    output.Write((byte)"0123456789abcdef"[b & 0xF]);
                    break;
            }
            utf8 = utf8[(next + 1)..];
        }
        output.Write((byte)'"');
    }

    /// <summary>Writes a string value given as .NET text (not normalised) in canonical form.</summary>
    internal static void WriteEscapedString(string text, PooledBuffer output)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var status = Utf8.FromUtf16(text, bytes, out _, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done) throw new InvalidOperationException("A string with a lone surrogate cannot be canonicalised.");
            WriteEscapedString(bytes.AsSpan(0, written), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// A number's canonical form. An integer of at most 15 digits is exactly a double and ECMAScript writes it as it is
    /// (minus zero as 0); anything else goes through the double and <see cref="FormatNumber"/>.
    /// </summary>
    private static void WriteNumber(ReadOnlySpan<byte> token, PooledBuffer output)
    {
        var digits = token[0] == (byte)'-' ? token[1..] : token;
        if (digits.Length <= 15 && !digits.ContainsAnyExcept("0123456789"u8))
        {
            output.Write(token.SequenceEqual("-0"u8) ? "0"u8 : token);
            return;
        }
        var value = double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
        WriteAscii(FormatNumber(value), output);
    }

    /// <summary>Writes an integer (a sequence number or version) in canonical form.</summary>
    internal static void WriteInteger(long value, PooledBuffer output)
    {
        if (value is > -1_000_000_000_000_000 and < 1_000_000_000_000_000)
        {
            var span = output.GetSpan(20);
            if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture)) throw new InvalidOperationException("Integer too long.");
            output.Advance(written);
        }
        else
        {
            WriteAscii(FormatNumber(value), output);
        }
    }

    private static void WriteAscii(string text, PooledBuffer output)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        output.Advance(text.Length);
    }

    /// <summary>ECMAScript Number.prototype.toString (ECMA-262 §6.1.6.1.20) of a double, as RFC 8785 §3.2.2.3 requires.</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw new InvalidOperationException("NaN and Infinity are not JSON numbers.");
        if (value == 0) return "0";

        // "R" gives the shortest digit string that round-trips, which is what ECMAScript requires too.
        var (digits, exponent) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));

        // value = 0.digits × 10^n, with k digits.
        var k = digits.Length;
        var n = exponent;
        var sign = value < 0 ? "-" : "";
        string text;
        if (k <= n && n <= 21)
            text = digits + new string('0', n - k);
        else if (0 < n && n <= 21)
            text = digits[..n] + "." + digits[n..];
        else if (-6 < n && n <= 0)
            text = "0." + new string('0', -n) + digits;
        else
        {
            var e = n - 1;
            text = digits[..1] + (k > 1 ? "." + digits[1..] : "") + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }
        return sign + text;
    }

    /// <summary>Splits .NET's round-trip form ("1.2345E-07", "123.45") into significant digits and the exponent n.</summary>
    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        var mantissa = roundTrip;
        var exp10 = 0;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = roundTrip[..e];
            exp10 = int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        var dot = mantissa.IndexOf('.');
        var integerPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fraction = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var all = integerPart + fraction;
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        var n = integerPart.Length - leadingZeros + exp10;
        return (digits, n);
    }
}
