using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StateForge.KubeApiServer.Json;

namespace StateForge.KubeApiServer.Api;

internal static class HttpJson
{
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToCompactJson() + "\n", cancellationToken);
    }

    public static async Task<string> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var text = await ReadBodyAsync(context, cancellationToken);
        var mediaType = (context.Request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (mediaType is not ("application/json" or "application/yaml" or "*/*" or ""))
        {
            throw ApiErrors.UnsupportedMediaType(mediaType);
        }

        try
        {
            var node = mediaType == "application/yaml" ? YamlToJson.Parse(text) : JsonNode.Parse(text);
            return node as JsonObject ?? throw ApiErrors.BadRequest("the body of the request was not a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized: {e.Message}");
        }
    }
}
