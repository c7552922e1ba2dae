using System.Text.Json.Nodes;
using StateForge.Parsing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StateForge.Transport.Kubernetes;

/// <summary>Reads manifests (multi-document YAML or JSON) into objects; `kind: List` documents are unpacked.</summary>
public static class ManifestReader
{
    /// <summary>The objects of <paramref name="text"/>; throws <see cref="FormatException"/> naming <paramref name="source"/> and the line.</summary>
    public static IReadOnlyList<JsonObject> Read(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{source}({e.Start.Line},{e.Start.Column}): invalid YAML: {e.Message}", e);
        }

        var objects = new List<JsonObject>();
        foreach (var document in stream.Documents)
        {
            switch (ToNode(document.RootNode))
            {
                case null:
                    break;
                case JsonObject obj when obj.Str("kind") is "List" && obj["items"] is JsonArray items:
                    objects.AddRange(items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()));
                    break;
                case JsonObject obj:
                    objects.Add(obj);
                    break;
                default:
                    throw new FormatException($"{source}({document.RootNode.Start.Line},{document.RootNode.Start.Column}): a manifest document must be a mapping");
            }
        }

        return objects;
    }

    /// <summary>The objects a `definition` holds: one mapping, a list of them, or a `kind: List`.</summary>
    public static IReadOnlyList<JsonObject> FromDefinition(object? definition, string source)
    {
        switch (definition)
        {
            case string text:
                return Read(text, source);
            case null:
                return [];
        }

        return JsonPlain.ToNode(definition) switch
        {
            JsonObject obj when obj.Str("kind") is "List" && obj["items"] is JsonArray items => [.. items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone())],
            JsonObject obj => [obj],
            JsonArray arr => [.. arr.OfType<JsonObject>()],
            _ => throw new FormatException($"{source}: definition must be a mapping, a list of mappings or YAML text"),
        };
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode map => MapToNode(map),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToNode)]),
        YamlScalarNode scalar => JsonPlain.ToNode(scalar.Style is ScalarStyle.Plain
            ? ScalarResolver.Resolve(scalar.Value ?? "", scalar.Tag.IsEmpty ? null : scalar.Tag.Value)
            : ScalarResolver.ResolveTagged(scalar.Value ?? "", scalar.Tag.IsEmpty ? null : scalar.Tag.Value)),
        _ => null,
    };

    private static JsonObject MapToNode(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            obj[((YamlScalarNode)key).Value ?? ""] = ToNode(value);
        }

        return obj;
    }
}
