using System.Text.Json.Nodes;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

/// <summary>A declared value the server will not change on a live object.</summary>
internal sealed record ImmutableChange(string Field, JsonNode? Live, JsonNode? Wanted)
{
    public string Describe() => $"{Field} ({Compact(Live)} → {Compact(Wanted)})";

    private static string Compact(JsonNode? node) => node is null ? "unset" : node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
}

/// <summary>Refusals and replacements when a declared change touches fields fixed at creation.</summary>
internal static class ImmutableFields
{
    /// <summary>The fields among <paramref name="fields"/> where the declaration differs from the live spec.</summary>
    public static List<ImmutableChange> Compare(JsonObject? liveSpec, JsonObject wantedSpec, IEnumerable<string> fields)
    {
        var changes = new List<ImmutableChange>();
        if (liveSpec is null)
        {
            // Nothing exists yet: every field is still free.
            return changes;
        }

        foreach (var field in fields)
        {
            var wanted = wantedSpec[field];
            var live = liveSpec?[field];
            if (wanted is null)
            {
                continue;
            }

            if (!DeclaredProjection.Equivalent(DeclaredProjection.Project(live, wanted, field), wanted, field))
            {
                changes.Add(new ImmutableChange("spec." + field, live, wanted));
            }
        }

        return changes;
    }

    public static string Refusal(string resource, IReadOnlyList<ImmutableChange> changes, string what) =>
        $"{resource}: {string.Join(", ", changes.Select(c => c.Describe()))} cannot change after creation ({what}); " +
        "set recreate: true to delete it and create it again";
}
