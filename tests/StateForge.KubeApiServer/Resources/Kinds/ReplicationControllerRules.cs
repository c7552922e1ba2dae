using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

internal sealed class ReplicationControllerRules : ResourceRules
{
    public override void PrepareForCreate(JsonObject obj)
    {
        obj.Remove("status");
        obj.Metadata()["generation"] = 1;
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        BumpGenerationOnSpecChange(updated, old);
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Ensure("spec");
        spec.SetIfMissing("replicas", 1);
        if (spec.Obj("selector") is not { Count: > 0 } && spec.Obj("template").Obj("metadata").Obj("labels") is { } labels)
        {
            spec["selector"] = labels.DeepClone();
        }

        PodTemplates.ApplyDefaults(spec.Obj("template"));
    }

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var spec = obj.Obj("spec");
        var selector = spec.Obj("selector");
        if (selector is not { Count: > 0 })
        {
            yield return FieldError.Required("spec.selector");
        }

        var labels = spec.Obj("template").Obj("metadata").Obj("labels");
        if (selector is { Count: > 0 } && !LabelSelector.FromMap(selector).Matches(labels.StringMap()))
        {
            yield return FieldError.Invalid("spec.template.metadata.labels", labels?.ToCompactJson() ?? "{}",
                "`selector` does not match template `labels`");
        }

        foreach (var error in PodTemplates.Validate(spec.Obj("template"), "spec.template"))
        {
            yield return error;
        }
    }

    public override void OnStored(WriteContext context, JsonObject stored, JsonObject? old) =>
        WorkloadStatus.Settle(context, context.Catalog.ReplicationControllers, stored);
}
