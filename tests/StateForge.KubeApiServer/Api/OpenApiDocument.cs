using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Api;

/// <summary>
/// /openapi/v2, in JSON or in gnostic's protobuf form. It holds no schemas (kubectl then skips
/// client-side validation and patches with its compiled-in types), only, per kind, a PATCH
/// operation with the dryRun parameter and x-kubernetes-group-version-kind: what kubectl 1.20's
/// dry-run check (used by `kubectl diff`) looks for.
/// </summary>
internal sealed class OpenApiDocument(ResourceCatalog catalog)
{
    private static readonly string[] QueryParameters = ["dryRun", "fieldManager", "force"];

    public async Task WriteAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Contains("protobuf", StringComparison.Ordinal))
        {
            // Clients ask with "spec.v2@v1.0", but Go's mime parser rejects '@', so answer in the dotted form.
            context.Response.ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
            await context.Response.Body.WriteAsync(Protobuf(), cancellationToken);
            return;
        }

        await HttpJson.WriteAsync(context, 200, Json(), cancellationToken);
    }

    private IEnumerable<(string Path, ResourceType Type)> ObjectPaths() => catalog.All.Select(t =>
    {
        var root = t.Group.Length == 0 ? "/api/v1" : $"/apis/{t.Group}/{t.Version}";
        return (t.Namespaced ? $"{root}/namespaces/{{namespace}}/{t.Plural}/{{name}}" : $"{root}/{t.Plural}/{{name}}", t);
    });

    private static string GvkYaml(ResourceType type) =>
        $"group: \"{type.Group}\"\nkind: {type.Kind}\nversion: {type.Version}\n";

    private byte[] Protobuf()
    {
        var paths = new ProtoWriter();
        foreach (var (path, type) in ObjectPaths())
        {
            var operation = new ProtoWriter().String(5, $"patch{type.Kind}");
            foreach (var name in QueryParameters)
            {
                var query = new ProtoWriter().String(2, "query").String(4, name).String(6, "string").Bool(5, false);
                var parameter = new ProtoWriter().Message(2, new ProtoWriter().Message(3, query));
                operation.Message(8, new ProtoWriter().Message(1, parameter));
            }

            var extension = new ProtoWriter()
                .String(1, "x-kubernetes-group-version-kind")
                .Message(2, new ProtoWriter().String(2, GvkYaml(type)));
            operation.Message(13, extension);
            var item = new ProtoWriter().Message(8, operation);
            paths.Message(2, new ProtoWriter().String(1, path).Message(2, item));
        }

        return new ProtoWriter()
            .String(1, "2.0")
            .Message(2, new ProtoWriter().String(1, "Kubernetes").String(2, Discovery.Version()["gitVersion"]!.ToString()))
            .Message(8, paths)
            .ToArray();
    }

    private JsonObject Json()
    {
        var paths = new JsonObject();
        foreach (var (path, type) in ObjectPaths())
        {
            var parameters = new JsonArray(QueryParameters.Select(n =>
                (JsonNode?)new JsonObject { ["name"] = n, ["in"] = "query", ["type"] = "string", ["uniqueItems"] = true }).ToArray());
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["parameters"] = parameters,
                    ["x-kubernetes-group-version-kind"] = new JsonObject
                    {
                        ["group"] = type.Group,
                        ["kind"] = type.Kind,
                        ["version"] = type.Version,
                    },
                },
            };
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.Version()["gitVersion"]!.ToString() },
            ["paths"] = paths,
            ["definitions"] = new JsonObject(),
        };
    }
}
