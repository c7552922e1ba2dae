namespace StateForge.Modules.Host;

public enum SysctlState
{
    Present,
    Absent,
}

public sealed record SysctlParams
{
    [Param("The key, dotted (net.ipv4.ip_forward) or with slashes (net/ipv4/conf/eth0.100/rp_filter), as sysctl(8) takes it.", Required = true, Aliases = ["key"])]
    public string Name { get; init; } = "";

    [Param("The value (required with state present); yes/true/on mean 1 and no/false/off 0, as in Ansible. Compared with " +
           "whitespace normalised (net.ipv4.ip_local_port_range: '32768 60999').", Aliases = ["val"])]
    public string? Value { get; init; }

    [Param("present: the file assigns value to the key (the last assignment wins, as for sysctl -p); absent: no assignment " +
           "of the key is left in the file (the running value is left as it is).")]
    public SysctlState State { get; init; } = SysctlState.Present;

    [Param("The file that persists the key: /etc/sysctl.conf or a file in /etc/sysctl.d/.")]
    public string SysctlFile { get; init; } = "/etc/sysctl.conf";

    [Param("Also keep the running value in step: compared by itself (its own drift) and set with `sysctl -w` of this " +
           "key only (never `sysctl -p` of the whole file), verified by reading /proc/sys back.")]
    public bool Reload { get; init; } = true;

    [Param("Ansible's sysctl_set: manage the running value even with reload false.")]
    public bool SysctlSet { get; init; }

    [Param("A key the running kernel lacks (fs.nfs.nlm_tcpport before lockd is loaded) is persisted to the file with a " +
           "warning instead of failing the task.", Aliases = ["ignoreerrors"])]
    public bool IgnoreMissing { get; init; }
}
