using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

/// <summary>Fields PersistentVolumes and claims share: access modes, volume modes, storage sizes, classes.</summary>
internal static class StorageFields
{
    public static readonly string[] AccessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

    public static readonly string[] VolumeModes = ["Block", "Filesystem"];

    public static IEnumerable<FieldError> ValidateAccessModes(JsonObject? spec)
    {
        var modes = spec.Arr("accessModes")?.Select(m => m?.ToString() ?? "").ToList() ?? [];
        if (modes.Count == 0)
        {
            yield return FieldError.Required("spec.accessModes");
        }

        foreach (var mode in modes.Where(m => !AccessModes.Contains(m)))
        {
            yield return FieldError.NotSupported("spec.accessModes", mode, AccessModes);
        }
    }

    public static IEnumerable<FieldError> ValidateVolumeMode(JsonObject? spec)
    {
        if (spec.Str("volumeMode") is { } mode && !VolumeModes.Contains(mode))
        {
            yield return FieldError.NotSupported("spec.volumeMode", mode, VolumeModes);
        }
    }

    public static IReadOnlySet<string> AccessModesOf(JsonObject? spec) =>
        spec.Arr("accessModes")?.Select(m => m?.ToString() ?? "").ToHashSet(StringComparer.Ordinal) ?? [];

    /// <summary>The storage class, with nil and "" meaning the same.</summary>
    public static string ClassOf(JsonObject? spec) => spec.Str("storageClassName") ?? "";

    public static string VolumeModeOf(JsonObject? spec) => spec.Str("volumeMode") ?? "Filesystem";

    public static decimal Size(JsonNode? quantity) =>
        Quantity.TryParse(quantity?.ToString(), out var value) ? value : 0;
}
