namespace StateForge.Modules.Cluster;

/// <summary>The workload kinds whose pod template carries volumes.</summary>
public enum WorkloadKind
{
    Deployment,
    DeploymentConfig,
    StatefulSet,
    DaemonSet,
    ReplicationController,
}

[MutuallyExclusive("persistent_volume_claim", "empty_dir", "host_path", "config_map", "secret")]
public sealed record VolumeParams : KubeConnectionParams
{
    [Param("Kind of the workload: Deployment, DeploymentConfig, StatefulSet, DaemonSet or ReplicationController.", Required = true)]
    public WorkloadKind Kind { get; init; }

    [Param("Name of the workload.", Required = true)]
    public string Name { get; init; } = "";

    [Param("Namespace of the workload (else the context's namespace, else default).")]
    public string? Namespace { get; init; }

    [Param("Name of the volume in the pod template (oc set volume --name).", Required = true, Aliases = ["vol_name"])]
    public string VolumeName { get; init; } = "";

    [Param("present adds or updates the volume and its mounts; absent removes both.")]
    public ObjectState State { get; init; } = ObjectState.Present;

    [Param("Source: a PersistentVolumeClaim.")]
    public ClaimSource? PersistentVolumeClaim { get; init; }

    [Param("Source: an empty directory that lives as long as the pod (`empty_dir: {}`).")]
    public EmptyDirSource? EmptyDir { get; init; }

    [Param("Source: a directory on the node.")]
    public HostPathSource? HostPath { get; init; }

    [Param("Source: a ConfigMap's keys as files.")]
    public ConfigMapSource? ConfigMap { get; init; }

    [Param("Source: a Secret's keys as files.")]
    public SecretSource? Secret { get; init; }

    [Param("Where the containers mount the volume (oc set volume --mount-path).")]
    public string? MountPath { get; init; }

    [Param("Mount only this path inside the volume.")]
    public string? SubPath { get; init; }

    [Param("Mount the volume read-only.")]
    public bool? ReadOnly { get; init; }

    [Param("Containers that mount it (default: all containers of the pod template).")]
    public IReadOnlyList<string>? Containers { get; init; }

    [Param("Replace an existing volume of that name with another source (or a mount at another path); without it such a task fails.")]
    public bool Overwrite { get; init; }

    [Param("Wait for the rollout the change starts: the DeploymentConfig's new ReplicationController complete, or the Deployment available.")]
    public bool Wait { get; init; }

    [Param("Seconds to wait for the rollout.")]
    public int WaitTimeout { get; init; } = 300;
}

/// <summary>A PersistentVolumeClaim as a volume source.</summary>
public sealed record ClaimSource
{
    [Param("Name of the claim.", Required = true)]
    public string ClaimName { get; init; } = "";

    [Param("Mount the claim read-only.")]
    public bool? ReadOnly { get; init; }
}

/// <summary>An emptyDir volume source.</summary>
public sealed record EmptyDirSource
{
    [Param("Memory for a tmpfs, else the node's disk.", Choices = ["", "Memory"])]
    public string? Medium { get; init; }

    [Param("Most it may hold, as a quantity.")]
    public string? SizeLimit { get; init; }
}

/// <summary>A ConfigMap as a volume source.</summary>
public sealed record ConfigMapSource
{
    [Param("Name of the ConfigMap.", Required = true)]
    public string Name { get; init; } = "";

    [Param("Mode of the files, as an octal string (\"0644\").", IsMode = true)]
    public string? DefaultMode { get; init; }
}

/// <summary>A Secret as a volume source.</summary>
public sealed record SecretSource
{
    [Param("Name of the Secret.", Required = true)]
    public string SecretName { get; init; } = "";

    [Param("Mode of the files, as an octal string (\"0600\").", IsMode = true)]
    public string? DefaultMode { get; init; }
}
