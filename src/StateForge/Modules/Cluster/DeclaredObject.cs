using System.Text.Json.Nodes;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

/// <summary>One object a task declares, resolved against the server's discovery.</summary>
internal sealed record DeclaredObject(ResourceType Type, string? Namespace, string Name, JsonObject Body)
{
    public string Resource => Type.Describe(Namespace, Name);

    /// <summary>Checks the identity fields and fills in the namespace (declared, else the task's, else the context's).</summary>
    public static async Task<DeclaredObject> ResolveAsync(KubeCluster cluster, JsonObject body, string? taskNamespace, CancellationToken cancellationToken)
    {
        var apiVersion = body.Str("apiVersion");
        var kind = body.Str("kind");
        var name = body.Obj("metadata").Str("name");
        if (apiVersion is null || kind is null || name is null)
        {
            var missing = new[] { ("apiVersion", apiVersion), ("kind", kind), ("metadata.name", name) }.Where(f => f.Item2 is null).Select(f => f.Item1);
            throw new ClusterTaskException($"a definition needs apiVersion, kind and metadata.name; missing {string.Join(", ", missing)} in {Summary(body)}");
        }

        var type = await cluster.ResolveAsync(apiVersion, kind, cancellationToken).ConfigureAwait(false);
        string? ns = null;
        var metadata = body.Ensure("metadata");
        if (type.Namespaced)
        {
            ns = metadata.Str("namespace") ?? taskNamespace ?? cluster.DefaultNamespace;
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        return new DeclaredObject(type, ns, name, body);
    }

    private static string Summary(JsonObject body)
    {
        var text = body.ToJsonString();
        return text.Length > 120 ? text[..117] + "..." : text;
    }
}
