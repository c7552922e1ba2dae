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

    /// <summary>Retries of an API call after a transient failure (`stateforge_k8s_retries`); null: the policy's.</summary>
    public int? ApiRetries { get; init; }

    /// <summary>How long one API request may take (`stateforge_k8s_timeout`, seconds); null: the policy's.</summary>
    public TimeSpan? ApiTimeout { get; init; }

    /// <summary>The play or inventory variables a connection may come from.</summary>
    public static IReadOnlyList<string> VariableNames { get; } =
        ["kubeconfig", "context", "k8s_auth_kubeconfig", "k8s_auth_context", "k8s_auth_host", "k8s_auth_api_key", "k8s_auth_ca_cert", RetriesVariable, TimeoutVariable];

    /// <summary>Play or inventory variable (or STATEFORGE_K8S_RETRIES): retries after a transient API failure, 0–20.</summary>
    public const string RetriesVariable = "stateforge_k8s_retries";

    /// <summary>Play or inventory variable (or STATEFORGE_K8S_TIMEOUT): seconds one API request may take, 1–3600.</summary>
    public const string TimeoutVariable = "stateforge_k8s_timeout";

    /// <summary>The cache key: one client per distinct connection in a run.</summary>
    public string Key => string.Join('|', string.Join(Path.PathSeparator, Kubeconfig), Context, Host, ApiKey?.GetHashCode(StringComparison.Ordinal).ToString(CultureInfo.InvariantCulture), CaCert, ValidateCerts, InCluster, ApiRetries, ApiTimeout);

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
            ApiRetries = Number(RetriesVariable, variables, Env("STATEFORGE_K8S_RETRIES"), 0, 20, whole: true) is { } retries ? (int)retries : null,
            ApiTimeout = Number(TimeoutVariable, variables, Env("STATEFORGE_K8S_TIMEOUT"), 1, 3600, whole: false) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
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

    /// <summary>The retry policy with this connection's retries and timeout, where it sets them.</summary>
    public KubeRetryPolicy Apply(KubeRetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy with
        {
            Attempts = ApiRetries is { } retries ? retries + 1 : policy.Attempts,
            RequestTimeout = ApiTimeout ?? policy.RequestTimeout,
        };
    }

    /// <summary>A variable's number (a YAML number or a numeric string), else the environment's; a bad value is a FormatException naming the variable.</summary>
    private static double? Number(string name, IReadOnlyDictionary<string, object?> variables, string? environment, double min, double max, bool whole)
    {
        var (raw, source) = variables.TryGetValue(name, out var value) && value is not null
            ? (Convert.ToString(value, CultureInfo.InvariantCulture), name)
            : (environment, name.ToUpperInvariant());
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < min || number > max ||
            (whole && number != Math.Floor(number)))
        {
            throw new FormatException($"{source} must be {(whole ? "a whole number" : "a number of seconds")} from {min} to {max}, not '{raw}'");
        }

        return number;
    }

    private static string Expand(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
