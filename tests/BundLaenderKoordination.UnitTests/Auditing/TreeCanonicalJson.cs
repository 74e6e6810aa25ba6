using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The tree-based RFC 8785 canonicaliser the log sealed with before the streaming one, kept as the oracle: the
/// streaming canonicaliser must give the same bytes for every document, or leaves sealed earlier would no longer verify.
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
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(TextHash.Normalize(value.GetValue<string>())),
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
                        builder.Append(CanonicalJson.FormatNumber(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)));
                        break;
                    case JsonValueKind.True: builder.Append("true"); break;
                    case JsonValueKind.False: builder.Append("false"); break;
                    case JsonValueKind.Null: builder.Append("null"); break;
                    default: throw new InvalidOperationException();
                }
                break;
        }
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
