using System.Text.Json.Nodes;

namespace StateForge.KubeApiServer.Api;

/// <summary>A request that ends in a Kubernetes Status error body.</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null)
    : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => StatusBodies.Failure(Code, Reason, Message, Details);
}
