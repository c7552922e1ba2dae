using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

/// <summary>Defaults and validation of a PodTemplateSpec, shared by Deployment, ReplicationController and DeploymentConfig.</summary>
internal static class PodTemplates
{
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    public static void ApplyDefaults(JsonObject? template)
    {
        if (template.Obj("spec") is not { } spec)
        {
            return;
        }

        spec.SetIfMissing("restartPolicy", "Always");
        spec.SetIfMissing("terminationGracePeriodSeconds", 30);
        spec.SetIfMissing("dnsPolicy", "ClusterFirst");
        spec.SetIfMissing("securityContext", new JsonObject());
        spec.SetIfMissing("schedulerName", "default-scheduler");
        foreach (var container in Containers(spec))
        {
            DefaultContainer(container);
        }

        foreach (var volume in spec.Arr("volumes")?.OfType<JsonObject>() ?? [])
        {
            foreach (var sourceName in new[] { "secret", "configMap" })
            {
                volume.Obj(sourceName)?.SetIfMissing("defaultMode", 420);
            }

            volume.Obj("hostPath")?.SetIfMissing("type", "");
        }
    }

    public static IEnumerable<FieldError> Validate(JsonObject? template, string path)
    {
        if (template is null)
        {
            yield return FieldError.Required(path);
            yield break;
        }

        var spec = template.Obj("spec");
        var volumeNames = new HashSet<string>(StringComparer.Ordinal);
        var volumes = spec.Arr("volumes")?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < volumes.Count; i++)
        {
            var volumePath = $"{path}.spec.volumes[{i}]";
            var name = volumes[i].Str("name");
            if (string.IsNullOrEmpty(name))
            {
                yield return FieldError.Required($"{volumePath}.name");
            }
            else if (!volumeNames.Add(name))
            {
                yield return FieldError.Duplicate($"{volumePath}.name", name);
            }

            foreach (var error in VolumeSources.CheckExactlyOne(volumes[i], VolumeSources.Pod, volumePath))
            {
                yield return error;
            }
        }

        var containers = spec.Arr("containers")?.OfType<JsonObject>().ToList() ?? [];
        if (containers.Count == 0)
        {
            yield return FieldError.Required($"{path}.spec.containers");
        }

        var containerNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            foreach (var error in ValidateContainer(containers[i], $"{path}.spec.containers[{i}]", containerNames, volumeNames))
            {
                yield return error;
            }
        }

        var restartPolicy = spec.Str("restartPolicy");
        if (restartPolicy is not null && restartPolicy != "Always")
        {
            yield return FieldError.NotSupported($"{path}.spec.restartPolicy", restartPolicy, ["Always"]);
        }
    }

    private static IEnumerable<FieldError> ValidateContainer(
        JsonObject container, string path, HashSet<string> names, HashSet<string> volumeNames)
    {
        var name = container.Str("name");
        if (string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required($"{path}.name");
        }
        else if (!names.Add(name))
        {
            yield return FieldError.Duplicate($"{path}.name", name);
        }
        else if (NameFormats.Check(NameFormat.Dns1123Label, name, $"{path}.name") is { } bad)
        {
            yield return bad;
        }

        if (string.IsNullOrEmpty(container.Str("image")))
        {
            yield return FieldError.Required($"{path}.image");
        }

        var ports = container.Arr("ports")?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i].Long("containerPort") ?? 0;
            if (port is < 1 or > 65535)
            {
                yield return FieldError.Invalid($"{path}.ports[{i}].containerPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "must be between 1 and 65535, inclusive");
            }

            var protocol = ports[i].Str("protocol") ?? "TCP";
            if (!Protocols.Contains(protocol))
            {
                yield return FieldError.NotSupported($"{path}.ports[{i}].protocol", protocol, Protocols);
            }
        }

        var mounts = container.Arr("volumeMounts")?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < mounts.Count; i++)
        {
            var mountName = mounts[i].Str("name") ?? "";
            if (mountName.Length == 0)
            {
                yield return FieldError.Required($"{path}.volumeMounts[{i}].name");
            }
            else if (!volumeNames.Contains(mountName))
            {
                yield return FieldError.NotFound($"{path}.volumeMounts[{i}].name", mountName);
            }

            if (string.IsNullOrEmpty(mounts[i].Str("mountPath")))
            {
                yield return FieldError.Required($"{path}.volumeMounts[{i}].mountPath");
            }
        }

        var env = container.Arr("env")?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < env.Count; i++)
        {
            if (string.IsNullOrEmpty(env[i].Str("name")))
            {
                yield return FieldError.Required($"{path}.env[{i}].name");
            }
        }
    }

    private static void DefaultContainer(JsonObject container)
    {
        container.SetIfMissing("resources", new JsonObject());
        container.SetIfMissing("terminationMessagePath", "/dev/termination-log");
        container.SetIfMissing("terminationMessagePolicy", "File");
        var image = container.Str("image") ?? "";
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var latest = !lastSegment.Contains(':') && !image.Contains('@') || lastSegment.EndsWith(":latest", StringComparison.Ordinal);
        container.SetIfMissing("imagePullPolicy", latest ? "Always" : "IfNotPresent");
        foreach (var port in container.Arr("ports")?.OfType<JsonObject>() ?? [])
        {
            port.SetIfMissing("protocol", "TCP");
        }

        foreach (var probeName in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container.Obj(probeName) is not { } probe)
            {
                continue;
            }

            probe.Obj("httpGet")?.SetIfMissing("scheme", "HTTP");
            probe.SetIfMissing("timeoutSeconds", 1);
            probe.SetIfMissing("periodSeconds", 10);
            probe.SetIfMissing("successThreshold", 1);
            probe.SetIfMissing("failureThreshold", 3);
        }
    }

    private static IEnumerable<JsonObject> Containers(JsonObject spec) =>
        (spec.Arr("containers")?.OfType<JsonObject>() ?? []).Concat(spec.Arr("initContainers")?.OfType<JsonObject>() ?? []);
}
