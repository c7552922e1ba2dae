using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StateForge.Transport.Kubernetes;

/// <summary>
/// Converts between the engine's plain values (dictionaries, lists, string, long, double, bool,
/// null) and JSON nodes, the form objects take on the wire.
/// </summary>
public static class JsonPlain
{
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create((long)i),
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => JsonValue.Create(d),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m),
        IDictionary<string, object?> map => ToObject(map),
        IReadOnlyDictionary<string, object?> map => ToObject(map),
        IDictionary map => ToObject(map.Keys.Cast<object>().ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? "", k => map[k])),
        IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(ToNode)]),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    public static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.Ordinal),
        JsonArray arr => arr.Select(ToPlain).ToList(),
        JsonValue v => ScalarToPlain(v),
        _ => null,
    };

    public static JsonObject? Parse(object? response) => response switch
    {
        null => null,
        JsonObject obj => obj,
        JsonElement { ValueKind: JsonValueKind.Object } e => JsonNode.Parse(e.GetRawText()) as JsonObject,
        JsonElement => null,
        string s => JsonNode.Parse(s) as JsonObject,
        _ => JsonSerializer.SerializeToNode(response) as JsonObject,
    };

    private static JsonObject ToObject(IEnumerable<KeyValuePair<string, object?>> map)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map)
        {
            obj[k] = ToNode(v);
        }

        return obj;
    }

    private static object? ScalarToPlain(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetValue<long>(out var l) => l,
        JsonValueKind.Number when value.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        JsonValueKind.Number => value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
        _ => null,
    };
}
