using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources;

/// <summary>
/// What makes one kind differ from a plain JSON document: defaults, validation, immutability,
/// what a write keeps from the old object, and side effects. The generic write path calls these.
/// </summary>
internal abstract class ResourceRules
{
    /// <summary>True where DELETE answers with the deleted object instead of a Status (PV, PVC, Service).</summary>
    public virtual bool ReturnsDeletedObject => false;

    public virtual NameFormat NameFormat => NameFormat.Dns1123Subdomain;

    /// <summary>Create ignores the client's status and starts from this one.</summary>
    public virtual void PrepareForCreate(JsonObject obj) => obj.Remove("status");

    /// <summary>Main-resource writes keep the old status.</summary>
    public virtual void PrepareForUpdate(JsonObject updated, JsonObject old) => CopyField(old, updated, "status");

    /// <summary>/status writes keep everything but the status.</summary>
    public virtual void PrepareForStatusUpdate(JsonObject updated, JsonObject old)
    {
        var status = updated["status"]?.DeepClone();
        foreach (var key in updated.Select(p => p.Key).ToList())
        {
            updated.Remove(key);
        }

        foreach (var (key, value) in old)
        {
            updated[key] = value?.DeepClone();
        }

        updated["status"] = status;
    }

    public virtual void ApplyDefaults(JsonObject obj)
    {
    }

    public virtual IEnumerable<FieldError> Validate(JsonObject obj) => [];

    public virtual IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old) => [];

    /// <summary>Admission checks that answer 403 rather than 422; runs after validation.</summary>
    public virtual void Admit(ResourceType type, JsonObject updated, JsonObject? old)
    {
    }

    /// <summary>Side effects of a stored (not dry-run) write, such as a DeploymentConfig's new ReplicationController.</summary>
    public virtual void OnStored(WriteContext context, JsonObject stored, JsonObject? old)
    {
    }

    /// <summary>Refuses a delete (403) where the kind forbids it.</summary>
    public virtual void BeforeDelete(ResourceType type, JsonObject obj)
    {
    }

    /// <summary>
    /// Marks an object whose deletion must wait (finalizers), returning it to store;
    /// null means remove it now.
    /// </summary>
    public virtual JsonObject? DeferDeletion(JsonObject obj, string now)
    {
        if (obj.Obj("metadata").Arr("finalizers") is not { Count: > 0 })
        {
            return null;
        }

        obj.Metadata().SetIfMissing("deletionTimestamp", now);
        obj.Metadata().SetIfMissing("deletionGracePeriodSeconds", 0);
        return obj;
    }

    public virtual void OnDeleted(WriteContext context, JsonObject deleted)
    {
    }

    protected static void CopyField(JsonObject from, JsonObject to, string name)
    {
        if (from[name] is { } value)
        {
            to[name] = value.DeepClone();
        }
        else
        {
            to.Remove(name);
        }
    }

    protected static void AddFinalizer(JsonObject obj, string finalizer)
    {
        var finalizers = obj.Metadata()["finalizers"] as JsonArray ?? [];
        if (!finalizers.Any(f => f?.GetValue<string>() == finalizer))
        {
            finalizers.Add(finalizer);
        }

        obj.Metadata()["finalizers"] = finalizers;
    }

    /// <summary>Grows metadata.generation when anything but metadata and status changed (or on create).</summary>
    protected static void BumpGenerationOnSpecChange(JsonObject updated, JsonObject old, bool annotationsCount = false)
    {
        var generation = old.Obj("metadata").Long("generation") ?? 1;
        var changed = !updated["spec"].SameAs(old["spec"]) ||
            (annotationsCount && !updated.Obj("metadata")?["annotations"].SameAs(old.Obj("metadata")?["annotations"]) == true);
        updated.Metadata()["generation"] = changed ? generation + 1 : generation;
    }
}
