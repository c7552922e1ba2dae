using System.Text.Json.Nodes;

namespace StateForge.KubeApiServer.Resources.Kinds;

/// <summary>The "exactly one volume source" rule shared by pod volumes and PersistentVolumes.</summary>
internal static class VolumeSources
{
    /// <summary>Pod volume sources, in the order the real validation checks them.</summary>
    public static readonly string[] Pod =
    [
        "hostPath", "emptyDir", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi",
        "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "downwardAPI",
        "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
        "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
    ];

    /// <summary>PersistentVolume sources, in the order the real validation checks them.</summary>
    public static readonly string[] Persistent =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd", "quobyte",
        "cinder", "cephfs", "iscsi", "fc", "azureFile", "flexVolume", "azureDisk", "photonPersistentDisk",
        "portworxVolume", "scaleIO", "local", "storageos", "csi", "vsphereVolume",
    ];

    public static IEnumerable<FieldError> CheckExactlyOne(JsonObject holder, string[] sources, string path)
    {
        var present = sources.Where(s => holder[s] is not null).ToList();
        if (present.Count == 0)
        {
            yield return FieldError.Required(path, "must specify a volume type");
        }

        foreach (var extra in present.Skip(1))
        {
            yield return FieldError.Forbidden(Join(path, extra), "may not specify more than 1 volume type");
        }
    }

    private static string Join(string path, string child) => path.Length == 0 ? child : $"{path}.{child}";
}
