namespace StateForge.Modules.Cluster;

public sealed record PvcParams : KubeConnectionParams
{
    [Param("Name of the PersistentVolumeClaim.", Required = true)]
    public string Name { get; init; } = "";

    [Param("Namespace of the claim (else the context's namespace, else default).")]
    public string? Namespace { get; init; }

    [Param("present creates the claim (and waits for it to bind); absent deletes it.")]
    public ObjectState State { get; init; } = ObjectState.Present;

    [Param("Access modes the volume must offer: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.")]
    public IReadOnlyList<string> AccessModes { get; init; } = ["ReadWriteOnce"];

    [Param("Storage to request, as a quantity (5Gi); the claim binds to a volume at least that big.", Aliases = ["size"])]
    public string? Request { get; init; }

    [Param("Storage class to ask for; \"\" asks for a volume without a class (no dynamic provisioning).")]
    public string? StorageClass { get; init; }

    [Param("Bind to this PersistentVolume by name.")]
    public string? VolumeName { get; init; }

    [Param("Labels a volume must carry to be chosen (matchLabels).")]
    public IReadOnlyDictionary<string, string>? Selector { get; init; }

    [Param("Labels of the claim.")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [Param("Wait until the claim is Bound (the result names the volume).")]
    public bool Wait { get; init; } = true;

    [Param("Seconds to wait for binding (or for a deleted claim to disappear).")]
    public int WaitTimeout { get; init; } = 120;

    [Param("Delete and create the claim when an immutable field must change; otherwise such a change fails.")]
    public bool Recreate { get; init; }
}
