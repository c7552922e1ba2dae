using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Patching;
using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Api;

/// <summary>GET, list, watch, POST, PUT, PATCH and DELETE on the served resources.</summary>
internal sealed class ResourceEndpoints(ResourceRegistry registry, WatchStreamer watches, TableRenderer tables)
{
    public async Task HandleAsync(HttpContext context, ResourcePath target, CancellationToken cancellationToken)
    {
        if (target.Subresource == "finalize")
        {
            throw ApiErrors.MethodNotAllowed(context.Request.Method);
        }

        var request = context.Request;
        var options = WriteOptionsReader.FromQuery(request.Query);
        var status = target.Subresource == "status";
        switch (request.Method)
        {
            case "GET" when target.Name is null:
                await ListOrWatchAsync(context, target, cancellationToken);
                break;
            case "GET":
                await RespondAsync(context, 200, registry.Get(target.Type, target.Namespace, target.Name), cancellationToken);
                break;
            case "POST" when target.Name is null:
                var created = registry.Create(target.Type, target.Namespace, await HttpJson.ReadObjectAsync(context, cancellationToken), options);
                await RespondAsync(context, 201, created, cancellationToken);
                break;
            case "PUT" when target.Name is not null:
                var body = await HttpJson.ReadObjectAsync(context, cancellationToken);
                var updated = registry.Update(target.Type, target.Namespace, target.Name, body, options, status);
                await RespondAsync(context, 200, updated, cancellationToken);
                break;
            case "PATCH" when target.Name is not null:
                await PatchAsync(context, target, options, status, cancellationToken);
                break;
            case "DELETE" when target.Name is not null && !status:
                var deleteBody = await ReadOptionalObjectAsync(context, cancellationToken);
                var deleteOptions = WriteOptionsReader.WithDeleteOptions(options, deleteBody);
                var answer = registry.Delete(target.Type, target.Namespace, target.Name, deleteOptions);
                await RespondAsync(context, 200, answer, cancellationToken);
                break;
            default:
                throw ApiErrors.MethodNotAllowed(request.Method);
        }
    }

    private async Task ListOrWatchAsync(HttpContext context, ResourcePath target, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        if (query["watch"].ToString() is "true" or "1")
        {
            await watches.StreamAsync(context, target, labels, fields, cancellationToken);
            return;
        }

        var (items, version) = registry.Store.List(target.Type, target.Namespace);
        var selected = items.Where(i => labels.Matches(i) && fields.Matches(i)).ToList();
        if (TableRenderer.Wants(context.Request))
        {
            await HttpJson.WriteAsync(context, 200, tables.Render(target.Type, selected, version), cancellationToken);
            return;
        }

        var list = new JsonObject
        {
            ["kind"] = target.Type.ListKind,
            ["apiVersion"] = target.Type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(selected.Select(StripTypeMeta).ToArray<JsonNode?>()),
        };
        await HttpJson.WriteAsync(context, 200, list, cancellationToken);
    }

    private async Task PatchAsync(HttpContext context, ResourcePath target, WriteOptions options, bool status, CancellationToken cancellationToken)
    {
        var kind = PatchRequest.KindOf(context.Request.ContentType);
        if (kind == PatchKind.Apply && options.FieldManager is null)
        {
            throw PatchOptionsInvalid("fieldManager", "Required value: is required for apply patch");
        }

        if (kind != PatchKind.Apply && options.Force)
        {
            throw PatchOptionsInvalid("force", "Forbidden: may not be specified for non-apply patch");
        }

        var patch = PatchRequest.Parse(kind, await HttpJson.ReadBodyAsync(context, cancellationToken));
        var store = registry.Store;
        JsonObject result;
        bool created;
        lock (store.Gate)
        {
            if (kind == PatchKind.Apply)
            {
                var configs = store.AppliedConfigs(target.Type, target.Namespace, target.Name!);
                var applied = (JsonObject)patch.Body;
                (result, created) = registry.Patch(target.Type, target.Namespace, target.Name!, live =>
                {
                    var (merged, conflicts) = ServerSideApply.Apply(live, applied, options.FieldManager!, options.Force, configs, registry.Now());
                    if (conflicts.Count > 0)
                    {
                        throw ApiErrors.ApplyConflict(target.Type, target.Name!, conflicts);
                    }

                    return merged;
                }, options, status);
                if (!options.DryRun)
                {
                    configs[options.FieldManager!] = applied.Clone();
                }
            }
            else
            {
                (result, created) = registry.Patch(target.Type, target.Namespace, target.Name!,
                    live => live is null ? throw ApiErrors.NotFound(target.Type, target.Name!) : patch.ApplyTo(live), options, status);
            }
        }

        await RespondAsync(context, created ? 201 : 200, result, cancellationToken);
    }

    private async Task RespondAsync(HttpContext context, int status, JsonObject body, CancellationToken cancellationToken)
    {
        if (body.Str("kind") != "Status" && TableRenderer.Wants(context.Request))
        {
            var type = registry.Catalog.FindKind(body.Str("apiVersion") ?? "", body.Str("kind") ?? "");
            if (type is not null)
            {
                await HttpJson.WriteAsync(context, status, tables.Render(type, [body], null), cancellationToken);
                return;
            }
        }

        await HttpJson.WriteAsync(context, status, body, cancellationToken);
    }

    private static JsonObject StripTypeMeta(JsonObject item)
    {
        item.Remove("kind");
        item.Remove("apiVersion");
        return item;
    }

    private static async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var text = await HttpJson.ReadBodyAsync(context, cancellationToken);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
    }

    private static ApiException PatchOptionsInvalid(string field, string message)
    {
        var reason = message.StartsWith("Required", StringComparison.Ordinal) ? "FieldValueRequired" : "FieldValueForbidden";
        var details = new JsonObject
        {
            ["group"] = "meta.k8s.io",
            ["kind"] = "PatchOptions",
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = reason, ["message"] = message, ["field"] = field }),
        };
        return new ApiException(422, "Invalid", $"PatchOptions.meta.k8s.io \"\" is invalid: {field}: {message}", details);
    }
}
