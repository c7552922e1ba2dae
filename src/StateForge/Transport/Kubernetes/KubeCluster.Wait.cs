using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;

namespace StateForge.Transport.Kubernetes;

public sealed partial class KubeCluster
{
    /// <summary>Resource types (apiVersion/plural) whose server refused a watch: their waits poll.</summary>
    private readonly ConcurrentDictionary<string, bool> unwatchable = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits until <paramref name="done"/> holds for the object (null while it does not exist); returns the last
    /// object seen and whether it held. The object is listed once and then watched from that list's
    /// resourceVersion: each event re-evaluates the condition, and so does a periodic recheck
    /// (<see cref="KubeRetryPolicy.WaitRecheck"/>), since a condition may read other objects. A watch that ends
    /// or drops is resumed from the last resourceVersion seen; 410 Gone lists again. Transient failures are
    /// waited out until the deadline; if the server is still failing then, that failure is the error.
    /// A server that does not serve watch for the type (404 or 405), or a user who may not list or watch it (403),
    /// is polled instead, as before.
    /// </summary>
    public async Task<(JsonObject? Last, bool Done)> WaitAsync(
        ResourceType type, string? ns, string name, Func<JsonObject?, ValueTask<bool>> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        if (!unwatchable.ContainsKey(WatchKey(type)))
        {
            var watched = await WatchUntilAsync(type, ns, name, done, timeout, deadline, cancellationToken).ConfigureAwait(false);
            if (watched is { } result)
            {
                return result;
            }
        }

        return await PollUntilAsync(type, ns, name, done, timeout, deadline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait with a watch; null when the server refuses to list or watch the type.</summary>
    private async Task<(JsonObject? Last, bool Done)?> WatchUntilAsync(
        ResourceType type, string? ns, string name, Func<JsonObject?, ValueTask<bool>> done, TimeSpan timeout, DateTime deadline, CancellationToken cancellationToken)
    {
        var policy = RetryPolicy;
        var signals = Channel.CreateUnbounded<WatchSignal>(new UnboundedChannelOptions { SingleReader = true });
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? stream = null;
        JsonObject? live = null;
        string? resourceVersion = null;
        var listed = false;
        var evaluate = false;
        KubeApiException? readFailure = null;   // of the list or the watch
        KubeApiException? checkFailure = null;  // of the condition (it may read other objects)
        var failedStreams = 0;
        var resumeAt = DateTime.MinValue;
        var retryDelay = TimeSpan.FromMilliseconds(100);
        var nextCheck = DateTime.UtcNow + policy.WaitRecheck;
        try
        {
            while (true)
            {
                if (!listed)
                {
                    try
                    {
                        (live, resourceVersion) = await ListOneAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
                        listed = true;
                        evaluate = true;
                        readFailure = null;
                    }
                    catch (KubeApiException e) when (e.StatusCode is 403 or 404 or 405)
                    {
                        // Not listable here (a missing namespace, a user who may only get, a server without list): poll with get.
                        if (e.StatusCode == 405)
                        {
                            unwatchable[WatchKey(type)] = true;
                        }

                        return null;
                    }
                    catch (KubeApiException e) when (e.IsTransient)
                    {
                        readFailure = e;
                    }
                }

                if (evaluate)
                {
                    evaluate = false;
                    nextCheck = DateTime.UtcNow + policy.WaitRecheck;
                    try
                    {
                        if (await done(live).ConfigureAwait(false))
                        {
                            return (live, true);
                        }

                        checkFailure = null;
                    }
                    catch (KubeApiException e) when (e.IsTransient)
                    {
                        checkFailure = e;
                    }
                }

                var now = DateTime.UtcNow;
                if (now >= deadline)
                {
                    if (checkFailure is null && readFailure is not null)
                    {
                        // The last list or watch failed: whether the server is still failing is what a read now says
                        // (a watch cut as it ends at the deadline is no failure of the server's).
                        try
                        {
                            (live, _) = await ListOneAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
                            return (live, await done(live).ConfigureAwait(false));
                        }
                        catch (KubeApiException e) when (e.IsTransient)
                        {
                            readFailure = e;
                        }
                    }

                    var failure = checkFailure ?? readFailure;
                    return failure is null ? (live, false) : throw failure.WithNote($"(while waiting {timeout.TotalSeconds:0}s for it)");
                }

                if (listed && stream is null && now >= resumeAt)
                {
                    stream = Task.Run(() => WatchOneAsync(type, ns, name, resourceVersion, deadline, signals.Writer, stopping.Token), CancellationToken.None);
                }

                // Failures are retried soon (as polling did); otherwise the next event, the recheck or the resume time.
                var wake = checkFailure is not null || !listed ? now + retryDelay : nextCheck;
                if (listed && stream is null && resumeAt < wake)
                {
                    wake = resumeAt;
                }

                if (checkFailure is not null || !listed)
                {
                    retryDelay = TimeSpan.FromMilliseconds(Math.Min(retryDelay.TotalMilliseconds * 1.5, 1000));
                }

                var signal = await NextSignalAsync(signals.Reader, (wake < deadline ? wake : deadline) - now, cancellationToken).ConfigureAwait(false);
                switch (signal)
                {
                    case null:
                        evaluate = listed && (checkFailure is not null || DateTime.UtcNow >= nextCheck);
                        break;
                    case WatchSignal.Changed { Bookmark: true } bookmark:
                        resourceVersion = bookmark.ResourceVersion ?? resourceVersion;
                        break;
                    case WatchSignal.Changed changed:
                        live = changed.Object;
                        resourceVersion = changed.ResourceVersion ?? resourceVersion;
                        objects[Key(type, ns, name)] = live?.CloneObject();
                        readFailure = null;
                        failedStreams = 0;
                        evaluate = true;
                        break;
                    case WatchSignal.Ended ended:
                        stream = null;
                        switch (ended.How)
                        {
                            case WatchEnd.Refused:
                                if (ended.Error?.StatusCode != 403)
                                {
                                    unwatchable[WatchKey(type)] = true;
                                }

                                return null;
                            case WatchEnd.Gone:
                                // Events after our resourceVersion are no longer kept: start over from a fresh list.
                                listed = false;
                                break;
                            case WatchEnd.Failed when ended.Error is { IsTransient: false } error:
                                throw error;
                            default:
                                readFailure = ended.Error ?? (ended.SawEvents ? null : readFailure);
                                failedStreams = ended.SawEvents ? 0 : failedStreams + 1;
                                // A stream that ends at once again and again is backed off, not hammered.
                                resumeAt = failedStreams == 0 ? DateTime.MinValue : DateTime.UtcNow + policy.Backoff(failedStreams, ended.Error?.RetryAfter);
                                break;
                        }

                        break;
                }
            }
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            if (stream is not null)
            {
                await stream.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>The present code path for servers without watch: reads the object until the condition holds.</summary>
    private async Task<(JsonObject? Last, bool Done)> PollUntilAsync(
        ResourceType type, string? ns, string name, Func<JsonObject?, ValueTask<bool>> done, TimeSpan timeout, DateTime deadline, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        JsonObject? live = null;
        while (true)
        {
            KubeApiException? failure = null;
            try
            {
                live = await GetAsync(type, ns, name, cancellationToken, fresh: true).ConfigureAwait(false);
                if (await done(live).ConfigureAwait(false))
                {
                    return (live, true);
                }
            }
            catch (KubeApiException e) when (e.IsTransient)
            {
                failure = e;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return failure is null ? (live, false) : throw failure.WithNote($"(while waiting {timeout.TotalSeconds:0}s for it)");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }
    }

    /// <summary>The object (listed by name, so that the list's resourceVersion can start a watch) and that resourceVersion.</summary>
    private async Task<(JsonObject? Live, string? ResourceVersion)> ListOneAsync(ResourceType type, string? ns, string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref serverReads);
        var selector = NameSelector(name);
        var list = JsonPlain.Parse(await CallAsync(type, ns, name, "list", ct => type.Namespaced
            ? Api.CustomObjects.ListNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, fieldSelector: selector, cancellationToken: ct)
            : Api.CustomObjects.ListClusterCustomObjectAsync(type.Group, type.Version, type.Plural, fieldSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false));
        var live = list?.Arr("items")?.OfType<JsonObject>().FirstOrDefault(o => o.Name() == name);
        live = live is null ? null : WithTypeMeta(type, live.CloneObject());
        objects[Key(type, ns, name)] = live?.CloneObject();
        return (live, list?.Obj("metadata").Str("resourceVersion"));
    }

    private static async Task<WatchSignal?> NextSignalAsync(ChannelReader<WatchSignal> signals, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (signals.TryRead(out var ready))
        {
            return ready;
        }

        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(wait);
        try
        {
            return await signals.ReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>List items come without apiVersion and kind; conditions see objects as a get returns them.</summary>
    private static JsonObject WithTypeMeta(ResourceType type, JsonObject obj)
    {
        obj["apiVersion"] ??= type.ApiVersion;
        obj["kind"] ??= type.Kind;
        return obj;
    }

    private static string NameSelector(string name) => $"metadata.name={name}";

    private static string WatchKey(ResourceType type) => $"{type.ApiVersion}/{type.Plural}";
}
