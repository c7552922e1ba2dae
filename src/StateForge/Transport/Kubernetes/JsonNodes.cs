using System.Text.Json.Nodes;

namespace StateForge.Transport.Kubernetes;

/// <summary>Small readers for Kubernetes objects held as JSON.</summary>
public static class JsonNodes
{
    public static JsonObject? Obj(this JsonNode? node, string key) => (node as JsonObject)?[key] as JsonObject;

    public static JsonArray? Arr(this JsonNode? node, string key) => (node as JsonObject)?[key] as JsonArray;

    public static string? Str(this JsonNode? node, string key) =>
        (node as JsonObject)?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(this JsonNode? node, string key)
    {
        if ((node as JsonObject)?[key] is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }

        return v.TryGetValue<double>(out var d) ? (long)d : null;
    }

    public static string? Name(this JsonObject obj) => obj.Obj("metadata").Str("name");

    public static string? Namespace(this JsonObject obj) => obj.Obj("metadata").Str("namespace");

    /// <summary>The child object at <paramref name="key"/>, created when missing.</summary>
    public static JsonObject Ensure(this JsonObject obj, string key)
    {
        if (obj[key] is JsonObject child)
        {
            return child;
        }

        child = [];
        obj[key] = child;
        return child;
    }

    public static JsonObject CloneObject(this JsonObject obj) => (JsonObject)obj.DeepClone();
}
