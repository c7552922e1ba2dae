using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Patching;

/// <summary>
/// Server-side apply with a deliberately small ownership model: each apply manager owns what it
/// last applied. Applying merges the configuration into the live object, removes what the same
/// manager applied before but no longer does (unless another manager applies it too), and
/// reports a conflict when another apply manager set a field to a different value (unless forced).
/// Fields written by plain updates have no owner here.
/// </summary>
internal static class ServerSideApply
{
    public static (JsonObject Result, IReadOnlyList<(string Manager, string Field)> Conflicts) Apply(
        JsonObject? live, JsonObject applied, string manager, bool force, IReadOnlyDictionary<string, JsonObject> configs, string now)
    {
        var result = live?.Clone() ?? [];
        var others = configs.Where(c => c.Key != manager).ToList();
        var conflicts = new List<(string, string)>();
        var newLeaves = FieldPaths.Leaves(applied);
        if (!force)
        {
            foreach (var (otherManager, otherConfig) in others)
            {
                foreach (var (path, (steps, value)) in FieldPaths.Leaves(otherConfig))
                {
                    if (newLeaves.TryGetValue(path, out var mine) && !mine.Value.SameAs(value) &&
                        !FieldPaths.Find(result, steps).SameAs(mine.Value))
                    {
                        conflicts.Add((otherManager, path));
                    }
                }
            }
        }

        if (conflicts.Count > 0)
        {
            return (result, conflicts);
        }

        if (configs.TryGetValue(manager, out var previous))
        {
            RemoveDropped(result, previous, applied, others.Select(o => o.Value).ToList());
        }

        var merged = StrategicMergePatch.Apply(result, applied);
        RecordManager(merged, applied, manager, now);
        return (merged, conflicts);
    }

    private static void RemoveDropped(JsonObject live, JsonObject previous, JsonObject applied, List<JsonObject> others)
    {
        var keptItems = FieldPaths.Items(applied);
        var otherItems = others.SelectMany(o => FieldPaths.Items(o).Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, steps) in FieldPaths.Items(previous))
        {
            if (!keptItems.ContainsKey(path) && !otherItems.Contains(path))
            {
                FieldPaths.Remove(live, steps);
            }
        }

        var keptLeaves = FieldPaths.Leaves(applied);
        var otherLeaves = others.SelectMany(o => FieldPaths.Leaves(o).Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, (steps, _)) in FieldPaths.Leaves(previous))
        {
            if (!keptLeaves.ContainsKey(path) && !otherLeaves.Contains(path))
            {
                FieldPaths.Remove(live, steps);
            }
        }
    }

    private static void RecordManager(JsonObject obj, JsonObject applied, string manager, string now)
    {
        var entries = obj.Metadata()["managedFields"] as JsonArray ?? [];
        foreach (var stale in entries.OfType<JsonObject>().Where(e => e.Str("manager") == manager && e.Str("operation") == "Apply").ToList())
        {
            entries.Remove(stale);
        }

        entries.Add(new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Apply",
            ["apiVersion"] = obj.Str("apiVersion") ?? applied.Str("apiVersion"),
            ["time"] = now,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = FieldsV1(applied, []),
        });
        obj.Metadata()["managedFields"] = entries;
    }

    /// <summary>The fieldsV1 notation: "f:name" for fields, "k:{…}" for keyed list items, "." for the item itself.</summary>
    private static JsonObject FieldsV1(JsonObject config, List<string> names)
    {
        var set = new JsonObject();
        foreach (var (field, value) in config)
        {
            if (names.Count == 0 && field is "apiVersion" or "kind")
            {
                continue;
            }

            var mergeKey = PatchMergeKeys.For(names, field);
            if (value is JsonObject map && map.Count > 0)
            {
                var child = FieldsV1(map, [.. names, field]);
                if (names.Count > 0)
                {
                    child.Insert(0, ".", new JsonObject());
                }

                set[$"f:{field}"] = child;
            }
            else if (value is JsonArray list && mergeKey is not null)
            {
                var items = new JsonObject();
                foreach (var item in list.OfType<JsonObject>())
                {
                    var itemSet = FieldsV1(item, [.. names, field]);
                    itemSet.Insert(0, ".", new JsonObject());
                    items[$"k:{{\"{mergeKey}\":{item[mergeKey]?.ToCompactJson()}}}"] = itemSet;
                }

                set[$"f:{field}"] = items;
            }
            else
            {
                set[$"f:{field}"] = new JsonObject();
            }
        }

        return set;
    }
}
