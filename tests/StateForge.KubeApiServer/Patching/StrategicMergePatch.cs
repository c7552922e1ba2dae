using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Api;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Patching;

/// <summary>
/// Kubernetes strategic merge patch: maps merge, null deletes, keyed lists merge item by item,
/// and the directives $patch (replace/delete/merge), $retainKeys, $setElementOrder/… and
/// $deleteFromPrimitiveList/… are honoured.
/// </summary>
internal static class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject original, JsonObject patch) =>
        MergeMap(original.Clone(), patch, []) ?? [];

    private static JsonObject? MergeMap(JsonObject original, JsonObject patch, List<string> path)
    {
        switch (patch.Str(Directive))
        {
            case "delete":
                return null;
            case "replace":
                return Strip(patch);
            case null or "merge":
                break;
            default:
                throw ApiErrors.BadRequest($"Unknown patch type: {patch.Str(Directive)}");
        }

        foreach (var (key, value) in patch)
        {
            if (key == Directive || key == RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                DeleteFromList(original, key[DeleteFromPrimitiveList.Length..], value as JsonArray);
                continue;
            }

            if (value is null)
            {
                original.Remove(key);
                continue;
            }

            var childPath = new List<string>(path) { key };
            original[key] = value switch
            {
                JsonObject map => MergeMap(original[key] as JsonObject ?? [], map, childPath),
                JsonArray list => MergeList(original[key] as JsonArray, list, path, key),
                _ => value.DeepClone(),
            };
            if (original[key] is null && value is JsonObject)
            {
                original.Remove(key);
            }
        }

        if (patch.Arr(RetainKeys) is { } retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet();
            foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                original.Remove(key);
            }
        }

        foreach (var (key, value) in patch.Where(p => p.Key.StartsWith(SetElementOrder, StringComparison.Ordinal)))
        {
            var field = key[SetElementOrder.Length..];
            if (original[field] is JsonArray list && value is JsonArray order)
            {
                original[field] = Reorder(list, order, PatchMergeKeys.For(path, field));
            }
        }

        return original;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, List<string> path, string field)
    {
        var mergeKey = PatchMergeKeys.For(path, field);
        if (mergeKey is null)
        {
            if (PatchMergeKeys.IsMergedScalarList(path, field) && original is not null)
            {
                var union = (JsonArray)original.DeepClone();
                foreach (var item in patch.Where(i => !union.Any(u => u.SameAs(i))))
                {
                    union.Add(item?.DeepClone());
                }

                return union;
            }

            return new JsonArray(patch.Select(i => i is JsonObject o ? Strip(o) : i?.DeepClone()).ToArray());
        }

        if (patch.OfType<JsonObject>().Any(i => i.Str(Directive) == "replace"))
        {
            return new JsonArray(patch.OfType<JsonObject>().Where(i => i.Str(Directive) != "replace").Select(Strip).ToArray<JsonNode?>());
        }

        var result = original is null ? [] : (JsonArray)original.DeepClone();
        var itemPath = new List<string>(path) { field };
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey];
            var existing = result.OfType<JsonObject>().FirstOrDefault(o => o[mergeKey].SameAs(key));
            if (item.Str(Directive) == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }

                continue;
            }

            if (existing is null)
            {
                result.Add(MergeMap([], item, itemPath));
                continue;
            }

            var index = result.IndexOf(existing);
            result[index] = MergeMap(existing.Clone(), item, itemPath);
        }

        return result;
    }

    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? KeyOf(JsonNode? item) => mergeKey is not null && item is JsonObject o ? o[mergeKey] : item;
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var wantedKey = mergeKey is not null && wanted is JsonObject w ? w[mergeKey] : wanted;
            ordered.AddRange(list.Where(i => KeyOf(i).SameAs(wantedKey) && !ordered.Contains(i)));
        }

        ordered.AddRange(list.Where(i => !ordered.Contains(i)));
        return new JsonArray(ordered.Select(i => i?.DeepClone()).ToArray());
    }

    private static void DeleteFromList(JsonObject original, string field, JsonArray? values)
    {
        if (original[field] is JsonArray list && values is not null)
        {
            original[field] = new JsonArray(list.Where(i => !values.Any(v => v.SameAs(i))).Select(i => i?.DeepClone()).ToArray());
        }
    }

    /// <summary>A patch fragment that lands where nothing was: keep it, minus directives.</summary>
    private static JsonObject Strip(JsonObject patch)
    {
        var result = new JsonObject();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$') || value is null)
            {
                continue;
            }

            result[key] = value switch
            {
                JsonObject map => Strip(map),
                JsonArray list => new JsonArray(list.Select(i => i is JsonObject o ? Strip(o) : i?.DeepClone()).ToArray()),
                _ => value.DeepClone(),
            };
        }

        return result;
    }
}
