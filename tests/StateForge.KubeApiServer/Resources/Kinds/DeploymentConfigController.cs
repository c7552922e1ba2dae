using System.Globalization;
using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

/// <summary>
/// OpenShift's config-change trigger and deployer, run right after a DeploymentConfig write:
/// a template change (or the first write) rolls out ReplicationController "name-N".
/// </summary>
internal static class DeploymentConfigController
{
    public const string NameAnnotation = "openshift.io/deployment-config.name";
    public const string VersionAnnotation = "openshift.io/deployment-config.latest-version";
    public const string PhaseAnnotation = "openshift.io/deployment.phase";

    public static void Sync(WriteContext context, JsonObject dc, JsonObject? old)
    {
        var spec = dc.Obj("spec");
        var status = dc.Obj("status")?.Clone() ?? [];
        var latest = status.Long("latestVersion") ?? 0;
        var configChange = spec.Arr("triggers")?.OfType<JsonObject>().Any(t => t.Str("type") == "ConfigChange") == true;
        var paused = spec.Bool("paused") == true;
        var templateChanged = old is null || !spec?["template"].SameAs(old.Obj("spec")?["template"]) == true;
        if (configChange && !paused && (latest == 0 || templateChanged))
        {
            latest++;
            status["details"] = new JsonObject
            {
                ["message"] = "config change",
                ["causes"] = new JsonArray(new JsonObject { ["type"] = "ConfigChange" }),
            };
            RollOut(context, dc, latest);
        }
        else if (latest > 0)
        {
            ScaleCurrent(context, dc, latest);
        }

        var replicas = latest > 0 ? spec.Long("replicas") ?? 1 : 0;
        status["latestVersion"] = latest;
        status["observedGeneration"] = dc.Obj("metadata").Long("generation") ?? 1;
        status["replicas"] = replicas;
        status["updatedReplicas"] = replicas;
        status["availableReplicas"] = replicas;
        status["unavailableReplicas"] = 0;
        status["readyReplicas"] = replicas;
        if (dc["status"].SameAs(status))
        {
            return;
        }

        dc["status"] = status;
        context.Store.Put(context.Catalog.DeploymentConfigs, dc);
    }

    private static void RollOut(WriteContext context, JsonObject dc, long version)
    {
        var rcType = context.Catalog.ReplicationControllers;
        var ns = dc.Namespace();
        foreach (var previous in OwnedControllers(context, dc))
        {
            if (previous.Obj("spec").Long("replicas") != 0)
            {
                previous.Ensure("spec")["replicas"] = 0;
                context.Registry.Update(rcType, ns, previous.Name()!, previous, WriteOptions.Internal);
            }
        }

        var name = $"{dc.Name()}-{version}";
        if (context.Store.Get(rcType, ns, name) is null)
        {
            context.Registry.Create(rcType, ns, BuildController(dc, name, version), WriteOptions.Internal);
        }
    }

    private static void ScaleCurrent(WriteContext context, JsonObject dc, long version)
    {
        var rcType = context.Catalog.ReplicationControllers;
        var current = context.Store.Get(rcType, dc.Namespace(), $"{dc.Name()}-{version}");
        var replicas = dc.Obj("spec").Long("replicas") ?? 1;
        if (current is not null && current.Obj("spec").Long("replicas") != replicas)
        {
            current.Ensure("spec")["replicas"] = replicas;
            context.Registry.Update(rcType, dc.Namespace(), current.Name()!, current, WriteOptions.Internal);
        }
    }

    private static IEnumerable<JsonObject> OwnedControllers(WriteContext context, JsonObject dc) =>
        context.Store.List(context.Catalog.ReplicationControllers, dc.Namespace()).Items
            .Where(rc => rc.Obj("metadata").Obj("annotations").Str(NameAnnotation) == dc.Name());

    private static JsonObject BuildController(JsonObject dc, string name, long version)
    {
        var dcName = dc.Name()!;
        var versionText = version.ToString(CultureInfo.InvariantCulture);
        var spec = dc.Obj("spec")!;
        var selector = spec.Obj("selector")?.Clone() ?? [];
        selector["deployment"] = name;
        selector["deploymentconfig"] = dcName;
        var template = spec.Obj("template")?.Clone() ?? [];
        var templateMeta = template.Metadata();
        foreach (var (key, value) in new Dictionary<string, string> { ["deployment"] = name, ["deploymentconfig"] = dcName })
        {
            templateMeta.Ensure("labels")[key] = value;
        }

        var templateAnnotations = templateMeta.Ensure("annotations");
        templateAnnotations[NameAnnotation] = dcName;
        templateAnnotations[VersionAnnotation] = versionText;
        templateAnnotations["openshift.io/deployment.name"] = name;
        var labels = dc.Obj("metadata").Obj("labels")?.Clone() ?? [];
        labels[NameAnnotation] = dcName;
        labels["deploymentconfig"] = dcName;
        labels["deployment"] = name;
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = dc.Namespace(),
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    [NameAnnotation] = dcName,
                    [VersionAnnotation] = versionText,
                    [PhaseAnnotation] = "Complete",
                    ["openshift.io/deployment.replicas"] = (spec.Long("replicas") ?? 1).ToString(CultureInfo.InvariantCulture),
                    ["openshift.io/deployment.status-reason"] = "config change",
                    ["openshift.io/deployer-pod.name"] = $"{name}-deploy",
                },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps.openshift.io/v1",
                    ["kind"] = "DeploymentConfig",
                    ["name"] = dcName,
                    ["uid"] = dc.Obj("metadata").Str("uid"),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = spec.Long("replicas") ?? 1,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
    }
}
