using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Api;

/// <summary>Server-side printing (meta.k8s.io Table), which is what `kubectl get` asks for first.</summary>
internal sealed class TableRenderer(TimeProvider clock)
{
    public static bool Wants(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    public JsonObject Render(ResourceType type, IReadOnlyList<JsonObject> items, long? resourceVersion)
    {
        var columns = Columns(type);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var metadata = item.Obj("metadata")?.Clone() ?? [];
            rows.Add(new JsonObject
            {
                ["cells"] = new JsonArray(Cells(type, item).Append(Age(item)).Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = metadata,
                },
            });
        }

        var tableMetadata = new JsonObject();
        if (resourceVersion is { } version)
        {
            tableMetadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = tableMetadata,
            ["columnDefinitions"] = new JsonArray(columns.Append("Age").Select(Column).ToArray<JsonNode?>()),
            ["rows"] = rows,
        };
    }

    private static string[] Columns(ResourceType type) => type.Kind switch
    {
        "Namespace" => ["Name", "Status"],
        "PersistentVolume" => ["Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass", "Reason"],
        "PersistentVolumeClaim" => ["Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass"],
        "Service" => ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)"],
        "Deployment" => ["Name", "Ready", "Up-to-date", "Available"],
        "ReplicationController" => ["Name", "Desired", "Current", "Ready"],
        _ => ["Name", "Revision", "Desired", "Current", "Triggered By"],
    };

    private static IEnumerable<string> Cells(ResourceType type, JsonObject item)
    {
        var spec = item.Obj("spec");
        var status = item.Obj("status");
        var name = item.Name() ?? "";
        return type.Kind switch
        {
            "Namespace" => [name, status.Str("phase") ?? ""],
            "PersistentVolume" =>
            [
                name, spec.Obj("capacity").Str("storage") ?? "", Modes(spec), spec.Str("persistentVolumeReclaimPolicy") ?? "",
                status.Str("phase") ?? "", Claim(spec.Obj("claimRef")), spec.Str("storageClassName") ?? "", status.Str("reason") ?? "",
            ],
            "PersistentVolumeClaim" =>
            [
                name, status.Str("phase") ?? "", spec.Str("volumeName") ?? "", status.Obj("capacity").Str("storage") ?? "",
                Modes(status), spec.Str("storageClassName") ?? "",
            ],
            "Service" =>
            [
                name, spec.Str("type") ?? "", spec.Str("clusterIP") ?? "<none>", "<none>", Ports(spec),
            ],
            "Deployment" =>
            [
                name, $"{status.Long("readyReplicas") ?? 0}/{spec.Long("replicas") ?? 0}",
                Number(status, "updatedReplicas"), Number(status, "availableReplicas"),
            ],
            "ReplicationController" => [name, Number(spec, "replicas"), Number(status, "replicas"), Number(status, "readyReplicas")],
            _ =>
            [
                name, Number(status, "latestVersion"), Number(spec, "replicas"), Number(status, "replicas"),
                string.Join(",", spec.Arr("triggers")?.OfType<JsonObject>().Select(t => t.Str("type") == "ConfigChange" ? "config" : "image") ?? []),
            ],
        };
    }

    private string Age(JsonObject item)
    {
        if (!DateTimeOffset.TryParse(item.Obj("metadata").Str("creationTimestamp"), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }

        var age = clock.GetUtcNow() - created;
        return age.TotalMinutes < 2 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private static JsonObject Column(string title) => new()
    {
        ["name"] = title,
        ["type"] = "string",
        ["format"] = title == "Name" ? "name" : "",
        ["description"] = title,
        ["priority"] = 0,
    };

    private static string Modes(JsonObject? holder) => string.Join(",", holder.Arr("accessModes")?.Select(m => m?.ToString() switch
    {
        "ReadWriteOnce" => "RWO",
        "ReadOnlyMany" => "ROX",
        "ReadWriteMany" => "RWX",
        "ReadWriteOncePod" => "RWOP",
        var other => other,
    }) ?? []);

    private static string Claim(JsonObject? claimRef) =>
        claimRef is null ? "" : $"{claimRef.Str("namespace")}/{claimRef.Str("name")}";

    private static string Ports(JsonObject? spec) => string.Join(",", spec.Arr("ports")?.OfType<JsonObject>().Select(p =>
        p.Long("nodePort") is { } node ? $"{p.Long("port")}:{node}/{p.Str("protocol")}" : $"{p.Long("port")}/{p.Str("protocol")}") ?? []);

    private static string Number(JsonObject? holder, string field) =>
        (holder.Long(field) ?? 0).ToString(CultureInfo.InvariantCulture);
}
