using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Api;

/// <summary>The discovery documents kubectl reads before anything else: /api, /apis, /api/v1, /apis/{g}[/{v}], /version.</summary>
internal sealed class Discovery(ResourceCatalog catalog)
{
    private static readonly string[] ObjectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    public JsonObject? Find(string path) => path.TrimEnd('/') switch
    {
        "/api" => CoreVersions(),
        "/apis" => Groups(),
        "/version" => Version(),
        var p when p.StartsWith("/api/", StringComparison.Ordinal) && p.Count(c => c == '/') == 2 => ResourceList("", p[5..]),
        var p when p.StartsWith("/apis/", StringComparison.Ordinal) && p.Count(c => c == '/') == 3 =>
            ResourceList(p.Split('/')[2], p.Split('/')[3]),
        var p when p.StartsWith("/apis/", StringComparison.Ordinal) && p.Count(c => c == '/') == 2 => Group(p[6..]),
        _ => null,
    };

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "20",
        ["gitVersion"] = "v1.20.2",
        ["gitCommit"] = "faecb196815e248d3ecfb03c680a4507229c2a56",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2021-01-13T13:20:00Z",
        ["goVersion"] = "go1.15.5",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private static JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = "127.0.0.1:6443",
        }),
    };

    private JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.GroupVersions.Select(gv => (JsonNode?)GroupBody(gv.Group, gv.Version)).ToArray()),
    };

    private JsonObject? Group(string group)
    {
        var version = catalog.GroupVersions.FirstOrDefault(gv => gv.Group == group).Version;
        if (version is null)
        {
            return null;
        }

        var body = GroupBody(group, version);
        body["kind"] = "APIGroup";
        body["apiVersion"] = "v1";
        return body;
    }

    private static JsonObject GroupBody(string group, string version)
    {
        var gv = new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(gv),
            ["preferredVersion"] = gv.DeepClone(),
        };
    }

    private JsonObject? ResourceList(string group, string version)
    {
        var types = catalog.InGroupVersion(group, version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(ObjectVerbs.Select(v => (JsonNode?)v).ToArray()),
                ["shortNames"] = new JsonArray(type.ShortNames.Select(v => (JsonNode?)v).ToArray()),
            });
            resources.Add(new JsonObject
            {
                ["name"] = $"{type.Plural}/status",
                ["singularName"] = "",
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(StatusVerbs.Select(v => (JsonNode?)v).ToArray()),
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
