using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

/// <summary>
/// Stands in for the workload controllers: there are no nodes, so every wanted replica is
/// reported ready at once, in a separate status write as the real controllers do.
/// </summary>
internal static class WorkloadStatus
{
    public static void Settle(WriteContext context, ResourceType type, JsonObject stored)
    {
        var replicas = stored.Obj("spec").Long("replicas") ?? 1;
        var generation = stored.Obj("metadata").Long("generation") ?? 1;
        var status = new JsonObject { ["observedGeneration"] = generation };
        if (replicas > 0)
        {
            status["replicas"] = replicas;
            status[type.Kind == "Deployment" ? "updatedReplicas" : "fullyLabeledReplicas"] = replicas;
            status["readyReplicas"] = replicas;
            status["availableReplicas"] = replicas;
        }
        else if (type.Kind == "ReplicationController")
        {
            status["replicas"] = 0;
        }

        if (type.Kind == "Deployment")
        {
            status["conditions"] = new JsonArray(
                Condition("Available", "MinimumReplicasAvailable", "Deployment has minimum availability.", context.Now),
                Condition("Progressing", "NewReplicaSetAvailable",
                    $"ReplicaSet \"{stored.Name()}-{ShortHash(stored.Obj("spec")?["template"])}\" has successfully progressed.",
                    context.Now));
            if (stored.Obj("status")?["conditions"] is JsonArray previous && SameConditions(previous, status.Arr("conditions")!))
            {
                status["conditions"] = previous.DeepClone();
            }
        }

        if (stored["status"].SameAs(status))
        {
            return;
        }

        stored["status"] = status;
        context.Store.Put(type, stored);
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastUpdateTime"] = now,
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static bool SameConditions(JsonArray left, JsonArray right) =>
        left.Count == right.Count && left.Zip(right).All(p =>
            p.First?["type"].SameAs(p.Second?["type"]) == true && p.First?["message"].SameAs(p.Second?["message"]) == true);

    private static string ShortHash(JsonNode? template)
    {
        var hash = (uint)(template?.ToCompactJson() ?? "").Aggregate(17, (h, c) => unchecked(h * 31 + c));
        return (hash % 0xFFFFFFF).ToString("x", System.Globalization.CultureInfo.InvariantCulture).PadLeft(7, '5')[..7];
    }
}
