using System.Globalization;

namespace StateForge.Transport.Kubernetes;

/// <summary>
/// Where a cluster module connects: a kubeconfig (and context), or a host with a token, or the
/// in-cluster service account. Built from the module's parameters first, then the play's
/// variables (`kubeconfig`, `context`, `k8s_auth_*`), then KUBECONFIG and ~/.kube/config.
/// </summary>
public sealed record KubeConnectionSettings
{
    /// <summary>Kubeconfig files, merged in order as KUBECONFIG lists them; empty for host or in-cluster.</summary>
    public IReadOnlyList<string> Kubeconfig { get; init; } = [];

    public string? Context { get; init; }

    public string? Host { get; init; }

    public string? ApiKey { get; init; }

    public string? CaCert { get; init; }

    /// <summary>False only when the user wrote `validate_certs: false`.</summary>
    public bool? ValidateCerts { get; init; }

    /// <summary>True when no kubeconfig was found and the in-cluster service account is used.</summary>
    public bool InCluster { get; init; }

    /// <summary>The play or inventory variables a connection may come from.</summary>
    public static IReadOnlyList<string> VariableNames { get; } =
        ["kubeconfig", "context", "k8s_auth_kubeconfig", "k8s_auth_context", "k8s_auth_host", "k8s_auth_api_key", "k8s_auth_ca_cert"];

    /// <summary>The cache key: one client per distinct connection in a run.</summary>
    public string Key => string.Join('|', string.Join(Path.PathSeparator, Kubeconfig), Context, Host, ApiKey?.GetHashCode(StringComparison.Ordinal).ToString(CultureInfo.InvariantCulture), CaCert, ValidateCerts, InCluster);

    /// <summary>Where the connection comes from, for messages.</summary>
    public string Describe() =>
        Host is not null ? $"host {Host}"
        : InCluster ? "the in-cluster service account"
        : $"kubeconfig {string.Join(Path.PathSeparator, Kubeconfig)}" + (Context is null ? "" : $" (context \"{Context}\")");

    /// <summary>
    /// Resolves the connection from what the task says (<paramref name="explicitKubeconfig"/> …),
    /// then the variables, then the environment.
    /// </summary>
    public static KubeConnectionSettings Resolve(
        string? explicitKubeconfig, string? context, string? host, string? apiKey, string? caCert, bool? validateCerts,
        IReadOnlyDictionary<string, object?> variables, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        environment ??= Environment.GetEnvironmentVariable;
        string? Var(params string[] names) => names.Select(n => variables.TryGetValue(n, out var v) ? v as string : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        string? Env(string name) => environment(name) is { Length: > 0 } v ? v : null;

        var settings = new KubeConnectionSettings
        {
            Context = context ?? Var("context", "k8s_auth_context") ?? Env("K8S_AUTH_CONTEXT"),
            Host = host ?? Var("k8s_auth_host") ?? Env("K8S_AUTH_HOST"),
            ApiKey = apiKey ?? Var("k8s_auth_api_key") ?? Env("K8S_AUTH_API_KEY"),
            CaCert = caCert ?? Var("k8s_auth_ca_cert") ?? Env("K8S_AUTH_SSL_CA_CERT"),
            ValidateCerts = validateCerts,
        };
        if (settings.Host is not null && settings.ApiKey is not null)
        {
            return settings;
        }

        var kubeconfig = explicitKubeconfig ?? Var("kubeconfig", "k8s_auth_kubeconfig") ?? Env("K8S_AUTH_KUBECONFIG") ?? Env("KUBECONFIG");
        if (kubeconfig is not null)
        {
            return settings with { Kubeconfig = [.. kubeconfig.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(Expand)] };
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(home) || !k8s.KubernetesClientConfiguration.IsInCluster())
        {
            return settings with { Kubeconfig = [home] };
        }

        return settings with { InCluster = true };
    }

    private static string Expand(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
