namespace StateForge.Modules.Cluster;

public sealed record K8sInfoParams : KubeConnectionParams
{
    [Param("apiVersion of the objects (e.g. v1, apps/v1, apps.openshift.io/v1).", Aliases = ["api", "version"])]
    public string ApiVersion { get; init; } = "v1";

    [Param("Kind of the objects (e.g. Service, DeploymentConfig).", Required = true)]
    public string Kind { get; init; } = "";

    [Param("Name of one object; without it, every object of the kind (filtered by label_selectors).")]
    public string? Name { get; init; }

    [Param("Namespace to look in (namespaced kinds); without it, the context's namespace, else default.")]
    public string? Namespace { get; init; }

    [Param("Label selectors the objects must match, each like `app=registry` or `tier!=db` (all must hold).")]
    public IReadOnlyList<string>? LabelSelectors { get; init; }
}
