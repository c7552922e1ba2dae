using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

/// <summary>How every cluster module reaches the API server (kubernetes.core's auth options).</summary>
public abstract record KubeConnectionParams
{
    [Param("Kubeconfig file (a KUBECONFIG-style list works too); else the play's `kubeconfig` variable, KUBECONFIG, ~/.kube/config, or the in-cluster service account.")]
    public string? Kubeconfig { get; init; }

    [Param("Kubeconfig context to use; else the play's `context` variable, else the kubeconfig's current context.")]
    public string? Context { get; init; }

    [Param("API server URL, used with api_key instead of a kubeconfig.")]
    public string? Host { get; init; }

    [Param("Bearer token for the API server (with host, or to override the kubeconfig's user).", Secret = true)]
    public string? ApiKey { get; init; }

    [Param("CA certificate file that signed the API server's certificate (else the kubeconfig's).", Aliases = ["ssl_ca_cert"])]
    public string? CaCert { get; init; }

    [Param("Verify the API server's TLS certificate (the default); false turns checking off, and only when written.", Aliases = ["verify_ssl"])]
    public bool? ValidateCerts { get; init; }

    internal KubeConnectionSettings Settings(IReadOnlyDictionary<string, object?> variables) =>
        KubeConnectionSettings.Resolve(Kubeconfig, Context, Host, ApiKey, CaCert, ValidateCerts, variables);
}
