namespace StateForge.Modules.Host;

public enum IptablesStateState
{
    Saved,
    Restored,
}

public enum IptablesIpVersion
{
    Ipv4,
    Ipv6,
}

public sealed record IptablesStateParams
{
    [Param("saved: the file holds what iptables-save prints (dates of the header comments and, unless counters, the counters " +
           "normalised away); written only when that differs from the file. restored: the runtime tables hold what the file " +
           "says (iptables-restore, run only when a table differs).", Required = true)]
    public IptablesStateState? State { get; init; }

    [Param("The rules file (iptables-save format) on the host: written with state saved (a new file is mode 0600, its " +
           "directories created), read with state restored. An absolute path; taken literally.", Required = true)]
    public string Path { get; init; } = "";

    [Param("Only this table: saved with `iptables-save --table`, restored with `iptables-restore --table` (it must be in the file). Default: every table.")]
    public IptablesTableName? Table { get; init; }

    [Param("ipv4: iptables-save and iptables-restore; ipv6: ip6tables-save and ip6tables-restore.")]
    public IptablesIpVersion IpVersion { get; init; } = IptablesIpVersion.Ipv4;

    [Param("Keep the packet and byte counters: saved with `--counters` (the file then changes whenever they do), restored with `--counters`.")]
    public bool Counters { get; init; }

    [Param("With state restored: `iptables-restore --noflush`, which keeps the runtime's rules and appends the file's. " +
           "Only missing rules, declared custom chains (they are emptied and refilled) and declared policies count as a " +
           "difference; when none differs nothing runs, so rules are not appended twice.")]
    public bool Noflush { get; init; }

    [Param("The modprobe program iptables-save/iptables-restore use to load modules (`--modprobe`).")]
    public string? Modprobe { get; init; }

    [Param("With state restored: seconds iptables-restore waits for the xtables lock (`--wait`).")]
    public int? Wait { get; init; }

    [Param("With state restored: allow a filter table that would drop or reject the SSH connection StateForge is using " +
           "(StateForge's guard, in place of Ansible's timed rollback).")]
    public bool AllowLockout { get; init; }
}
