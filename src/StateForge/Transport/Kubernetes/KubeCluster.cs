using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace StateForge.Transport.Kubernetes;

/// <summary>
/// One cluster connection for a run: the KubernetesClient instance, discovery of kinds, the
/// objects read so far (each read once and reused; writes replace them), and JSON-level
/// verbs with dry run, field manager and readable errors.
/// </summary>
public sealed class KubeCluster : IDisposable
{
    public const string FieldManager = "stateforge";
    private const int ConflictAttempts = 5;

    private readonly ConcurrentDictionary<string, Lazy<Task<V1APIResourceList?>>> discovery = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject?> objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject?> simulated = new(StringComparer.Ordinal);
    private readonly string? defaultNamespace;

    internal KubeCluster(IKubernetes api, string? context, string server, string? defaultNamespace)
    {
        Api = api;
        Context = context;
        Server = server;
        this.defaultNamespace = defaultNamespace;
    }

    public IKubernetes Api { get; }

    /// <summary>The kubeconfig context in use (null for a host/token or in-cluster connection).</summary>
    public string? Context { get; }

    public string Server { get; }

    /// <summary>The context's namespace, else "default".</summary>
    public string DefaultNamespace => string.IsNullOrEmpty(defaultNamespace) ? "default" : defaultNamespace;

    /// <summary>How many reads went to the server (the cache answers the others).</summary>
    public int ServerReads => serverReads;

    private int serverReads;

    public async Task<ResourceType> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        var (group, version) = ResourceType.SplitApiVersion(apiVersion);
        var lazy = discovery.GetOrAdd(apiVersion, _ => new Lazy<Task<V1APIResourceList?>>(() => DiscoverAsync(group, version, cancellationToken)));
        V1APIResourceList? list;
        try
        {
            list = await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            discovery.TryRemove(apiVersion, out _);
            throw;
        }

        var resource = list?.Resources.FirstOrDefault(r => r.Kind == kind && !r.Name.Contains('/', StringComparison.Ordinal));
        return resource is null
            ? throw new KubeApiException(404, "NotFound", $"no matches for kind \"{kind}\" in version \"{apiVersion}\": the API server at {Server} does not serve it", [])
            : new ResourceType(group, version, kind, resource.Name, resource.Namespaced);
    }

    /// <summary>The live object, or null when it does not exist; from the run's cache unless <paramref name="fresh"/>.</summary>
    public async Task<JsonObject?> GetAsync(ResourceType type, string? ns, string name, CancellationToken cancellationToken, bool fresh = false)
    {
        var key = Key(type, ns, name);
        if (!fresh && simulated.TryGetValue(key, out var planned))
        {
            return planned?.CloneObject();
        }

        if (!fresh && objects.TryGetValue(key, out var cached))
        {
            return cached?.CloneObject();
        }

        JsonObject? live;
        try
        {
            Interlocked.Increment(ref serverReads);
            live = JsonPlain.Parse(await CallAsync(type, ns, name, () => type.Namespaced
                ? Api.CustomObjects.GetNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, name, cancellationToken)
                : Api.CustomObjects.GetClusterCustomObjectAsync(type.Group, type.Version, type.Plural, name, cancellationToken)).ConfigureAwait(false));
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            live = null;
        }

        objects[key] = live;
        return live?.CloneObject();
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceType type, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var list = JsonPlain.Parse(await CallAsync(type, ns, null, () => type.Namespaced
            ? Api.CustomObjects.ListNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, labelSelector: labelSelector, cancellationToken: cancellationToken)
            : Api.CustomObjects.ListClusterCustomObjectAsync(type.Group, type.Version, type.Plural, labelSelector: labelSelector, cancellationToken: cancellationToken)).ConfigureAwait(false));
        return [.. list.Arr("items")?.OfType<JsonObject>() ?? []];
    }

    public async Task<JsonObject> CreateAsync(ResourceType type, string? ns, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        var result = JsonPlain.Parse(await CallAsync(type, ns, body.Name(), () => type.Namespaced
            ? Api.CustomObjects.CreateNamespacedCustomObjectAsync(body, type.Group, type.Version, ns, type.Plural, DryRun(dryRun), FieldManager, cancellationToken: cancellationToken)
            : Api.CustomObjects.CreateClusterCustomObjectAsync(body, type.Group, type.Version, type.Plural, DryRun(dryRun), FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false))!;
        return Remember(type, ns, body.Name()!, result, dryRun);
    }

    public async Task<JsonObject> ReplaceAsync(ResourceType type, string? ns, string name, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        var result = JsonPlain.Parse(await CallAsync(type, ns, name, () => type.Namespaced
            ? Api.CustomObjects.ReplaceNamespacedCustomObjectAsync(body, type.Group, type.Version, ns, type.Plural, name, DryRun(dryRun), FieldManager, cancellationToken: cancellationToken)
            : Api.CustomObjects.ReplaceClusterCustomObjectAsync(body, type.Group, type.Version, type.Plural, name, DryRun(dryRun), FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false))!;
        return Remember(type, ns, name, result, dryRun);
    }

    /// <summary>A patch of any type; <paramref name="force"/> is only sent with an apply patch (the server refuses it elsewhere).</summary>
    public async Task<JsonObject> PatchAsync(ResourceType type, string? ns, string name, JsonNode patch, V1Patch.PatchType patchType, bool dryRun, bool force, CancellationToken cancellationToken)
    {
        var body = new V1Patch(patch.ToJsonString(), patchType);
        bool? forceParam = patchType == V1Patch.PatchType.ApplyPatch ? force : null;
        var result = JsonPlain.Parse(await CallAsync(type, ns, name, () => type.Namespaced
            ? Api.CustomObjects.PatchNamespacedCustomObjectAsync(body, type.Group, type.Version, ns, type.Plural, name, DryRun(dryRun), FieldManager, force: forceParam, cancellationToken: cancellationToken)
            : Api.CustomObjects.PatchClusterCustomObjectAsync(body, type.Group, type.Version, type.Plural, name, DryRun(dryRun), FieldManager, force: forceParam, cancellationToken: cancellationToken)).ConfigureAwait(false))!;
        return Remember(type, ns, name, result, dryRun);
    }

    /// <summary>Deletes the object; null when it was already gone.</summary>
    public async Task<JsonObject?> DeleteAsync(ResourceType type, string? ns, string name, bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            var result = JsonPlain.Parse(await CallAsync(type, ns, name, () => type.Namespaced
                ? Api.CustomObjects.DeleteNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, name, propagationPolicy: "Background", dryRun: DryRun(dryRun), cancellationToken: cancellationToken)
                : Api.CustomObjects.DeleteClusterCustomObjectAsync(type.Group, type.Version, type.Plural, name, propagationPolicy: "Background", dryRun: DryRun(dryRun), cancellationToken: cancellationToken)).ConfigureAwait(false));
            if (!dryRun)
            {
                // Finalizers may keep it a while: the next read asks the server.
                objects.TryRemove(Key(type, ns, name), out _);
            }

            return result;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            Forget(type, ns, name);
            return null;
        }
    }

    /// <summary>Runs an update that read the object first; on 409 Conflict (a stale resourceVersion) forgets the cached object and runs it again, a few times.</summary>
    public async Task<T> RetryOnConflictAsync<T>(ResourceType type, string? ns, string name, Func<int, Task<T>> update, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await update(attempt).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsUpdateConflict && attempt < ConflictAttempts)
            {
                Forget(type, ns, name);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the object from the server until <paramref name="done"/> holds; returns the last object read and whether it held.</summary>
    public async Task<(JsonObject? Last, bool Done)> WaitAsync(
        ResourceType type, string? ns, string name, Func<JsonObject?, ValueTask<bool>> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var live = await GetAsync(type, ns, name, cancellationToken, fresh: true).ConfigureAwait(false);
            if (await done(live).ConfigureAwait(false))
            {
                return (live, true);
            }

            if (DateTime.UtcNow >= deadline)
            {
                return (live, false);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }
    }

    /// <summary>Namespaces a plan of this run said it would create: objects planned into them cannot be dry-run yet.</summary>
    public ConcurrentDictionary<string, bool> PlannedNamespaces { get; } = new(StringComparer.Ordinal);

    public void Forget(ResourceType type, string? ns, string name) => objects.TryRemove(Key(type, ns, name), out _);

    /// <summary>
    /// Check mode: what a planned write (or, with null, a planned delete) would leave, so that
    /// later tasks of the run plan against it (a volume added to a Deployment an earlier task
    /// would create) instead of against the cluster as it is. Reads (not fresh ones) see it.
    /// </summary>
    public void Simulate(ResourceType type, string? ns, string name, JsonObject? predicted) =>
        simulated[Key(type, ns, name)] = predicted?.CloneObject();

    /// <summary>Whether the object as reads see it is only planned, not on the server (check mode).</summary>
    public bool IsSimulated(ResourceType type, string? ns, string name) => simulated.ContainsKey(Key(type, ns, name));

    public void Dispose() => Api.Dispose();

    private JsonObject Remember(ResourceType type, string? ns, string name, JsonObject result, bool dryRun)
    {
        if (!dryRun)
        {
            objects[Key(type, ns, name)] = result.CloneObject();
            simulated.TryRemove(Key(type, ns, name), out _);
        }

        return result;
    }

    private async Task<T> CallAsync<T>(ResourceType type, string? ns, string? name, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw ApiStatus.From(e, type.Subject(ns, name), Context);
        }
        catch (HttpRequestException e)
        {
            throw new KubeApiException(0, "Unreachable", $"{type.Subject(ns, name)}: cannot reach the API server at {Server}{ContextText}: {Inner(e)}", []);
        }
    }

    private async Task<V1APIResourceList?> DiscoverAsync(string group, string version, CancellationToken cancellationToken)
    {
        try
        {
            return await Api.CustomObjects.GetAPIResourcesAsync(group, version, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            throw ApiStatus.From(e, new ApiStatus.Subject(group.Length == 0 ? version : $"{group}/{version}", null, null), Context);
        }
        catch (HttpRequestException e)
        {
            throw new KubeApiException(0, "Unreachable", $"cannot reach the API server at {Server}{ContextText}: {Inner(e)}", []);
        }
    }

    private string ContextText => Context is null ? "" : $" (context \"{Context}\")";

    private static string Inner(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private static string? DryRun(bool dryRun) => dryRun ? "All" : null;

    private static string Key(ResourceType type, string? ns, string name) => $"{type.ApiVersion}/{type.Kind}/{(type.Namespaced ? ns : "")}/{name}";
}
