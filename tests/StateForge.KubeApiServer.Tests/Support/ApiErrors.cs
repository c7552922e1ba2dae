using System.Text.Json.Nodes;
using k8s.Autorest;

namespace StateForge.KubeApiServer.Tests.Support;

/// <summary>Reads the Status body out of a failed client call, as StateForge has to (the client leaves Body null).</summary>
public static class ApiErrors
{
    public static async Task<(int Code, JsonObject Status)> CatchAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (HttpOperationException e)
        {
            var status = JsonNode.Parse(e.Response.Content)!.AsObject();
            return ((int)e.Response.StatusCode, status);
        }

        throw new Xunit.Sdk.XunitException("the call succeeded but a failure was expected");
    }
}
