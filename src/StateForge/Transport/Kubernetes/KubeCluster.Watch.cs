using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;

namespace StateForge.Transport.Kubernetes;

public sealed partial class KubeCluster
{
    /// <summary>
    /// One watch request on one object from <paramref name="resourceVersion"/>: writes its events, then how it
    /// ended, to <paramref name="signals"/>. Never throws but for cancellation.
    /// </summary>
    private async Task WatchOneAsync(
        ResourceType type, string? ns, string name, string? resourceVersion, DateTime deadline, ChannelWriter<WatchSignal> signals, CancellationToken cancellationToken)
    {
        var subject = type.Subject(ns, name);
        var sawEvents = false;
        Exception? streamError = null;
        WatchSignal.Ended end;
        try
        {
            // The server ends the watch at the deadline at the latest (a real one ends it after some minutes anyway).
            var seconds = (int)Math.Clamp(Math.Ceiling((deadline - DateTime.UtcNow).TotalSeconds), 1, 1800);
            var selector = NameSelector(name);
            // The request is answered with the first event (the client peeks one line): it runs under the stream's token, not a request timeout.
            var events = type.Namespaced
                ? Api.CustomObjects.WatchListNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, allowWatchBookmarks: true,
                    fieldSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: e => streamError ??= e, cancellationToken: cancellationToken)
                : Api.CustomObjects.WatchListClusterCustomObjectAsync(type.Group, type.Version, type.Plural, allowWatchBookmarks: true,
                    fieldSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: e => streamError ??= e, cancellationToken: cancellationToken);
            await foreach (var (kind, item) in events.ConfigureAwait(false))
            {
                var obj = JsonPlain.Parse(item);
                var version = obj?.Obj("metadata").Str("resourceVersion");
                if (kind == WatchEventType.Bookmark)
                {
                    // The stream works: a watch that ends after bookmarks only is not backed off as a failed one.
                    sawEvents = true;
                    await signals.WriteAsync(new WatchSignal.Changed(null, version, Bookmark: true), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (obj is null || obj.Name() != name)
                {
                    continue;
                }

                sawEvents = true;
                var live = kind == WatchEventType.Deleted ? null : WithTypeMeta(type, obj);
                await signals.WriteAsync(new WatchSignal.Changed(live, version), cancellationToken).ConfigureAwait(false);
            }

            end = streamError switch
            {
                KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => new(WatchEnd.Gone, null, sawEvents),
                KubernetesException { Status: { } status } => new(WatchEnd.Failed, ApiStatus.From(status.Code ?? 500, KubernetesJson.Serialize(status), subject, Context, WatchRequest(type, ns)), sawEvents),
                _ => new(WatchEnd.Closed, null, sawEvents),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (HttpOperationException e)
        {
            var error = ApiStatus.From(e, subject, Context, WatchRequest(type, ns));
            end = error.StatusCode switch
            {
                (int)HttpStatusCode.Gone => new(WatchEnd.Gone, null, sawEvents),
                (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.NotFound or (int)HttpStatusCode.MethodNotAllowed => new(WatchEnd.Refused, error, sawEvents),
                _ => new(WatchEnd.Failed, error, sawEvents),
            };
        }
        catch (HttpRequestException e)
        {
            end = new(WatchEnd.Failed, retry.Unreachable(subject, e), sawEvents);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Closed before the first event (the client's peek finds no line), reset, or cut: resume from where we are.
            end = new(WatchEnd.Closed, null, sawEvents);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubernetesClientException or JsonException or InvalidOperationException)
        {
            // A stream the client could not read: the wait goes on with a new one, and with its rechecks.
            end = new(WatchEnd.Closed, null, sawEvents);
        }

        signals.TryWrite(end);
    }

    private ApiStatus.Request WatchRequest(ResourceType type, string? ns) => new("watch", type.Plural, type.Namespaced ? ns : null, User);
}

/// <summary>What a watch stream tells the wait: a change of the object, or the end of the stream.</summary>
internal abstract record WatchSignal
{
    /// <summary>The object as an event left it (null: deleted), or with <paramref name="Bookmark"/> only a newer resourceVersion.</summary>
    public sealed record Changed(JsonObject? Object, string? ResourceVersion, bool Bookmark = false) : WatchSignal;

    public sealed record Ended(WatchEnd How, KubeApiException? Error, bool SawEvents) : WatchSignal;
}

internal enum WatchEnd
{
    /// <summary>The stream ended or dropped: resume from the last resourceVersion.</summary>
    Closed,

    /// <summary>410 Gone: the resourceVersion is too old; list again.</summary>
    Gone,

    /// <summary>The server does not watch this type, or the user may not: poll.</summary>
    Refused,

    /// <summary>An error answer; transient ones are resumed with backoff.</summary>
    Failed,
}
