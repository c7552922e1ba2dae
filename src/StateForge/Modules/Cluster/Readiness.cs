using System.Globalization;
using System.Text.Json.Nodes;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

/// <summary>When an object counts as ready, per kind (what `wait: true` waits for).</summary>
internal static class Readiness
{
    public static async ValueTask<bool> IsReadyAsync(KubeCluster cluster, ResourceType type, JsonObject? obj, WaitCondition? condition, CancellationToken cancellationToken)
    {
        if (obj is null)
        {
            return false;
        }

        var status = obj.Obj("status");
        if (condition is not null)
        {
            return status.Arr("conditions")?.OfType<JsonObject>().Any(c =>
                c.Str("type") == condition.Type &&
                string.Equals(c.Str("status"), condition.Status ?? "True", StringComparison.OrdinalIgnoreCase) &&
                (condition.Reason is null || c.Str("reason") == condition.Reason)) == true;
        }

        var generation = obj.Obj("metadata").Long("generation") ?? 0;
        var observed = status.Long("observedGeneration") ?? 0;
        var replicas = obj.Obj("spec").Long("replicas") ?? 1;
        return type.Kind switch
        {
            "Deployment" => observed >= generation &&
                (status.Long("updatedReplicas") ?? 0) >= replicas && (status.Long("availableReplicas") ?? 0) >= replicas,
            "DeploymentConfig" => await DeploymentConfigRolledOutAsync(cluster, obj, cancellationToken).ConfigureAwait(false),
            "StatefulSet" or "ReplicaSet" or "ReplicationController" => observed >= generation && (status.Long("readyReplicas") ?? 0) >= replicas,
            "DaemonSet" => observed >= generation && status.Long("numberReady") == status.Long("desiredNumberScheduled"),
            "PersistentVolumeClaim" => status.Str("phase") == "Bound",
            "PersistentVolume" => status.Str("phase") is "Available" or "Bound",
            "Namespace" => status.Str("phase") == "Active",
            "Pod" => status.Arr("conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true,
            "Job" => (status.Long("succeeded") ?? 0) >= (obj.Obj("spec").Long("completions") ?? 1),
            _ => true,
        };
    }

    /// <summary>OpenShift's rollout: ReplicationController `name-N` for the latest version reached phase Complete.</summary>
    public static async ValueTask<bool> DeploymentConfigRolledOutAsync(KubeCluster cluster, JsonObject dc, CancellationToken cancellationToken)
    {
        var latest = dc.Obj("status").Long("latestVersion") ?? 0;
        if (latest == 0)
        {
            return dc.Obj("spec").Arr("triggers") is { Count: 0 };
        }

        var rcType = await cluster.ResolveAsync("v1", "ReplicationController", cancellationToken).ConfigureAwait(false);
        var rc = await cluster.GetAsync(rcType, dc.Namespace(), $"{dc.Name()}-{latest.ToString(CultureInfo.InvariantCulture)}", cancellationToken, fresh: true).ConfigureAwait(false);
        var phase = rc.Obj("metadata").Obj("annotations").Str("openshift.io/deployment.phase");
        return phase switch
        {
            "Complete" => true,
            "Failed" => throw new ClusterTaskException($"DeploymentConfig {dc.Namespace()}/{dc.Name()}: rollout {latest} failed (ReplicationController {rc!.Name()} phase Failed)"),
            _ => false,
        };
    }

    /// <summary>A few words on where a not-ready object stands, for the timeout message.</summary>
    public static string Describe(JsonObject? obj)
    {
        if (obj is null)
        {
            return "it does not exist";
        }

        var status = obj.Obj("status");
        var parts = new List<string>();
        if (status.Str("phase") is { } phase)
        {
            parts.Add($"phase {phase}");
        }

        foreach (var c in status.Arr("conditions")?.OfType<JsonObject>() ?? [])
        {
            parts.Add($"{c.Str("type")}={c.Str("status")}" + (c.Str("reason") is { } r ? $" ({r})" : ""));
        }

        if (status.Long("latestVersion") is { } latest)
        {
            parts.Add($"latestVersion {latest}");
        }

        return parts.Count == 0 ? "no status yet" : string.Join(", ", parts);
    }
}
