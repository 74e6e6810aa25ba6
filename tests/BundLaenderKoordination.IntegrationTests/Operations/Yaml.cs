using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace BundLaenderKoordination.IntegrationTests.Operations;

/// <summary>YAML files (one or more documents each) read strictly with YamlDotNet and handed on as JSON nodes.</summary>
public static class Yaml
{
    private static readonly IDeserializer Reader = new DeserializerBuilder().Build();
    private static readonly ISerializer Json = new SerializerBuilder().JsonCompatible().Build();

    public static IReadOnlyList<JsonObject> Documents(string path)
    {
        using var text = File.OpenText(path);
        var parser = new Parser(text);
        parser.Consume<StreamStart>();
        var documents = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var value = Reader.Deserialize<object?>(parser);
            if (value is null) continue;
            documents.Add(JsonNode.Parse(Json.Serialize(value))!.AsObject());
        }
        return documents;
    }

    /// <summary>The node at a dotted path ("spec.template.spec"), or null.</summary>
    public static JsonNode? At(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node)) return null;
        }
        return node;
    }

    public static string? Text(this JsonNode? node, string path) => node.At(path)?.ToString();

    public static int? Number(this JsonNode? node, string path) => node.At(path)?.ToString() is { } s && int.TryParse(s, out var n) ? n : null;

    public static IEnumerable<JsonNode> Items(this JsonNode? node, string path) => node.At(path) as JsonArray is { } a ? a.OfType<JsonNode>() : [];

    public static IReadOnlyDictionary<string, string> Map(this JsonNode? node, string path) =>
        node.At(path) is JsonObject o ? o.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "") : new Dictionary<string, string>();
}
