using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

internal sealed class DeploymentRules : ResourceRules
{
    public override void PrepareForCreate(JsonObject obj)
    {
        obj.Remove("status");
        obj.Metadata()["generation"] = 1;
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        BumpGenerationOnSpecChange(updated, old, annotationsCount: true);
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Ensure("spec");
        spec.SetIfMissing("replicas", 1);
        spec.SetIfMissing("revisionHistoryLimit", 10);
        spec.SetIfMissing("progressDeadlineSeconds", 600);
        var strategy = spec.Ensure("strategy");
        strategy.SetIfMissing("type", "RollingUpdate");
        if (strategy.Str("type") == "RollingUpdate")
        {
            var rolling = strategy.Ensure("rollingUpdate");
            rolling.SetIfMissing("maxUnavailable", "25%");
            rolling.SetIfMissing("maxSurge", "25%");
        }

        PodTemplates.ApplyDefaults(spec.Obj("template"));
    }

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var spec = obj.Obj("spec");
        if (spec.Long("replicas") is < 0 and var replicas)
        {
            yield return FieldError.Invalid("spec.replicas", replicas.ToString(), "must be greater than or equal to 0");
        }

        var selector = spec.Obj("selector");
        var selectorEmpty = selector is null ||
            (selector.Obj("matchLabels") is not { Count: > 0 } && selector.Arr("matchExpressions") is not { Count: > 0 });
        if (selectorEmpty)
        {
            yield return FieldError.Required("spec.selector");
            yield return FieldError.Invalid("spec.selector", selector?.ToCompactJson() ?? "null", "empty selector is invalid for deployment");
        }

        var labels = spec.Obj("template").Obj("metadata").Obj("labels");
        if (!selectorEmpty && !LabelSelector.FromObject(selector).Matches(labels.StringMap()))
        {
            yield return FieldError.Invalid("spec.template.metadata.labels", labels?.ToCompactJson() ?? "{}",
                "`selector` does not match template `labels`");
        }

        foreach (var error in PodTemplates.Validate(spec.Obj("template"), "spec.template"))
        {
            yield return error;
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var selector = updated.Obj("spec")?["selector"];
        if (!selector.SameAs(old.Obj("spec")?["selector"]))
        {
            yield return FieldError.Immutable("spec.selector", selector?.ToCompactJson() ?? "null");
        }
    }

    public override void OnStored(WriteContext context, JsonObject stored, JsonObject? old) =>
        WorkloadStatus.Settle(context, context.Catalog.Deployments, stored);
}
