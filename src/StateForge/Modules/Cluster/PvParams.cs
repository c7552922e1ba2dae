namespace StateForge.Modules.Cluster;

public enum ObjectState
{
    Present,
    Absent,
}

public enum ReclaimPolicy
{
    Retain,
    Delete,
    Recycle,
}

[MutuallyExclusive("nfs", "host_path")]
public sealed record PvParams : KubeConnectionParams
{
    [Param("Name of the PersistentVolume.", Required = true)]
    public string Name { get; init; } = "";

    [Param("present creates or updates the volume; absent deletes it.")]
    public ObjectState State { get; init; } = ObjectState.Present;

    [Param("Size, as a quantity (10Gi, 500Mi).")]
    public string? Capacity { get; init; }

    [Param("Access modes: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.")]
    public IReadOnlyList<string> AccessModes { get; init; } = ["ReadWriteOnce"];

    [Param("An NFS export as the volume's source.")]
    public NfsSource? Nfs { get; init; }

    [Param("A directory on the node as the volume's source (single-node and test clusters).")]
    public HostPathSource? HostPath { get; init; }

    [Param("What happens to the volume when its claim is deleted.")]
    public ReclaimPolicy ReclaimPolicy { get; init; } = ReclaimPolicy.Retain;

    [Param("Storage class the volume belongs to (claims must ask for the same one); empty or omitted means none.")]
    public string? StorageClass { get; init; }

    [Param("Mount options for the volume (e.g. nfsvers=4.1, hard).")]
    public IReadOnlyList<string>? MountOptions { get; init; }

    [Param("Labels of the volume (claims can select them).")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [Param("Delete and create the volume when an immutable field (its source) must change; otherwise such a change fails.")]
    public bool Recreate { get; init; }

    [Param("Seconds to wait for a deleted volume to disappear.")]
    public int WaitTimeout { get; init; } = 60;
}

/// <summary>An NFS export.</summary>
public sealed record NfsSource
{
    [Param("The NFS server's host name or address.", Required = true)]
    public string Server { get; init; } = "";

    [Param("The exported path.", Required = true)]
    public string Path { get; init; } = "";

    [Param("Mount the export read-only.")]
    public bool? ReadOnly { get; init; }
}

/// <summary>A directory on the node.</summary>
public sealed record HostPathSource
{
    [Param("The directory on the node.", Required = true)]
    public string Path { get; init; } = "";

    [Param("What must be at the path: DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.")]
    public string? Type { get; init; }
}
