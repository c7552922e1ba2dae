using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

/// <summary>OpenShift's apps.openshift.io/v1 DeploymentConfig; its trigger controller lives in <see cref="DeploymentConfigController"/>.</summary>
internal sealed class DeploymentConfigRules : ResourceRules
{
    private static readonly string[] Strategies = ["Custom", "Recreate", "Rolling"];
    private static readonly string[] Triggers = ["ConfigChange", "ImageChange"];

    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["latestVersion"] = 0, ["observedGeneration"] = 0, ["replicas"] = 0 };
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
        if (spec["triggers"] is null)
        {
            spec["triggers"] = new JsonArray(new JsonObject { ["type"] = "ConfigChange" });
        }

        spec.SetIfMissing("replicas", 1);
        spec.SetIfMissing("revisionHistoryLimit", 10);
        spec.SetIfMissing("test", false);
        if (spec.Obj("selector") is not { Count: > 0 } && spec.Obj("template").Obj("metadata").Obj("labels") is { } labels)
        {
            spec["selector"] = labels.DeepClone();
        }

        var strategy = spec.Ensure("strategy");
        strategy.SetIfMissing("type", "Rolling");
        if (strategy.Str("type") == "Rolling")
        {
            var rolling = strategy.Ensure("rollingParams");
            rolling.SetIfMissing("updatePeriodSeconds", 1);
            rolling.SetIfMissing("intervalSeconds", 1);
            rolling.SetIfMissing("timeoutSeconds", 600);
            rolling.SetIfMissing("maxUnavailable", "25%");
            rolling.SetIfMissing("maxSurge", "25%");
        }

        strategy.SetIfMissing("resources", new JsonObject());
        strategy.SetIfMissing("activeDeadlineSeconds", 21600);
        PodTemplates.ApplyDefaults(spec.Obj("template"));
    }

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var spec = obj.Obj("spec");
        if (spec.Long("replicas") is < 0 and var replicas)
        {
            yield return FieldError.Invalid("spec.replicas", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "replicas cannot be negative");
        }

        var strategy = spec.Obj("strategy").Str("type") ?? "Rolling";
        if (!Strategies.Contains(strategy))
        {
            yield return FieldError.NotSupported("spec.strategy.type", strategy, Strategies);
        }

        var triggers = spec.Arr("triggers")?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < triggers.Count; i++)
        {
            var type = triggers[i].Str("type") ?? "";
            if (!Triggers.Contains(type))
            {
                yield return FieldError.Invalid($"spec.triggers[{i}].type", type, "invalid trigger type: must be one of ConfigChange, ImageChange");
            }
        }

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
        DeploymentConfigController.Sync(context, stored, old);
}
