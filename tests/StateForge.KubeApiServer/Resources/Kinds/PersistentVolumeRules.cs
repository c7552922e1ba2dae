using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

internal sealed class PersistentVolumeRules : ResourceRules
{
    public const string ProtectionFinalizer = "kubernetes.io/pv-protection";
    private static readonly string[] ReclaimPolicies = ["Delete", "Recycle", "Retain"];

    public override bool ReturnsDeletedObject => true;

    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["phase"] = "Pending" };
        AddFinalizer(obj, ProtectionFinalizer);
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Ensure("spec");
        spec.SetIfMissing("persistentVolumeReclaimPolicy", "Retain");
        spec.SetIfMissing("volumeMode", "Filesystem");
        spec.Obj("hostPath")?.SetIfMissing("type", "");
    }

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var spec = obj.Obj("spec");
        foreach (var error in StorageFields.ValidateAccessModes(spec))
        {
            yield return error;
        }

        var capacity = spec.Obj("capacity");
        if (capacity is null || capacity.Count == 0)
        {
            yield return FieldError.Required("spec.capacity");
        }

        if (capacity?["storage"] is null || capacity.Count > 1)
        {
            yield return FieldError.NotSupported("spec.capacity", capacity?.ToCompactJson() ?? "{}", ["storage"]);
        }
        else if (!Quantity.TryParse(capacity["storage"]?.ToString(), out var size) || size <= 0)
        {
            yield return FieldError.Invalid("spec.capacity[storage]", capacity["storage"]?.ToString() ?? "",
                "must be greater than zero");
        }

        var policy = spec.Str("persistentVolumeReclaimPolicy");
        if (policy is not null && !ReclaimPolicies.Contains(policy))
        {
            yield return FieldError.NotSupported("spec.persistentVolumeReclaimPolicy", policy, ReclaimPolicies);
        }

        foreach (var error in VolumeSources.CheckExactlyOne(spec ?? [], VolumeSources.Persistent, "spec"))
        {
            yield return error;
        }

        foreach (var error in ValidateSources(spec))
        {
            yield return error;
        }

        foreach (var error in StorageFields.ValidateVolumeMode(spec))
        {
            yield return error;
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var newSpec = updated.Obj("spec");
        var oldSpec = old.Obj("spec");
        if (VolumeSources.Persistent.Any(s => !newSpec?[s].SameAs(oldSpec?[s]) == true))
        {
            yield return FieldError.Forbidden("spec.persistentvolumesource",
                "spec.persistentvolumesource is immutable after creation");
        }

        var newMode = StorageFields.VolumeModeOf(newSpec);
        if (newMode != StorageFields.VolumeModeOf(oldSpec))
        {
            yield return FieldError.Immutable("spec.volumeMode", newMode);
        }
    }

    private static IEnumerable<FieldError> ValidateSources(JsonObject? spec)
    {
        if (spec.Obj("nfs") is { } nfs)
        {
            if (string.IsNullOrEmpty(nfs.Str("server")))
            {
                yield return FieldError.Required("spec.nfs.server");
            }

            var path = nfs.Str("path");
            if (string.IsNullOrEmpty(path))
            {
                yield return FieldError.Required("spec.nfs.path");
            }
            else if (!path.StartsWith('/'))
            {
                yield return FieldError.Invalid("spec.nfs.path", path, "must be an absolute path");
            }
        }

        if (spec.Obj("hostPath") is { } hostPath && string.IsNullOrEmpty(hostPath.Str("path")))
        {
            yield return FieldError.Required("spec.hostPath.path");
        }
    }
}
