using System.Text.Json.Nodes;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

/// <summary>
/// What `oc set volume --add/--remove` does to a workload's pod template, on a copy of the object:
/// a volume replaced whole (so the old source goes in the same write), mounts added or moved.
/// </summary>
internal static class PodTemplateVolumes
{
    private static readonly string[] SourceKeys =
    [
        "persistentVolumeClaim", "emptyDir", "hostPath", "configMap", "secret", "nfs", "projected", "downwardAPI", "csi", "ephemeral",
    ];

    /// <summary>The source the task declares, as the API writes it; null when the task names none.</summary>
    public static JsonObject? DesiredVolume(VolumeParams p)
    {
        (string Key, JsonObject Value)? source = p switch
        {
            { PersistentVolumeClaim: { } c } => ("persistentVolumeClaim", Compact(new() { ["claimName"] = c.ClaimName, ["readOnly"] = c.ReadOnly })),
            { EmptyDir: { } e } => ("emptyDir", Compact(new() { ["medium"] = e.Medium is { Length: > 0 } ? e.Medium : null, ["sizeLimit"] = e.SizeLimit })),
            { HostPath: { } h } => ("hostPath", Compact(new() { ["path"] = h.Path, ["type"] = h.Type })),
            { ConfigMap: { } m } => ("configMap", Compact(new() { ["name"] = m.Name, ["defaultMode"] = Mode(m.DefaultMode) })),
            { Secret: { } s } => ("secret", Compact(new() { ["secretName"] = s.SecretName, ["defaultMode"] = Mode(s.DefaultMode) })),
            _ => null,
        };
        return source is { } src ? new JsonObject { ["name"] = p.VolumeName, [src.Key] = src.Value } : null;
    }

    /// <summary>Edits <paramref name="workload"/> in place; returns whether it changed, or throws a refusal the user can act on.</summary>
    public static bool Apply(JsonObject workload, VolumeParams p, string resource)
    {
        var podSpec = workload.Obj("spec")?.Obj("template")?.Obj("spec")
            ?? throw new ClusterTaskException($"{resource}: the object has no spec.template.spec");
        var containers = TargetContainers(podSpec, p, resource);
        return p.State == ObjectState.Absent ? Remove(podSpec, containers, p.VolumeName) : Add(podSpec, containers, p, resource);
    }

    /// <summary>The volume and its mounts only: what a volume diff shows.</summary>
    public static JsonObject View(JsonObject? workload, string volumeName)
    {
        var podSpec = workload.Obj("spec").Obj("template").Obj("spec");
        var view = new JsonObject
        {
            ["volumes"] = new JsonArray([.. podSpec.Arr("volumes")?.OfType<JsonObject>().Where(v => v.Str("name") == volumeName).Select(v => v.DeepClone()) ?? []]),
        };
        var mounts = new JsonArray();
        foreach (var container in podSpec.Arr("containers")?.OfType<JsonObject>() ?? [])
        {
            var own = container.Arr("volumeMounts")?.OfType<JsonObject>().Where(m => m.Str("name") == volumeName).Select(m => m.DeepClone()).ToList() ?? [];
            if (own.Count > 0)
            {
                mounts.Add(new JsonObject { ["name"] = container.Str("name"), ["volumeMounts"] = new JsonArray([.. own]) });
            }
        }

        view["containers"] = mounts;
        return view;
    }

    public static string DescribeSource(JsonObject? volume)
    {
        if (volume is null)
        {
            return "none";
        }

        var key = SourceKeys.FirstOrDefault(volume.ContainsKey) ?? volume.Select(p => p.Key).FirstOrDefault(k => k != "name") ?? "no source";
        var detail = volume[key] is JsonObject { Count: > 0 } o ? " " + o.ToJsonString() : "";
        return key + detail;
    }

    private static bool Add(JsonObject podSpec, List<JsonObject> containers, VolumeParams p, string resource)
    {
        var changed = false;
        var volumes = podSpec["volumes"] as JsonArray ?? [];
        podSpec["volumes"] = volumes;
        var index = volumes.Select((v, i) => (v, i)).FirstOrDefault(x => x.v.Str("name") == p.VolumeName, (null!, -1)).i;
        var existing = index >= 0 ? volumes[index] as JsonObject : null;
        if (DesiredVolume(p) is { } desired)
        {
            if (existing is null)
            {
                volumes.Add(desired);
                changed = true;
            }
            else if (!SameSource(existing, desired))
            {
                if (!p.Overwrite)
                {
                    throw new ClusterTaskException(
                        $"{resource} already has volume \"{p.VolumeName}\" ({DescribeSource(existing)}); overwrite: true would replace it with {DescribeSource(desired)}");
                }

                // The whole entry is replaced: a merge would keep the old source next to the new one, which the server rejects.
                volumes[index] = desired;
                changed = true;
            }
        }
        else if (existing is null)
        {
            throw new ClusterTaskException($"{resource} has no volume \"{p.VolumeName}\"; give its source (persistent_volume_claim, empty_dir, host_path, config_map or secret)");
        }

        if (p.MountPath is null)
        {
            return changed;
        }

        foreach (var container in containers)
        {
            changed |= Mount(container, p, resource);
        }

        return changed;
    }

    private static bool Mount(JsonObject container, VolumeParams p, string resource)
    {
        var mounts = container["volumeMounts"] as JsonArray ?? [];
        container["volumeMounts"] = mounts;
        var desired = Compact(new() { ["name"] = p.VolumeName, ["mountPath"] = p.MountPath, ["subPath"] = p.SubPath, ["readOnly"] = p.ReadOnly });
        var own = mounts.OfType<JsonObject>().FirstOrDefault(m => m.Str("name") == p.VolumeName);
        var squatter = mounts.OfType<JsonObject>().FirstOrDefault(m => m.Str("mountPath") == p.MountPath && m.Str("name") != p.VolumeName);
        if (squatter is not null)
        {
            if (!p.Overwrite)
            {
                throw new ClusterTaskException(
                    $"{resource}: container \"{container.Str("name")}\" already mounts volume \"{squatter.Str("name")}\" at {p.MountPath}; overwrite: true would mount \"{p.VolumeName}\" there instead");
            }

            mounts.Remove(squatter);
        }

        if (own is null)
        {
            mounts.Add(desired);
            return true;
        }

        if (DeclaredProjection.Equivalent(DeclaredProjection.Project(own, desired), desired))
        {
            return squatter is not null;
        }

        if (!p.Overwrite && own.Str("mountPath") != p.MountPath)
        {
            throw new ClusterTaskException(
                $"{resource}: container \"{container.Str("name")}\" mounts volume \"{p.VolumeName}\" at {own.Str("mountPath")}; overwrite: true would move it to {p.MountPath}");
        }

        mounts[mounts.IndexOf(own)] = desired;
        return true;
    }

    private static bool Remove(JsonObject podSpec, List<JsonObject> containers, string volumeName)
    {
        var changed = false;
        if (podSpec["volumes"] is JsonArray volumes)
        {
            foreach (var volume in volumes.OfType<JsonObject>().Where(v => v.Str("name") == volumeName).ToList())
            {
                volumes.Remove(volume);
                changed = true;
            }
        }

        foreach (var container in containers)
        {
            if (container["volumeMounts"] is JsonArray mounts)
            {
                foreach (var mount in mounts.OfType<JsonObject>().Where(m => m.Str("name") == volumeName).ToList())
                {
                    mounts.Remove(mount);
                    changed = true;
                }
            }
        }

        return changed;
    }

    private static List<JsonObject> TargetContainers(JsonObject podSpec, VolumeParams p, string resource)
    {
        var all = podSpec.Arr("containers")?.OfType<JsonObject>().ToList() ?? [];
        if (p.Containers is not { Count: > 0 } wanted || wanted.Contains("*"))
        {
            return all;
        }

        var unknown = wanted.Where(w => all.All(c => c.Str("name") != w)).ToList();
        if (unknown.Count > 0)
        {
            throw new ClusterTaskException(
                $"{resource} has no container {string.Join(", ", unknown.Select(u => $"\"{u}\""))} (it has {string.Join(", ", all.Select(c => $"\"{c.Str("name")}\""))})");
        }

        return [.. all.Where(c => wanted.Contains(c.Str("name")!))];
    }

    private static bool SameSource(JsonObject existing, JsonObject desired)
    {
        var key = desired.Select(p => p.Key).First(k => k != "name");
        var otherSources = existing.Select(p => p.Key).Where(k => k != "name" && k != key);
        return existing[key] is JsonObject have && !otherSources.Any() &&
            DeclaredProjection.Equivalent(DeclaredProjection.Project(have, desired[key]), desired[key]);
    }

    private static JsonObject Compact(Dictionary<string, object?> values)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in values.Where(v => v.Value is not null))
        {
            obj[k] = JsonPlain.ToNode(v);
        }

        return obj;
    }

    private static long? Mode(string? octal) => octal is null ? null : Convert.ToInt64(octal, 8);
}
