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
/// With allowWatchBookmarks=true a BOOKMARK event comes every <paramref name="bookmarkInterval"/> (null: never).
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, WatchHub hub, TimeSpan? bookmarkInterval)
{
    public async Task StreamAsync(
        HttpContext context, ResourcePath target, LabelSelector labels, FieldSelector fields, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var fault = context.Items[typeof(Fault)] as Fault;
        var resourceVersion = query["resourceVersion"].ToString();
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1" ? bookmarkInterval : null;
        bool Matches(WatchEvent e) =>
            e.Resource == target.Type &&
            (target.Namespace is null || e.Object.Namespace() == target.Namespace) &&
            labels.Matches(e.Object) && fields.Matches(e.Object);

        List<WatchEvent>? initial;
        WatchHub.Subscription subscription;
        long told = 0; // the newest resourceVersion the client has been told of
        lock (store.Gate)
        {
            subscription = hub.Subscribe(Matches);
            if (resourceVersion is "" or "0")
            {
                var (items, version) = store.List(target.Type, target.Namespace);
                initial = items.Select(i => new WatchEvent(WatchEvent.Added, target.Type, i, version)).Where(Matches).ToList();
                told = version;
            }
            else if (long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var since))
            {
                initial = hub.Since(since)?.Where(Matches).ToList();
                told = since;
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
                told = Math.Max(told, change.ResourceVersion);
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
                var bookmarkDue = DateTime.UtcNow + bookmarks;
                while (left > 0)
                {
                    var change = await NextEventAsync(subscription.Events, bookmarkDue, timeout.Token);
                    if (change is not null)
                    {
                        // Subscribing and reading the snapshot happened under the store's gate, so nothing repeats.
                        await WriteEventAsync(context, change, timeout.Token);
                        told = Math.Max(told, change.ResourceVersion);
                        left--;
                        continue;
                    }

                    if (BookmarkVersion(subscription) is not { } version)
                    {
                        continue; // a change came in meanwhile: it goes first
                    }

                    await WriteBookmarkAsync(context, target.Type, version, timeout.Token);
                    bookmarkDue = DateTime.UtcNow + bookmarks;
                    if (version > told && fault is { CloseWatchAfterNewBookmark: true })
                    {
                        return;
                    }

                    told = Math.Max(told, version);
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

    /// <summary>The next change for the watcher, or null when none came before <paramref name="bookmarkDue"/>.</summary>
    private static async Task<WatchEvent?> NextEventAsync(ChannelReader<WatchEvent> events, DateTime? bookmarkDue, CancellationToken cancellationToken)
    {
        if (bookmarkDue is null)
        {
            return await events.ReadAsync(cancellationToken);
        }

        if (events.TryRead(out var ready))
        {
            return ready;
        }

        var wait = bookmarkDue.Value - DateTime.UtcNow;
        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(wait);
        try
        {
            return await events.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// The store's resourceVersion, when the watcher has been sent every change up to it: changes are published
    /// under the store's gate, so with none waiting for this watcher there, none it matches is older. Null when one is waiting.
    /// This counts changes the watcher's selectors filter out, as a real server's bookmark does.
    /// </summary>
    private long? BookmarkVersion(WatchHub.Subscription subscription)
    {
        lock (store.Gate)
        {
            return subscription.Events.TryPeek(out _) ? null : store.ResourceVersion;
        }
    }

    /// <summary>A BOOKMARK event: an object of the watched kind with only its resourceVersion, as a real server sends.</summary>
    private static Task WriteBookmarkAsync(HttpContext context, ResourceType type, long resourceVersion, CancellationToken cancellationToken)
    {
        var bookmark = new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
        };
        return WriteLineAsync(context, new JsonObject { ["type"] = "BOOKMARK", ["object"] = bookmark }, cancellationToken);
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
