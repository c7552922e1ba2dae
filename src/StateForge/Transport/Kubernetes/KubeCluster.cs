using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace StateForge.Transport.Kubernetes;

/// <summary>
/// One cluster connection for a run: the KubernetesClient instance, discovery of kinds, the
/// objects read so far (each read once and reused; writes replace them), and JSON-level
/// verbs with dry run, field manager and readable errors.
/// </summary>
public sealed partial class KubeCluster : IDisposable
{
    public const string FieldManager = "stateforge";

    private readonly ConcurrentDictionary<string, Lazy<Task<V1APIResourceList?>>> discovery = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject?> objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject?> simulated = new(StringComparer.Ordinal);
    private readonly string? defaultNamespace;
    private readonly ApiRetry retry;

    internal KubeCluster(IKubernetes api, string? context, string server, string? defaultNamespace, string? user = null)
    {
        Api = api;
        Context = context;
        Server = server;
        User = user;
        this.defaultNamespace = defaultNamespace;
        retry = new ApiRetry(server, context, user);
    }

    public IKubernetes Api { get; }

    /// <summary>The kubeconfig context in use (null for a host/token or in-cluster connection).</summary>
    public string? Context { get; }

    public string Server { get; }

    /// <summary>The kubeconfig user of the context, when known (for auth errors).</summary>
    public string? User { get; }

    /// <summary>Retries and timeouts of this connection's API calls.</summary>
    public KubeRetryPolicy RetryPolicy
    {
        get => retry.Policy;
        set => retry.Policy = value ?? throw new ArgumentNullException(nameof(value));
    }

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
            live = JsonPlain.Parse(await CallAsync(type, ns, name, "get", ct => type.Namespaced
                ? Api.CustomObjects.GetNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, name, ct)
                : Api.CustomObjects.GetClusterCustomObjectAsync(type.Group, type.Version, type.Plural, name, ct), cancellationToken).ConfigureAwait(false));
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
        var list = JsonPlain.Parse(await CallAsync(type, ns, null, "list", ct => type.Namespaced
            ? Api.CustomObjects.ListNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, labelSelector: labelSelector, cancellationToken: ct)
            : Api.CustomObjects.ListClusterCustomObjectAsync(type.Group, type.Version, type.Plural, labelSelector: labelSelector, cancellationToken: ct), cancellationToken).ConfigureAwait(false));
        return [.. list.Arr("items")?.OfType<JsonObject>() ?? []];
    }

    /// <summary>
    /// Creates the object. A create is not idempotent, yet it is retried like the other calls: when an
    /// attempt whose answer was lost had in fact created the object, the next one meets 409 AlreadyExists,
    /// and the object is then read and returned as the result of this create.
    /// </summary>
    public async Task<JsonObject> CreateAsync(ResourceType type, string? ns, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        var name = body.Name()!;
        var maybeCreated = false;
        object answer;
        try
        {
            answer = await CallAsync(type, ns, name, "create", ct => type.Namespaced
                ? Api.CustomObjects.CreateNamespacedCustomObjectAsync(body, type.Group, type.Version, ns, type.Plural, DryRun(dryRun), FieldManager, cancellationToken: ct)
                : Api.CustomObjects.CreateClusterCustomObjectAsync(body, type.Group, type.Version, type.Plural, DryRun(dryRun), FieldManager, cancellationToken: ct),
                cancellationToken, onRetry: e => maybeCreated |= e.MaybeProcessed && !dryRun).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists && maybeCreated)
        {
            // Our own lost create (only someone else's create in the same moment would look the same).
            var created = await GetAsync(type, ns, name, cancellationToken, fresh: true).ConfigureAwait(false);
            if (created is null)
            {
                throw;
            }

            return created;
        }

        return Remember(type, ns, name, JsonPlain.Parse(answer)!, dryRun);
    }

    public async Task<JsonObject> ReplaceAsync(ResourceType type, string? ns, string name, JsonObject body, bool dryRun, CancellationToken cancellationToken)
    {
        // Idempotent: the same body again, and with a resourceVersion a second write that did happen meets 409 and is re-read.
        var result = JsonPlain.Parse(await CallAsync(type, ns, name, "update", ct => type.Namespaced
            ? Api.CustomObjects.ReplaceNamespacedCustomObjectAsync(body, type.Group, type.Version, ns, type.Plural, name, DryRun(dryRun), FieldManager, cancellationToken: ct)
            : Api.CustomObjects.ReplaceClusterCustomObjectAsync(body, type.Group, type.Version, type.Plural, name, DryRun(dryRun), FieldManager, cancellationToken: ct), cancellationToken).ConfigureAwait(false))!;
        return Remember(type, ns, name, result, dryRun);
    }

    /// <summary>A patch of any type; <paramref name="force"/> is only sent with an apply patch (the server refuses it elsewhere).</summary>
    public async Task<JsonObject> PatchAsync(ResourceType type, string? ns, string name, JsonNode patch, V1Patch.PatchType patchType, bool dryRun, bool force, CancellationToken cancellationToken)
    {
        var body = new V1Patch(patch.ToJsonString(), patchType);
        bool? forceParam = patchType == V1Patch.PatchType.ApplyPatch ? force : null;
        // Apply, merge and strategic-merge patches state an end result: applying one twice is harmless. A JSON patch is a list of operations.
        var idempotent = dryRun || patchType != V1Patch.PatchType.JsonPatch;
        var result = JsonPlain.Parse(await CallAsync(type, ns, name, "patch", ct => type.Namespaced
            ? Api.CustomObjects.PatchNamespacedCustomObjectAsync(body, type.Group, type.Version, ns, type.Plural, name, DryRun(dryRun), FieldManager, force: forceParam, cancellationToken: ct)
            : Api.CustomObjects.PatchClusterCustomObjectAsync(body, type.Group, type.Version, type.Plural, name, DryRun(dryRun), FieldManager, force: forceParam, cancellationToken: ct),
            cancellationToken, retryWhenMaybeProcessed: idempotent).ConfigureAwait(false))!;
        return Remember(type, ns, name, result, dryRun);
    }

    /// <summary>Deletes the object; null when it was already gone.</summary>
    public async Task<JsonObject?> DeleteAsync(ResourceType type, string? ns, string name, bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            // A retried delete whose first attempt did happen meets 404: gone either way.
            var result = JsonPlain.Parse(await CallAsync(type, ns, name, "delete", ct => type.Namespaced
                ? Api.CustomObjects.DeleteNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, name, propagationPolicy: "Background", dryRun: DryRun(dryRun), cancellationToken: ct)
                : Api.CustomObjects.DeleteClusterCustomObjectAsync(type.Group, type.Version, type.Plural, name, propagationPolicy: "Background", dryRun: DryRun(dryRun), cancellationToken: ct), cancellationToken).ConfigureAwait(false));
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

    /// <summary>
    /// Runs an update that read the object first; on 409 Conflict (a stale resourceVersion) forgets the
    /// cached object and runs it again, up to <see cref="KubeRetryPolicy.ConflictAttempts"/> times in all.
    /// </summary>
    public async Task<T> RetryOnConflictAsync<T>(ResourceType type, string? ns, string name, Func<int, Task<T>> update, CancellationToken cancellationToken)
    {
        var policy = RetryPolicy;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await update(attempt).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsUpdateConflict)
            {
                Forget(type, ns, name);
                if (attempt >= policy.ConflictAttempts)
                {
                    throw e.WithNote($"(still conflicting after {attempt} attempts, each from a fresh read: something else keeps changing it)");
                }

                await policy.Sleep(policy.ConflictDelay * attempt, cancellationToken).ConfigureAwait(false);
            }
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

    private Task<T> CallAsync<T>(
        ResourceType type, string? ns, string? name, string verb, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken,
        bool retryWhenMaybeProcessed = true, Action<KubeApiException>? onRetry = null) =>
        retry.RunAsync(type.Subject(ns, name), verb, type.Plural, type.Namespaced ? ns : null, retryWhenMaybeProcessed, call, onRetry, cancellationToken);

    private async Task<V1APIResourceList?> DiscoverAsync(string group, string version, CancellationToken cancellationToken)
    {
        var groupVersion = group.Length == 0 ? version : $"{group}/{version}";
        try
        {
            return await retry.RunAsync(new ApiStatus.Subject($"discovery of {groupVersion}", null, null), "get", $"the resource list of {groupVersion}", null, true,
                ct => Api.CustomObjects.GetAPIResourcesAsync(group, version, ct), null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private static string? DryRun(bool dryRun) => dryRun ? "All" : null;

    private static string Key(ResourceType type, string? ns, string name) => $"{type.ApiVersion}/{type.Kind}/{(type.Namespaced ? ns : "")}/{name}";
}
