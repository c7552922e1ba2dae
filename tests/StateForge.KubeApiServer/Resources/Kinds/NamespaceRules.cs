using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Api;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

internal sealed class NamespaceRules : ResourceRules
{
    public static readonly string[] Protected = ["default", "kube-system", "kube-public"];

    public override NameFormat NameFormat => NameFormat.Dns1123Label;

    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        CopyField(old, updated, "spec");
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        if (obj.Name() is { } name)
        {
            obj.Metadata().Ensure("labels")["kubernetes.io/metadata.name"] = name;
        }
    }

    public override void BeforeDelete(ResourceType type, JsonObject obj)
    {
        if (Protected.Contains(obj.Name()))
        {
            throw ApiErrors.Forbidden(type, obj.Name() ?? "", "this namespace may not be deleted");
        }
    }

    /// <summary>A namespace always lingers as Terminating until the namespace controller empties it.</summary>
    public override JsonObject? DeferDeletion(JsonObject obj, string now)
    {
        obj.Metadata().SetIfMissing("deletionTimestamp", now);
        obj.Ensure("status")["phase"] = "Terminating";
        return obj;
    }
}
