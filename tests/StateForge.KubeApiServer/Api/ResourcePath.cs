using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Api;

/// <summary>A request path that names a resource: its type, namespace, object name and subresource.</summary>
internal sealed record ResourcePath(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>
    /// Parses /api/v1/… and /apis/{group}/{version}/…; null when the path names no served resource.
    /// </summary>
    public static ResourcePath? Parse(ResourceCatalog catalog, string path)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int rest;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, rest) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, rest) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }

        var tail = parts[rest..];
        string? ns = null;
        if (group.Length == 0 && tail[0] == "namespaces" && (tail.Length <= 2 || tail.Length == 3 && tail[2] is "status" or "finalize"))
        {
            // /api/v1/namespaces[/{name}[/status|/finalize]]
            return Build(catalog.Namespaces, null, tail);
        }

        if (tail.Length >= 3 && tail[0] == "namespaces")
        {
            ns = tail[1];
            tail = tail[2..];
        }

        var type = catalog.Find(group, version, tail[0]);
        if (type is null || type.Namespaced != (ns is not null) && !(type.Namespaced && tail.Length == 1))
        {
            return null;
        }

        return Build(type, ns, tail);
    }

    private static ResourcePath? Build(ResourceType type, string? ns, string[] tail) => tail.Length switch
    {
        1 => new ResourcePath(type, ns, null, null),
        2 => new ResourcePath(type, ns, tail[1], null),
        3 when tail[2] is "status" or "finalize" => new ResourcePath(type, ns, tail[1], tail[2]),
        _ => null,
    };
}
