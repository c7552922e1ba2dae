namespace StateForge.Lab.Registry;

/// <summary>How to start a <see cref="RegistryLab"/>; every value has a default that suits the e2e test.</summary>
public sealed record RegistryLabOptions
{
    /// <summary>Where the lab keeps its inventory, kubeconfig and hosts; a new directory under
    /// the temp directory when null. Removed on dispose.</summary>
    public string? Directory { get; init; }

    /// <summary>The export directory on the master (the chapter's /var/export/regvol). The lab
    /// bind-mounts a plain directory (the master's /srv/regvol) there: nfs-ganesha cannot export
    /// the master's overlay root. The directory exists, owned by root, mode 0755, so the playbook
    /// still has its owner and mode to change.</summary>
    public string ExportPath { get; init; } = "/var/export/regvol";

    /// <summary>
    /// Whether installing a package starts its services, as Debian's maintainer scripts do.
    /// False (default): every host gets a /usr/sbin/policy-rc.d that answers 101, so a package
    /// install leaves its services enabled but stopped, as a RHEL package does, and starting
    /// them is the playbook's step, as in the chapter. (policy-rc.d binds only invoke-rc.d and
    /// deb-systemd-invoke, which maintainer scripts use; systemctl is not affected.)
    /// </summary>
    public bool PackagesStartServices { get; init; }

    /// <summary>The API test server's PV binder delay.</summary>
    public TimeSpan BinderDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>New tcp connections the master's INPUT chain accepts from the start (policy
    /// DROP for everything else): ssh, and the registry's API and debug ports, which on OpenShift
    /// belong to a pod on the cluster network rather than to the master's host firewall.
    /// The NFS ports are for the playbook to open.</summary>
    public IReadOnlyList<int> MasterOpenTcpPorts { get; init; } = [22, RegistryLabConfigs.RegistryPort, RegistryLabConfigs.RegistryDebugPort];

    /// <summary>
    /// Ports of an OS_FIREWALL_ALLOW chain the master already has, as an OpenShift 3 master does
    /// (8443 for its API): the chain, its rules and INPUT's jump to it before a final REJECT.
    /// Empty (default): no such chain, the playbook creates it. With ports, the playbook's rules
    /// must land at the top of the existing chain, before these.
    /// </summary>
    public IReadOnlyList<int> MasterAllowChainTcpPorts { get; init; } = [];
}
