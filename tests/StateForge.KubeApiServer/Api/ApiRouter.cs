using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Resources;
using StateForge.KubeApiServer.Security;

namespace StateForge.KubeApiServer.Api;

/// <summary>
/// The one request handler: authentication, injected faults, then health, discovery, OpenAPI or a
/// resource. Every failure leaves as a Status body.
/// </summary>
internal sealed class ApiRouter(
    BearerTokenCheck auth,
    FaultInjector faults,
    Discovery discovery,
    OpenApiDocument openApi,
    ResourceEndpoints resources,
    ResourceCatalog catalog,
    ILogger logger,
    Action<string>? requestLog,
    CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = linked.Token;
        var path = context.Request.Path.Value ?? "/";
        requestLog?.Invoke($"{context.Request.Method} {path}{context.Request.QueryString} ...");
        try
        {
            auth.Check(context.Request);
            var watch = context.Request.Method == "GET" && context.Request.Query["watch"].ToString() is "true" or "1";
            if (watch)
            {
                faults.RecordWatch(path, context.Request.Query.TryGetValue("resourceVersion", out var version) ? version.ToString() : null);
            }

            var fault = faults.Take(context.Request.Method, path, context.Request.Query["dryRun"] == "All", watch);
            if (fault is not null)
            {
                // The watch streamer reads how the stream itself should fail.
                context.Items[typeof(Fault)] = fault;
            }

            if (fault is { AfterServing: true })
            {
                await ServeAndLoseTheAnswerAsync(context, path, cancellationToken);
            }

            if (fault is not null)
            {
                await Task.Delay(fault.Delay, cancellationToken);
                if (fault.Reset)
                {
                    requestLog?.Invoke($"{context.Request.Method} {path}{context.Request.QueryString} -> reset");
                    context.Abort();
                    return;
                }

                if (fault.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                if (fault.StatusCode != 0)
                {
                    throw new ApiException(fault.StatusCode, fault.Reason ?? ReasonFor(fault.StatusCode), fault.Message, new JsonObject());
                }

                if (fault.AfterServing)
                {
                    throw new InvalidOperationException("a fault after serving must fail the answer (a status code or a reset)");
                }
            }

            await RouteAsync(context, path, cancellationToken);
            requestLog?.Invoke($"{context.Request.Method} {path}{context.Request.QueryString} -> {context.Response.StatusCode}");
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            requestLog?.Invoke($"{context.Request.Method} {path}{context.Request.QueryString} -> {e.Code} {e.Message}");
            await HttpJson.WriteAsync(context, e.Code, e.ToStatus(), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or the server is stopping.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "{Method} {Path} failed", context.Request.Method, path);
            var status = new ApiException(500, "InternalError", $"Internal error occurred: {e.Message}").ToStatus();
            await HttpJson.WriteAsync(context, 500, status, cancellationToken);
        }
    }

    /// <summary>Serves the request into nothing: the store changes, the client gets what the fault says instead.</summary>
    private async Task ServeAndLoseTheAnswerAsync(HttpContext context, string path, CancellationToken cancellationToken)
    {
        var body = context.Features.Get<IHttpResponseBodyFeature>()!;
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        try
        {
            await RouteAsync(context, path, cancellationToken);
            requestLog?.Invoke($"{context.Request.Method} {path}{context.Request.QueryString} -> {context.Response.StatusCode} (served, answer lost)");
        }
        catch (ApiException e)
        {
            requestLog?.Invoke($"{context.Request.Method} {path}{context.Request.QueryString} -> {e.Code} (served, answer lost)");
        }
        finally
        {
            context.Features.Set(body);
        }

        context.Response.Clear();
    }

    private async Task RouteAsync(HttpContext context, string path, CancellationToken cancellationToken)
    {
        if (path.TrimEnd('/') is "/healthz" or "/livez" or "/readyz")
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok", cancellationToken);
            return;
        }

        if (path.StartsWith("/openapi/v2", StringComparison.Ordinal) || path.StartsWith("/swagger", StringComparison.Ordinal))
        {
            await openApi.WriteAsync(context, cancellationToken);
            return;
        }

        if (context.Request.Method == "GET" && discovery.Find(path) is { } document)
        {
            await HttpJson.WriteAsync(context, 200, document, cancellationToken);
            return;
        }

        var target = ResourcePath.Parse(catalog, path) ?? throw ApiErrors.PathNotFound();
        await resources.HandleAsync(context, target, cancellationToken);
    }

    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };
}
