namespace StateForge.Modules.Host;

public enum ServiceState
{
    Started,
    Stopped,
    Restarted,
    Reloaded,
}

public enum ServiceManager
{
    Auto,
    Systemd,
    Sysvinit,
}

public sealed record ServiceParams
{
    [Param("The service: a systemd unit (`nfs-server`, `nfs-server.service`) or an init script in /etc/init.d. " +
           "Letters, digits and _ . @ : - only.", Required = true, Aliases = ["service", "unit"])]
    public string Name { get; init; } = "";

    [Param("started and stopped act only when needed; restarted always restarts (starts a stopped service); reloaded " +
           "always reloads a running service and starts a stopped one, as Ansible does.")]
    public ServiceState? State { get; init; }

    [Param("Whether the service starts at boot: systemctl enable/disable, update-rc.d enable/disable (Debian; " +
           "`defaults` first when the script has no runlevel links yet) or chkconfig on/off (RHEL).")]
    public bool? Enabled { get; init; }

    [Param("The service manager: auto takes ansible_facts.service_mgr, else what PID 1 is (systemd or not).")]
    public ServiceManager Use { get; init; } = ServiceManager.Auto;

    [Param("systemd only: run `systemctl daemon-reload` first (after a unit file changed). Not a change by itself.")]
    public bool DaemonReload { get; init; }
}
