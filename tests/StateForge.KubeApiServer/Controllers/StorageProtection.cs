using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Resources;
using StateForge.KubeApiServer.Resources.Kinds;

namespace StateForge.KubeApiServer.Controllers;

/// <summary>
/// The pvc-protection and pv-protection controllers: a deleted claim goes at once (no pods use it
/// here); a deleted volume waits while it is still Bound to a claim.
/// </summary>
internal sealed class StorageProtection(ResourceRegistry registry) : IController
{
    public DateTimeOffset? Sync(DateTimeOffset now)
    {
        var catalog = registry.Catalog;
        foreach (var claim in Deleting(catalog.PersistentVolumeClaims))
        {
            Release(catalog.PersistentVolumeClaims, claim, PersistentVolumeClaimRules.ProtectionFinalizer);
        }

        foreach (var volume in Deleting(catalog.PersistentVolumes).Where(v => v.Phase() != "Bound"))
        {
            Release(catalog.PersistentVolumes, volume, PersistentVolumeRules.ProtectionFinalizer);
        }

        return null;
    }

    private IEnumerable<JsonObject> Deleting(ResourceType type) =>
        registry.Store.List(type, null).Items.Where(o => o.Obj("metadata").Str("deletionTimestamp") is not null);

    private void Release(ResourceType type, JsonObject obj, string finalizer)
    {
        if (obj.Obj("metadata").Arr("finalizers") is not { } finalizers ||
            finalizers.FirstOrDefault(f => f?.ToString() == finalizer) is not { } mine)
        {
            return;
        }

        finalizers.Remove(mine);
        registry.Update(type, obj.Namespace(), obj.Name()!, obj, WriteOptions.Internal);
    }
}
