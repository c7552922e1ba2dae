using StateForge.Modules.Cluster;

namespace StateForge.Cluster.Tests.Support;

/// <summary>Objects and task parameters several test classes use the same way.</summary>
internal static class TestObjects
{
    /// <summary>The claim "db" in default, and its collection (where a wait lists and watches).</summary>
    public const string ClaimPath = "/api/v1/namespaces/default/persistentvolumeclaims/db";

    public const string Claims = "/api/v1/namespaces/default/persistentvolumeclaims";

    /// <summary>A volume the claim "db" can bind to.</summary>
    public const string Volume = """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: db-volume
        spec:
          capacity:
            storage: 1Gi
          accessModes: [ReadWriteOnce]
          nfs:
            server: nfs.example.com
            path: /exports/db
        """;

    /// <summary>The claim "db", waited on until Bound.</summary>
    public static readonly PvcParams WaitedClaim = new() { Name = "db", Namespace = "default", Request = "1Gi", AccessModes = ["ReadWriteOnce"], Wait = true, WaitTimeout = 60 };

    /// <summary>The registry's emptyDir swapped for registry-claim, as `oc set volume --overwrite` does.</summary>
    public static readonly VolumeParams RegistrySwap = new()
    {
        Kind = WorkloadKind.DeploymentConfig,
        Name = "docker-registry",
        Namespace = "default",
        VolumeName = "registry-storage",
        PersistentVolumeClaim = new ClaimSource { ClaimName = "registry-claim" },
        MountPath = "/registry",
        Overwrite = true,
    };
}
