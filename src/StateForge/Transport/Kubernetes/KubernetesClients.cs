using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace StateForge.Transport.Kubernetes;

/// <summary>
/// The run's Kubernetes connections (a run service: `context.Services.Get&lt;KubernetesClients&gt;()`):
/// one client per cluster connection for the whole run, each with its object cache.
/// </summary>
public sealed class KubernetesClients : IDisposable
{
    private readonly ConcurrentDictionary<string, (KubeConnectionSettings Settings, Lazy<KubeCluster> Cluster)> clusters = new(StringComparer.Ordinal);
    private KubeRetryPolicy retryPolicy = KubeRetryPolicy.Default;

    /// <summary>Retries and timeouts for every connection of the run, those made already included.</summary>
    public KubeRetryPolicy RetryPolicy
    {
        get => retryPolicy;
        set
        {
            retryPolicy = value ?? throw new ArgumentNullException(nameof(value));
            foreach (var (settings, lazy) in clusters.Values.Where(c => c.Cluster.IsValueCreated))
            {
                lazy.Value.RetryPolicy = settings.Apply(value);
            }
        }
    }

    /// <summary>The cluster for these settings, connecting on first use; throws <see cref="KubeConfigException"/> when the config is unusable.</summary>
    public KubeCluster Get(KubeConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lazy = clusters.GetOrAdd(settings.Key, _ => (settings, new Lazy<KubeCluster>(() => Connect(settings, settings.Apply(retryPolicy)), LazyThreadSafetyMode.ExecutionAndPublication))).Cluster;
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A broken kubeconfig may be fixed by a later task (e.g. one that writes it): don't cache the failure.
            clusters.TryRemove(settings.Key, out _);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var (_, lazy) in clusters.Values.Where(c => c.Cluster.IsValueCreated))
        {
            lazy.Value.Dispose();
        }

        clusters.Clear();
    }

    private static KubeCluster Connect(KubeConnectionSettings settings, KubeRetryPolicy policy)
    {
        var (config, user) = BuildConfig(settings);
        if (settings.ValidateCerts == false)
        {
            config.SkipTlsVerify = true;
        }

        if (settings.CaCert is not null)
        {
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(settings.CaCert);
            config.SslCaCerts = bundle;
        }

        var context = settings.Host is not null ? null : settings.InCluster ? null : config.CurrentContext;
        // The policy's per-attempt timeout bounds each request; the client's own must not cut in first.
        config.HttpClientTimeout = policy.RequestTimeout + TimeSpan.FromSeconds(5);
        return new KubeCluster(new k8s.Kubernetes(config), context, config.Host, config.Namespace, user) { RetryPolicy = policy };
    }

    /// <summary>The client configuration, and the kubeconfig user of the context (null for host/token and in-cluster).</summary>
    private static (KubernetesClientConfiguration Config, string? User) BuildConfig(KubeConnectionSettings settings)
    {
        if (settings.Host is not null && settings.ApiKey is not null)
        {
            return (new KubernetesClientConfiguration { Host = settings.Host, AccessToken = settings.ApiKey }, null);
        }

        if (settings.InCluster)
        {
            return (KubernetesClientConfiguration.InClusterConfig(), null);
        }

        var missing = settings.Kubeconfig.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new KubeConfigException($"kubeconfig {string.Join(", ", missing)} does not exist; give `kubeconfig:` (module parameter or play variable) or set KUBECONFIG");
        }

        var merged = Merge(settings.Kubeconfig.Select(p => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(p), useRelativePaths: true)).ToList());
        if (settings.Context is not null && merged.Contexts?.All(c => c.Name != settings.Context) != false)
        {
            var known = string.Join(", ", merged.Contexts?.Select(c => c.Name) ?? []);
            throw new KubeConfigException($"context \"{settings.Context}\" is not in {string.Join(", ", settings.Kubeconfig)} (it has: {known})");
        }

        var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, settings.Context, settings.Host);
        if (settings.ApiKey is not null)
        {
            config.AccessToken = settings.ApiKey;
        }

        var user = merged.Contexts?.FirstOrDefault(c => c.Name == config.CurrentContext)?.ContextDetails?.User;
        return (config, user);
    }

    /// <summary>Merges kubeconfigs the way KUBECONFIG lists do: the first file to name a cluster, user, context or current context wins.</summary>
    private static K8SConfiguration Merge(List<K8SConfiguration> configs)
    {
        var first = configs[0];
        foreach (var next in configs.Skip(1))
        {
            first.CurrentContext ??= next.CurrentContext;
            first.Clusters = [.. (first.Clusters ?? []).Concat(next.Clusters ?? []).DistinctBy(c => c.Name)];
            first.Users = [.. (first.Users ?? []).Concat(next.Users ?? []).DistinctBy(u => u.Name)];
            first.Contexts = [.. (first.Contexts ?? []).Concat(next.Contexts ?? []).DistinctBy(c => c.Name)];
        }

        return first;
    }
}
