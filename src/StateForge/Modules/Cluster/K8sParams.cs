namespace StateForge.Modules.Cluster;

public enum K8sState
{
    Present,
    Absent,
}

[MutuallyExclusive("definition", "src", "template")]
public sealed record K8sParams : KubeConnectionParams
{
    [Param("present creates or updates the objects; absent deletes them.")]
    public K8sState State { get; init; } = K8sState.Present;

    [Param("The objects, inline: one mapping, a list of mappings, or YAML text (multi-document).", Aliases = ["resource_definition"])]
    public object? Definition { get; init; }

    [Param("A manifest file on the controller (multi-document YAML or JSON), looked up under files/ like copy's src.")]
    public string? Src { get; init; }

    [Param("A manifest template under templates/, rendered with the play's variables first.")]
    public string? Template { get; init; }

    [Param("Namespace for namespaced objects whose definition names none (else the context's namespace, else default).")]
    public string? Namespace { get; init; }

    [Param("apiVersion of the object when no definition is given (e.g. to delete by kind and name).", Aliases = ["api", "version"])]
    public string ApiVersion { get; init; } = "v1";

    [Param("Kind of the object when no definition is given.")]
    public string? Kind { get; init; }

    [Param("Name of the object when no definition is given.")]
    public string? Name { get; init; }

    [Param("Write with server-side apply (field manager `stateforge`), the default; false patches with merge_type instead.")]
    public bool Apply { get; init; } = true;

    [Param("The patch used when apply is false: strategic-merge (built-in kinds) or merge (JSON merge patch, for custom resources).", Choices = ["strategic-merge", "merge"])]
    public string MergeType { get; init; } = "strategic-merge";

    [Param("With apply: take over fields other managers own (force conflicts). Without apply: replace the whole object (PUT) instead of patching.")]
    public bool Force { get; init; }

    [Param("Wait until each object is ready: Deployment available, DeploymentConfig rolled out, PVC bound, Pod ready; with state absent, until it is gone.")]
    public bool Wait { get; init; }

    [Param("Wait for this status condition instead of the kind's own readiness (implies wait).")]
    public WaitCondition? WaitCondition { get; init; }

    [Param("Seconds to wait before failing.")]
    public int WaitTimeout { get; init; } = 120;
}

/// <summary>A status condition to wait for.</summary>
public sealed record WaitCondition
{
    [Param("The condition's type (e.g. Available, Ready, Complete).", Required = true)]
    public string Type { get; init; } = "";

    [Param("The status it must have: True (default), False or Unknown.", Choices = ["True", "False", "Unknown"])]
    public string? Status { get; init; }

    [Param("The reason it must give, when it matters.")]
    public string? Reason { get; init; }
}
