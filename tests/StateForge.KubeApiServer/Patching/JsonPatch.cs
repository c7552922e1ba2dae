using System.Globalization;
using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Api;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over JSON pointers.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject document, JsonArray operations)
    {
        JsonNode root = document.Clone();
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation.Str("op") ?? throw Failure("missing op");
            var path = operation.Str("path") ?? throw Failure($"missing path in {op} operation");
            switch (op)
            {
                case "add":
                    root = Add(root, path, Value(operation));
                    break;
                case "remove":
                    root = Remove(root, path, out _);
                    break;
                case "replace":
                    root = Remove(root, path, out _);
                    root = Add(root, path, Value(operation));
                    break;
                case "move":
                    root = Remove(root, From(operation), out var moved);
                    root = Add(root, path, moved);
                    break;
                case "copy":
                    root = Add(root, path, Find(root, From(operation))?.DeepClone());
                    break;
                case "test":
                    if (!Find(root, path).SameAs(operation["value"]))
                    {
                        throw Failure($"testing value {path} failed");
                    }

                    break;
                default:
                    throw Failure($"Unexpected kind: {op}");
            }
        }

        return root as JsonObject ?? throw Failure("the patch replaced the whole object with a non-object");
    }

    private static JsonNode? Value(JsonObject operation) =>
        operation.ContainsKey("value") ? operation["value"]?.DeepClone() : throw Failure("missing value");

    private static string From(JsonObject operation) => operation.Str("from") ?? throw Failure("missing from");

    private static JsonNode? Find(JsonNode root, string path)
    {
        var current = root;
        foreach (var token in Tokens(path))
        {
            current = current switch
            {
                JsonObject obj when obj.ContainsKey(token) => obj[token],
                JsonArray arr when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < arr.Count => arr[i],
                _ => throw Failure($"doc is missing path: \"{path}\""),
            };
        }

        return current;
    }

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return value ?? throw Failure("cannot replace the document with null");
        }

        var parent = Find(root, Pointer(tokens[..^1]));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray arr when last == "-":
                arr.Add(value);
                break;
            case JsonArray arr when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= arr.Count:
                arr.Insert(i, value);
                break;
            default:
                throw Failure($"add operation does not apply: doc is missing path: \"{path}\"");
        }

        return root;
    }

    private static JsonNode Remove(JsonNode root, string path, out JsonNode? removed)
    {
        var tokens = Tokens(path);
        var parent = Find(root, Pointer(tokens[..^1]));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                removed = obj[last];
                obj.Remove(last);
                break;
            case JsonArray arr when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < arr.Count:
                removed = arr[i];
                arr.RemoveAt(i);
                break;
            default:
                throw Failure($"remove operation does not apply: doc is missing path: \"{path}\"");
        }

        return root;
    }

    private static List<string> Tokens(string path) =>
        path.Length == 0
            ? []
            : path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();

    private static string Pointer(List<string> tokens) =>
        string.Concat(tokens.Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    private static ApiException Failure(string message) => ApiErrors.Unprocessable(message);
}
