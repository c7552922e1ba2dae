using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StateForge.KubeApiServer.Json;

/// <summary>Small helpers over System.Text.Json.Nodes for Kubernetes-shaped objects.</summary>
internal static class JsonNodes
{
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string ToCompactJson(this JsonNode node) => node.ToJsonString(Compact);

    public static JsonObject Clone(this JsonObject obj) => (JsonObject)obj.DeepClone();

    public static JsonObject? Obj(this JsonObject? parent, string name) => parent?[name] as JsonObject;

    public static JsonArray? Arr(this JsonObject? parent, string name) => parent?[name] as JsonArray;

    public static string? Str(this JsonObject? parent, string name) =>
        parent?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(this JsonObject? parent, string name) =>
        parent?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
        decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? (long)d
            : null;

    public static bool? Bool(this JsonObject? parent, string name) =>
        parent?[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : null;

    /// <summary>Returns the child object, creating it (or replacing a non-object) when missing.</summary>
    public static JsonObject Ensure(this JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    public static void SetIfMissing(this JsonObject parent, string name, JsonNode? value)
    {
        if (parent[name] is null)
        {
            parent[name] = value;
        }
    }

    public static JsonObject Metadata(this JsonObject obj) => obj.Ensure("metadata");

    public static string? Name(this JsonObject obj) => obj.Obj("metadata").Str("name");

    public static string? Namespace(this JsonObject obj) => obj.Obj("metadata").Str("namespace");

    public static string? Phase(this JsonObject obj) => obj.Obj("status").Str("phase");

    public static Dictionary<string, string> StringMap(this JsonObject? map)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map is null)
        {
            return result;
        }

        foreach (var (key, value) in map)
        {
            result[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToCompactJson() ?? "";
        }

        return result;
    }

    public static bool SameAs(this JsonNode? left, JsonNode? right) => JsonNode.DeepEquals(left, right);

    public static JsonObject ParseObject(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("expected a JSON object");

    /// <summary>Rebuilds an object so the Kubernetes envelope fields come first, as the real server prints them.</summary>
    public static JsonObject WithEnvelopeOrder(this JsonObject obj)
    {
        string[] first = ["kind", "apiVersion", "metadata", "spec"];
        var ordered = new JsonObject();
        foreach (var key in first)
        {
            if (obj.ContainsKey(key))
            {
                ordered[key] = obj[key]?.DeepClone();
            }
        }

        foreach (var (key, value) in obj)
        {
            if (!first.Contains(key) && key != "status")
            {
                ordered[key] = value?.DeepClone();
            }
        }

        if (obj.ContainsKey("status"))
        {
            ordered["status"] = obj["status"]?.DeepClone();
        }

        return ordered;
    }
}
