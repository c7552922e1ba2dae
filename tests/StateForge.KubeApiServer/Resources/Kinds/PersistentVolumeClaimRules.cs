using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Api;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

internal sealed class PersistentVolumeClaimRules : ResourceRules
{
    public const string ProtectionFinalizer = "kubernetes.io/pvc-protection";

    public override bool ReturnsDeletedObject => true;

    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["phase"] = "Pending" };
        AddFinalizer(obj, ProtectionFinalizer);
    }

    public override void ApplyDefaults(JsonObject obj) => obj.Ensure("spec").SetIfMissing("volumeMode", "Filesystem");

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var spec = obj.Obj("spec");
        foreach (var error in StorageFields.ValidateAccessModes(spec))
        {
            yield return error;
        }

        var request = spec.Obj("resources").Obj("requests")?["storage"];
        if (request is null)
        {
            yield return FieldError.Required("spec.resources[storage]");
        }
        else if (!Quantity.TryParse(request.ToString(), out var size) || size <= 0)
        {
            yield return FieldError.Invalid("spec.resources[storage]", request.ToString(), "must be greater than zero");
        }

        foreach (var error in StorageFields.ValidateVolumeMode(spec))
        {
            yield return error;
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var newSpec = updated.Obj("spec")?.Clone() ?? [];
        var oldSpec = old.Obj("spec")?.Clone() ?? [];
        if (string.IsNullOrEmpty(oldSpec.Str("volumeName")))
        {
            // The binder (or a user pre-binding) may set volumeName once while it is empty.
            oldSpec.Remove("volumeName");
            if (newSpec["volumeName"] is { } volumeName)
            {
                oldSpec["volumeName"] = volumeName.DeepClone();
            }
        }

        var bound = updated.Phase() == "Bound";
        var newRequest = StorageFields.Size(newSpec.Obj("resources").Obj("requests")?["storage"]);
        var oldRequest = StorageFields.Size(oldSpec.Obj("resources").Obj("requests")?["storage"]);
        if (bound && newSpec.Obj("resources")?.Obj("requests") is { } requests)
        {
            var oldStorage = oldSpec.Obj("resources").Obj("requests")?["storage"]?.DeepClone();
            requests["storage"] = oldStorage;
        }

        if (!newSpec.SameAs(oldSpec))
        {
            yield return FieldError.Forbidden("spec",
                "spec is immutable after creation except resources.requests for bound claims");
        }
        else if (bound && newRequest < oldRequest)
        {
            yield return FieldError.Forbidden("spec.resources.requests.storage", "field can not be less than previous value");
        }
    }

    public override void Admit(ResourceType type, JsonObject updated, JsonObject? old)
    {
        if (old is null || updated.Phase() != "Bound")
        {
            return;
        }

        var newRequest = StorageFields.Size(updated.Obj("spec").Obj("resources").Obj("requests")?["storage"]);
        var oldRequest = StorageFields.Size(old.Obj("spec").Obj("resources").Obj("requests")?["storage"]);
        if (newRequest > oldRequest)
        {
            // No StorageClass in this server allows expansion, and claims bound to manual PVs never can.
            throw ApiErrors.Forbidden(type, updated.Name() ?? "",
                "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
        }
    }
}
