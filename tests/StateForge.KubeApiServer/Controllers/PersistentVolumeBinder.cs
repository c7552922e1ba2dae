using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Resources;
using StateForge.KubeApiServer.Resources.Kinds;
using StateForge.KubeApiServer.Storage;

namespace StateForge.KubeApiServer.Controllers;

/// <summary>
/// The PV controller: makes new volumes Available, binds claims to volumes (no sooner than
/// BinderDelay after it first sees a claim), releases volumes whose claim is gone, and marks
/// claims Lost whose volume is gone.
/// </summary>
internal sealed class PersistentVolumeBinder(ResourceRegistry registry, TimeSpan delay) : IController
{
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";
    private readonly Dictionary<string, DateTimeOffset> _firstSeen = [];

    private ObjectStore Store => registry.Store;

    private ResourceType Volumes => registry.Catalog.PersistentVolumes;

    private ResourceType Claims => registry.Catalog.PersistentVolumeClaims;

    public DateTimeOffset? Sync(DateTimeOffset now)
    {
        SyncVolumes();
        DateTimeOffset? next = null;
        foreach (var claim in Store.List(Claims, null).Items)
        {
            var uid = claim.Obj("metadata").Str("uid") ?? "";
            if (claim.Phase() != "Pending" || claim.Obj("metadata").Str("deletionTimestamp") is not null)
            {
                _firstSeen.Remove(uid);
                if (claim.Phase() == "Bound")
                {
                    MarkLostIfVolumeGone(claim);
                }

                continue;
            }

            var due = _firstSeen.TryAdd(uid, now) ? now + delay : _firstSeen[uid] + delay;
            if (due > now)
            {
                next = next is null || due < next ? due : next;
                continue;
            }

            if (FindVolume(claim) is { } volume)
            {
                Bind(volume, claim);
                _firstSeen.Remove(uid);
            }
        }

        return next;
    }

    private void SyncVolumes()
    {
        foreach (var volume in Store.List(Volumes, null).Items)
        {
            var claimRef = volume.Obj("spec").Obj("claimRef");
            var claimUid = claimRef.Str("uid");
            string phase;
            if (claimRef is null || string.IsNullOrEmpty(claimUid))
            {
                phase = "Available";
            }
            else
            {
                var claim = Store.Get(Claims, claimRef.Str("namespace"), claimRef.Str("name") ?? "");
                phase = claim is not null && claim.Obj("metadata").Str("uid") == claimUid ? "Bound" : "Released";
            }

            if (phase == "Released" && volume.Obj("spec").Str("persistentVolumeReclaimPolicy") == "Recycle")
            {
                // The recycler scrubs the volume and offers it again.
                volume.Obj("spec")!.Remove("claimRef");
                phase = "Available";
            }
            else if (phase == "Released" && volume.Obj("spec").Str("persistentVolumeReclaimPolicy") == "Delete" &&
                volume.Obj("metadata").Str("deletionTimestamp") is null)
            {
                registry.Delete(Volumes, null, volume.Name()!, WriteOptions.Internal);
                continue;
            }

            if (volume.Phase() != phase || volume.Obj("spec").Obj("claimRef") is null && claimRef is not null)
            {
                volume.Ensure("status")["phase"] = phase;
                Store.Put(Volumes, volume);
            }
        }
    }

    private JsonObject? FindVolume(JsonObject claim)
    {
        var spec = claim.Obj("spec");
        var wanted = spec.Str("volumeName");
        if (!string.IsNullOrEmpty(wanted))
        {
            var named = Store.Get(Volumes, null, wanted);
            return named is not null && Fits(named, claim) && IsFreeFor(named, claim) ? named : null;
        }

        var selector = LabelSelector.FromObject(spec.Obj("selector"));
        var candidates = Store.List(Volumes, null).Items
            .Where(v => v.Phase() == "Available" && v.Obj("metadata").Str("deletionTimestamp") is null)
            .Where(v => IsFreeFor(v, claim) && Fits(v, claim) && selector.Matches(v))
            .ToList();
        return candidates.FirstOrDefault(v => v.Obj("spec").Obj("claimRef") is not null)
            ?? candidates.OrderBy(v => StorageFields.Size(v.Obj("spec").Obj("capacity")?["storage"])).FirstOrDefault();
    }

    private static bool Fits(JsonObject volume, JsonObject claim)
    {
        var volumeSpec = volume.Obj("spec");
        var claimSpec = claim.Obj("spec");
        var request = StorageFields.Size(claimSpec.Obj("resources").Obj("requests")?["storage"]);
        return StorageFields.Size(volumeSpec.Obj("capacity")?["storage"]) >= request &&
            StorageFields.ClassOf(volumeSpec) == StorageFields.ClassOf(claimSpec) &&
            StorageFields.VolumeModeOf(volumeSpec) == StorageFields.VolumeModeOf(claimSpec) &&
            StorageFields.AccessModesOf(claimSpec).IsSubsetOf(StorageFields.AccessModesOf(volumeSpec));
    }

    /// <summary>Unclaimed, or pre-bound to exactly this claim.</summary>
    private static bool IsFreeFor(JsonObject volume, JsonObject claim)
    {
        var claimRef = volume.Obj("spec").Obj("claimRef");
        if (claimRef is null)
        {
            return true;
        }

        var uid = claimRef.Str("uid");
        return claimRef.Str("name") == claim.Name() && claimRef.Str("namespace") == claim.Namespace() &&
            (string.IsNullOrEmpty(uid) || uid == claim.Obj("metadata").Str("uid"));
    }

    private void Bind(JsonObject volume, JsonObject claim)
    {
        var volumeSpec = volume.Ensure("spec");
        if (volumeSpec.Obj("claimRef") is null)
        {
            volume.Metadata().Ensure("annotations")[BoundByController] = "yes";
        }

        volumeSpec["claimRef"] = new JsonObject
        {
            ["kind"] = "PersistentVolumeClaim",
            ["namespace"] = claim.Namespace(),
            ["name"] = claim.Name(),
            ["uid"] = claim.Obj("metadata").Str("uid"),
            ["apiVersion"] = "v1",
            ["resourceVersion"] = claim.Obj("metadata").Str("resourceVersion"),
        };
        volume.Ensure("status")["phase"] = "Bound";
        Store.Put(Volumes, volume);

        var claimSpec = claim.Ensure("spec");
        var annotations = claim.Metadata().Ensure("annotations");
        if (string.IsNullOrEmpty(claimSpec.Str("volumeName")))
        {
            annotations[BoundByController] = "yes";
        }

        annotations[BindCompleted] = "yes";
        claimSpec["volumeName"] = volume.Name();
        claim["status"] = new JsonObject
        {
            ["phase"] = "Bound",
            ["accessModes"] = volumeSpec["accessModes"]?.DeepClone(),
            ["capacity"] = volumeSpec["capacity"]?.DeepClone(),
        };
        Store.Put(Claims, claim);
    }

    private void MarkLostIfVolumeGone(JsonObject claim)
    {
        var volumeName = claim.Obj("spec").Str("volumeName");
        if (!string.IsNullOrEmpty(volumeName) && Store.Get(Volumes, null, volumeName) is null)
        {
            claim.Ensure("status")["phase"] = "Lost";
            Store.Put(Claims, claim);
        }
    }
}
