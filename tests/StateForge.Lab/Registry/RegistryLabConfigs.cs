using StateForge.Templating;

namespace StateForge.Lab.Registry;

/// <summary>
/// The config files the playbook's roles template onto the lab master, rendered here with
/// StateForge's own template engine from the same .j2 files (the nfs_server role's, and
/// tests/lab/registry's stand-in for the registry pod), for the
/// smoke tests that set the NFS path and the registry up by hand.
/// </summary>
public static class RegistryLabConfigs
{
    /// <summary>The chapter's pinned ports: NFS, MOUNT (RPCMOUNTDOPTS), NLM (fs.nfs.nlm_tcpport).</summary>
    public const int NfsPort = 2049;
    public const int MountdPort = 20048;
    public const int NlmPort = 53248;

    /// <summary>rpc.statd (STATDARG="-p 50825"); on Debian 12: [statd] port= in /etc/nfs.conf.</summary>
    public const int StatdPort = 50825;

    /// <summary>rpcbind.</summary>
    public const int PortmapperPort = 111;

    public const int RegistryPort = 5000;
    public const int RegistryDebugPort = 5001;

    /// <summary>Every tcp port the chapter's firewall step opens, in its order.</summary>
    public static IReadOnlyList<int> NfsFirewallPorts { get; } = [PortmapperPort, NfsPort, MountdPort, StatdPort, NlmPort];

    /// <summary>/etc/ganesha/ganesha.conf exporting <paramref name="exportPath"/> with the pinned ports.</summary>
    public static string Ganesha(string exportPath) => Render(RegistryLabAssets.GaneshaConfigTemplate, new Dictionary<string, object?>
    {
        ["nfs_exports"] = new List<object?> { new Dictionary<string, object?> { ["path"] = exportPath, ["clients"] = "*(rw,sync,all_squash)" } },
        ["nfs_port"] = (long)NfsPort,
        ["nfs_mountd_port"] = (long)MountdPort,
        ["nfs_lockd_port"] = (long)NlmPort,
        ["nfs_conf_dropin"] = "/etc/nfs.conf.d/stateforge-ports.conf",
    });

    /// <summary>/etc/docker/registry/config.yml: listen on <paramref name="address"/>:5000 (debug :5001), no auth.</summary>
    public static string DockerRegistry(string address, string storageDirectory = "/var/lib/docker-registry") =>
        Render(RegistryLabAssets.DockerRegistryConfigTemplate, new Dictionary<string, object?>
        {
            ["registry_listen_address"] = address,
            ["registry_port"] = (long)RegistryPort,
            ["registry_debug_port"] = (long)RegistryDebugPort,
            ["registry_storage_dir"] = storageDirectory,
        });

    private static string Render(string template, IReadOnlyDictionary<string, object?> variables) =>
        new ScribanTemplateEngine().RenderFile(File.ReadAllText(template), template, variables);
}
