using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Patching;

/// <summary>One step into an object: a field, or the item of a keyed list whose key has a value.</summary>
internal sealed record FieldStep(string Field, string? Key = null, JsonNode? KeyValue = null)
{
    public override string ToString() =>
        Key is null ? $".{Field}" : $".{Field}[{Key}={KeyValue?.ToCompactJson()}]";
}

/// <summary>
/// The set of fields a configuration sets, as server-side apply sees them: leaves, with keyed list
/// items addressed by key and atomic lists as single leaves.
/// </summary>
internal static class FieldPaths
{
    public static Dictionary<string, (IReadOnlyList<FieldStep> Steps, JsonNode? Value)> Leaves(JsonObject config)
    {
        var result = new Dictionary<string, (IReadOnlyList<FieldStep>, JsonNode?)>(StringComparer.Ordinal);
        Walk(config, [], [], result);
        return result;
    }

    /// <summary>The keyed list items a configuration names, so dropping one removes the whole item.</summary>
    public static Dictionary<string, IReadOnlyList<FieldStep>> Items(JsonObject config)
    {
        var leaves = new Dictionary<string, (IReadOnlyList<FieldStep>, JsonNode?)>(StringComparer.Ordinal);
        var items = new Dictionary<string, IReadOnlyList<FieldStep>>(StringComparer.Ordinal);
        Walk(config, [], [], leaves, items);
        return items;
    }

    public static JsonNode? Find(JsonObject root, IReadOnlyList<FieldStep> steps)
    {
        JsonNode? current = root;
        foreach (var step in steps)
        {
            current = current is JsonObject obj ? obj[step.Field] : null;
            if (step.Key is not null)
            {
                current = (current as JsonArray)?.OfType<JsonObject>().FirstOrDefault(i => i[step.Key].SameAs(step.KeyValue));
            }

            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public static void Remove(JsonObject root, IReadOnlyList<FieldStep> steps)
    {
        var parent = steps.Count == 1 ? root : Find(root, steps.Take(steps.Count - 1).ToList());
        var last = steps[^1];
        if (parent is not JsonObject parentObject)
        {
            return;
        }

        if (last.Key is null)
        {
            parentObject.Remove(last.Field);
        }
        else if (parentObject[last.Field] is JsonArray list &&
            list.OfType<JsonObject>().FirstOrDefault(i => i[last.Key].SameAs(last.KeyValue)) is { } item)
        {
            list.Remove(item);
        }
    }

    private static void Walk(
        JsonObject obj,
        List<FieldStep> steps,
        List<string> names,
        Dictionary<string, (IReadOnlyList<FieldStep>, JsonNode?)> leaves,
        Dictionary<string, IReadOnlyList<FieldStep>>? items = null)
    {
        foreach (var (field, value) in obj)
        {
            if (steps.Count == 0 && field is "apiVersion" or "kind")
            {
                continue;
            }

            var here = new List<FieldStep>(steps) { new(field) };
            var mergeKey = PatchMergeKeys.For(names, field);
            if (value is JsonObject map && map.Count > 0)
            {
                Walk(map, here, [.. names, field], leaves, items);
            }
            else if (value is JsonArray list && mergeKey is not null)
            {
                foreach (var item in list.OfType<JsonObject>())
                {
                    var itemSteps = new List<FieldStep>(steps) { new(field, mergeKey, item[mergeKey]?.DeepClone()) };
                    items?.Add(Path(itemSteps), itemSteps);
                    Walk(item, itemSteps, [.. names, field], leaves, items);
                }
            }
            else
            {
                leaves[Path(here)] = (here, value);
            }
        }
    }

    public static string Path(IEnumerable<FieldStep> steps) => string.Concat(steps);
}
