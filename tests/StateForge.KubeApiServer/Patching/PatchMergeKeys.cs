namespace StateForge.KubeApiServer.Patching;

/// <summary>
/// The patchMergeKey and patchStrategy tags of the Kubernetes types this server serves, by field
/// name: which lists merge item-by-item (and on which key) and which are replaced whole.
/// </summary>
internal static class PatchMergeKeys
{
    /// <summary>The key a list of objects merges on, or null when the list is atomic.</summary>
    public static string? For(IReadOnlyList<string> path, string field) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "env" or "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "ports" when path.Count > 0 && path[^1] is "containers" or "initContainers" or "ephemeralContainers" => "containerPort",
        "ports" when path.Count == 1 && path[0] == "spec" => "port",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        _ => null,
    };

    /// <summary>Lists of scalars whose strategy is "merge" (a set union) rather than replace.</summary>
    public static bool IsMergedScalarList(IReadOnlyList<string> path, string field) =>
        field == "finalizers" && path.Count == 1 && path[0] == "metadata";
}
