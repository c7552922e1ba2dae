using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using StateForge.KubeApiServer.Faults;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Resources;
using StateForge.KubeApiServer.Storage;

namespace StateForge.KubeApiServer.Api;

/// <summary>
/// Answers ?watch=true with newline-delimited {"type","object"} events, flushed one line at a time.
/// Without a resourceVersion (or with "0") the current objects come first as ADDED events.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, WatchHub hub)
{
    public async Task StreamAsync(
        HttpContext context, ResourcePath target, LabelSelector labels, FieldSelector fields, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var fault = context.Items[typeof(Fault)] as Fault;
        var resourceVersion = query["resourceVersion"].ToString();
        bool Matches(WatchEvent e) =>
            e.Resource == target.Type &&
            (target.Namespace is null || e.Object.Namespace() == target.Namespace) &&
            labels.Matches(e.Object) && fields.Matches(e.Object);

        List<WatchEvent>? initial;
        WatchHub.Subscription subscription;
        lock (store.Gate)
        {
            subscription = hub.Subscribe(Matches);
            if (resourceVersion is "" or "0")
            {
                var (items, version) = store.List(target.Type, target.Namespace);
                initial = items.Select(i => new WatchEvent(WatchEvent.Added, target.Type, i, version)).Where(Matches).ToList();
            }
            else if (long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var since))
            {
                initial = hub.Since(since)?.Where(Matches).ToList();
            }
            else
            {
                subscription.Dispose();
                throw ApiErrors.BadRequest($"invalid resource version: {resourceVersion}");
            }
        }

        using (subscription)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(cancellationToken);
            if (initial is null || fault is { GoneEvent: true })
            {
                var gone = ApiErrors.Gone(resourceVersion).ToStatus();
                await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = gone }, cancellationToken);
                return;
            }

            // An injected fault may end the stream after some events: the client sees the server close it.
            var left = fault?.CloseWatchAfterEvents ?? int.MaxValue;
            foreach (var change in initial)
            {
                if (left-- <= 0)
                {
                    return;
                }

                await WriteEventAsync(context, change, cancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var limit = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : Timeout.InfiniteTimeSpan;
            if (fault?.CloseWatchAfter is { } after && (limit == Timeout.InfiniteTimeSpan || after < limit))
            {
                limit = after;
            }

            if (limit != Timeout.InfiniteTimeSpan)
            {
                timeout.CancelAfter(limit);
            }

            try
            {
                while (left > 0)
                {
                    var change = await subscription.Events.ReadAsync(timeout.Token);
                    // Subscribing and reading the snapshot happened under the store's gate, so nothing repeats.
                    await WriteEventAsync(context, change, timeout.Token);
                    left--;
                }
            }
            catch (ChannelClosedException)
            {
                // The subscription ended.
            }
            catch (OperationCanceledException)
            {
                // The client went away, the timeout passed, or the server is stopping: the stream just ends.
            }
        }
    }

    private static Task WriteEventAsync(HttpContext context, WatchEvent change, CancellationToken cancellationToken)
    {
        var obj = change.Object.Clone();
        return WriteLineAsync(context, new JsonObject { ["type"] = change.Type, ["object"] = obj }, cancellationToken);
    }

    private static async Task WriteLineAsync(HttpContext context, JsonObject line, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync(line.ToCompactJson() + "\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
