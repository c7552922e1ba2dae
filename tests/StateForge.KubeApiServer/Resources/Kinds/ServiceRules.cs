using System.Globalization;
using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Resources.Kinds;

internal sealed class ServiceRules : ResourceRules
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Affinities = ["ClientIP", "None"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private int _nextAddress = 10;
    private int _nextNodePort = 30000;

    public override bool ReturnsDeletedObject => true;

    public override NameFormat NameFormat => NameFormat.Dns1035Label;

    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        var spec = obj.Ensure("spec");
        var type = spec.Str("type") ?? "ClusterIP";
        if (type != "ExternalName" && string.IsNullOrEmpty(spec.Str("clusterIP")))
        {
            // OpenShift's default service network is 172.30.0.0/16.
            var n = Interlocked.Increment(ref _nextAddress);
            spec["clusterIP"] = $"172.30.{n / 250}.{n % 250 + 1}";
        }

        if (type is "NodePort" or "LoadBalancer")
        {
            foreach (var port in spec.Arr("ports")?.OfType<JsonObject>() ?? [])
            {
                port.SetIfMissing("nodePort", Interlocked.Increment(ref _nextNodePort));
            }
        }
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        var spec = updated.Ensure("spec");
        var oldSpec = old.Obj("spec");
        if (string.IsNullOrEmpty(spec.Str("clusterIP")))
        {
            CopyField(oldSpec ?? [], spec, "clusterIP");
        }

        if (spec["clusterIPs"] is null)
        {
            CopyField(oldSpec ?? [], spec, "clusterIPs");
        }

        var oldPorts = oldSpec.Arr("ports")?.OfType<JsonObject>().ToList() ?? [];
        foreach (var port in spec.Arr("ports")?.OfType<JsonObject>() ?? [])
        {
            var match = oldPorts.FirstOrDefault(p => p.Long("port") == port.Long("port"));
            if (port["nodePort"] is null && match?["nodePort"] is { } nodePort)
            {
                port["nodePort"] = nodePort.DeepClone();
            }
        }
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Ensure("spec");
        spec.SetIfMissing("type", "ClusterIP");
        spec.SetIfMissing("sessionAffinity", "None");
        if (spec.Str("type") != "ExternalName")
        {
            if (spec["clusterIPs"] is null && spec.Str("clusterIP") is { } ip)
            {
                spec["clusterIPs"] = new JsonArray(ip);
            }

            spec.SetIfMissing("ipFamilies", new JsonArray("IPv4"));
            spec.SetIfMissing("ipFamilyPolicy", "SingleStack");
            spec.SetIfMissing("internalTrafficPolicy", "Cluster");
        }

        if (spec.Str("sessionAffinity") == "ClientIP")
        {
            spec.SetIfMissing("sessionAffinityConfig",
                new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = 10800 } });
        }

        foreach (var port in spec.Arr("ports")?.OfType<JsonObject>() ?? [])
        {
            port.SetIfMissing("protocol", "TCP");
            port.SetIfMissing("targetPort", port["port"]?.DeepClone());
        }
    }

    public override IEnumerable<FieldError> Validate(JsonObject obj)
    {
        var spec = obj.Obj("spec");
        var type = spec.Str("type") ?? "ClusterIP";
        if (!Types.Contains(type))
        {
            yield return FieldError.NotSupported("spec.type", type, Types);
        }

        var affinity = spec.Str("sessionAffinity") ?? "None";
        if (!Affinities.Contains(affinity))
        {
            yield return FieldError.NotSupported("spec.sessionAffinity", affinity, Affinities);
        }

        var ports = spec.Arr("ports")?.OfType<JsonObject>().ToList() ?? [];
        if (ports.Count == 0 && type != "ExternalName" && spec.Str("clusterIP") != "None")
        {
            yield return FieldError.Required("spec.ports");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            foreach (var error in ValidatePort(ports[i], $"spec.ports[{i}]", ports.Count > 1, names))
            {
                yield return error;
            }
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var newIp = updated.Obj("spec").Str("clusterIP");
        var oldIp = old.Obj("spec").Str("clusterIP");
        if (oldIp is not null && newIp != oldIp && updated.Obj("spec").Str("type") != "ExternalName")
        {
            yield return FieldError.Immutable("spec.clusterIP", newIp ?? "");
        }
    }

    private static IEnumerable<FieldError> ValidatePort(JsonObject port, string path, bool nameRequired, HashSet<string> names)
    {
        var name = port.Str("name");
        if (nameRequired && string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required($"{path}.name");
        }
        else if (!string.IsNullOrEmpty(name) && !names.Add(name))
        {
            yield return FieldError.Duplicate($"{path}.name", name);
        }

        var number = port.Long("port") ?? 0;
        if (number is < 1 or > 65535)
        {
            yield return FieldError.Invalid($"{path}.port", number.ToString(CultureInfo.InvariantCulture),
                "must be between 1 and 65535, inclusive");
        }

        var protocol = port.Str("protocol") ?? "TCP";
        if (!Protocols.Contains(protocol))
        {
            yield return FieldError.NotSupported($"{path}.protocol", protocol, Protocols);
        }
    }
}
