using BundLaenderKoordination.Tests.Shared;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The tree-based RFC 8785 canonicaliser the log sealed with before the streaming one, kept as the oracle: the
/// streaming canonicaliser must give the same bytes for every document, or leaves sealed earlier would no longer verify.
/// It normalises strings with the tests' own <see cref="Oracles.Normalized"/>, never with the service's normaliser.
/// </summary>
internal static class TreeCanonicalJson
{
    public static byte[] LeafBytes(JsonNode document) => Encoding.UTF8.GetBytes(Serialize(Normalize(document)));

    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    public static JsonNode? Normalize(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Normalize).ToArray()),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Oracles.Normalized(value.GetValue<string>())),
        _ => node.DeepClone(),
    };

    private static void Write(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) builder.Append(',');
                    first = false;
                    WriteString(builder, name);
                    builder.Append(':');
                    Write(builder, value);
                }
                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) builder.Append(',');
                    Write(builder, array[i]);
                }
                builder.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String: WriteString(builder, value.GetValue<string>()); break;
                    case JsonValueKind.Number:
                        builder.Append(EcmaScriptNumber(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)));
                        break;
                    case JsonValueKind.True: builder.Append("true"); break;
                    case JsonValueKind.False: builder.Append("false"); break;
                    case JsonValueKind.Null: builder.Append("null"); break;
                    default: throw new InvalidOperationException();
                }
                break;
        }
    }

    /// <summary>
    /// ECMAScript's Number::toString (RFC 8785 §3.2.2.3), written here from the shortest round-trip digits .NET gives:
    /// plain digits for exponents up to 21, "0.000…" down to 1e-6, otherwise d.ddde±n.
    /// </summary>
    public static string EcmaScriptNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw new InvalidOperationException("Not a JSON number.");
        if (value == 0) return "0";
        var sign = value < 0 ? "-" : "";
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var parts = shortest.Split('E');
        var exponent = parts.Length > 1 ? int.Parse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var mantissa = parts[0];
        var point = mantissa.IndexOf('.') is var at and >= 0 ? at : mantissa.Length;
        var all = mantissa.Replace(".", "", StringComparison.Ordinal);
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        var k = digits.Length;
        var n = point - leading + exponent; // value = 0.digits × 10^n
        string text;
        if (k <= n && n <= 21) text = digits + new string('0', n - k);
        else if (0 < n && n <= 21) text = digits[..n] + "." + digits[n..];
        else if (-6 < n && n <= 0) text = "0." + new string('0', -n) + digits;
        else
        {
            var e = n - 1;
            var exponentText = (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
            text = (k == 1 ? digits : digits[0] + "." + digits[1..]) + "e" + exponentText;
        }
        return sign + text;
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) builder.Append(c).Append(text[++i]);
                    else if (char.IsSurrogate(c)) throw new InvalidOperationException("A string with a lone surrogate cannot be canonicalised.");
                    else builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
    }
}
