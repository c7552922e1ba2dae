using System.Text.Json;
using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Api;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Patching;

internal enum PatchKind
{
    Json,
    Merge,
    StrategicMerge,
    Apply,
}

/// <summary>A PATCH body and its content type, ready to apply to the live object.</summary>
internal sealed record PatchRequest(PatchKind Kind, JsonNode Body)
{
    public static PatchKind KindOf(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "application/json-patch+json" => PatchKind.Json,
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" => PatchKind.StrategicMerge,
            "application/apply-patch+yaml" or "application/apply-patch+cbor" => PatchKind.Apply,
            _ => throw ApiErrors.UnsupportedMediaType(contentType ?? ""),
        };
    }

    public static PatchRequest Parse(PatchKind kind, string body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException) when (kind == PatchKind.Apply)
        {
            node = YamlToJson.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"error decoding patch: {e.Message}");
        }

        return kind switch
        {
            PatchKind.Json when node is JsonArray => new PatchRequest(kind, node),
            PatchKind.Json => throw ApiErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
            _ when node is JsonObject => new PatchRequest(kind, node),
            _ => throw ApiErrors.BadRequest("error decoding patch: the patch is not a JSON object"),
        };
    }

    /// <summary>Applies a JSON, merge or strategic merge patch (apply goes through <see cref="ServerSideApply"/>).</summary>
    public JsonObject ApplyTo(JsonObject live) => Kind switch
    {
        PatchKind.Json => JsonPatch.Apply(live, (JsonArray)Body),
        PatchKind.Merge => JsonMergePatch.Apply(live, Body) as JsonObject ?? [],
        PatchKind.StrategicMerge => StrategicMergePatch.Apply(live, (JsonObject)Body),
        _ => throw new InvalidOperationException("apply patches need a field manager"),
    };
}
