using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StateForge.Transport.Kubernetes;

/// <summary>
/// Compares what a user declared with a live object without server noise: the live object is
/// projected onto the declared field paths (lists of objects matched by their merge key, as the
/// server merges them), so defaults and fields the user never set cannot show as drift.
/// </summary>
public static class DeclaredProjection
{
    // The merge keys Kubernetes uses for the lists people declare most (patchMergeKey in the API).
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["conditions"] = "type",
        ["hostAliases"] = "ip",
        ["triggers"] = "type",
    };

    // Quantities compare by value: 1Gi equals 1024Mi.
    private static readonly HashSet<string> QuantityParents = new(StringComparer.Ordinal)
    {
        "capacity", "requests", "limits", "hard", "allocatable", "sizeLimit",
    };

    /// <summary>The part of <paramref name="live"/> at the paths <paramref name="declared"/> names.</summary>
    public static JsonNode? Project(JsonNode? live, JsonNode? declared, string? field = null)
    {
        switch (declared)
        {
            case JsonObject want when live is JsonObject have:
                var result = new JsonObject();
                foreach (var (key, value) in want)
                {
                    if (have.TryGetPropertyValue(key, out var liveValue))
                    {
                        result[key] = Project(liveValue, value, key);
                    }
                }

                return result;
            case JsonArray want when live is JsonArray have:
                return ProjectList(have, want, field);
            default:
                return live?.DeepClone();
        }
    }

    /// <summary>True when the two values mean the same (numbers by value, quantities by size, null like absent).</summary>
    public static bool Equivalent(JsonNode? a, JsonNode? b, string? field = null)
    {
        if (IsNull(a) || IsNull(b))
        {
            return IsNull(a) && IsNull(b);
        }

        switch (a)
        {
            case JsonObject x when b is JsonObject y:
                var keys = x.Where(p => !IsNull(p.Value)).Select(p => p.Key)
                    .Union(y.Where(p => !IsNull(p.Value)).Select(p => p.Key), StringComparer.Ordinal);
                return keys.All(k => Equivalent(x[k], y[k], k == "storage" || QuantityParents.Contains(field ?? "") ? "quantity" : k));
            case JsonArray x when b is JsonArray y:
                return x.Count == y.Count && x.Zip(y).All(p => Equivalent(p.First, p.Second, field));
            case JsonValue x when b is JsonValue y:
                return ScalarsEqual(x, y, field == "quantity");
            default:
                return false;
        }
    }

    private static JsonArray ProjectList(JsonArray have, JsonArray want, string? field)
    {
        var key = KeyFor(want, field);
        if (key is not null)
        {
            var matched = new JsonArray();
            foreach (var item in want.OfType<JsonObject>())
            {
                var id = item[key];
                var found = have.OfType<JsonObject>().FirstOrDefault(h => Equivalent(h[key], id));
                if (found is not null)
                {
                    matched.Add(Project(found, item));
                }
            }

            // Items the user did not name are not theirs to judge; only a missing or different one is drift.
            return matched;
        }

        var list = new JsonArray();
        for (var i = 0; i < have.Count; i++)
        {
            list.Add(i < want.Count ? Project(have[i], want[i]) : have[i]?.DeepClone());
        }

        return list;
    }

    private static string? KeyFor(JsonArray want, string? field)
    {
        if (want.Count == 0 || !want.All(i => i is JsonObject))
        {
            return null;
        }

        var key = field is not null && MergeKeys.TryGetValue(field, out var k) ? k : "name";
        return want.All(i => i is JsonObject o && o.ContainsKey(key)) ? key : null;
    }

    private static bool IsNull(JsonNode? node) =>
        node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    private static bool ScalarsEqual(JsonValue x, JsonValue y, bool quantity)
    {
        var (kx, ky) = (x.GetValueKind(), y.GetValueKind());
        var sx = Text(x);
        var sy = Text(y);
        if (quantity && Quantity.TryParse(sx, out var qx) && Quantity.TryParse(sy, out var qy))
        {
            return qx == qy;
        }

        if (kx == JsonValueKind.Number && ky == JsonValueKind.Number)
        {
            return decimal.TryParse(sx, NumberStyles.Float, CultureInfo.InvariantCulture, out var dx) &&
                decimal.TryParse(sy, NumberStyles.Float, CultureInfo.InvariantCulture, out var dy)
                ? dx == dy
                : sx == sy;
        }

        // An int-or-string field (targetPort, maxSurge) may come back in the other form.
        return (kx == ky || kx is JsonValueKind.Number or JsonValueKind.String && ky is JsonValueKind.Number or JsonValueKind.String) &&
            string.Equals(sx, sy, StringComparison.Ordinal);
    }

    private static string Text(JsonValue v) => v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
}
