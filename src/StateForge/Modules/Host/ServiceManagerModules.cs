using StateForge.Facts;
using StateForge.Planning;

namespace StateForge.Modules.Host;

// `systemd:` and `sysvinit:` in a playbook name a service manager: they are the service module
// with that manager forced, so a playbook written for systemd fails clearly where PID 1 is not
// systemd instead of quietly using init scripts.

[Module("systemd", "ansible.builtin.systemd", "ansible.builtin.systemd_service", Description =
    "The service module with systemd forced: systemctl start/stop/restart/reload/enable/disable, daemon_reload (see `stateforge doc service`).")]
public sealed class SystemdModule() : ForcedServiceModule(ServiceManager.Systemd)
{
    public override string Examples => """
        - name: A unit file was just written
          systemd:
            name: sf-exporter.service
            daemon_reload: true
            state: started
            enabled: true
        """;
}

[Module("sysvinit", "ansible.builtin.sysvinit", Description =
    "The service module with sysv init scripts forced: service NAME start/stop/…, update-rc.d or chkconfig (see `stateforge doc service`).")]
public sealed class SysvinitModule() : ForcedServiceModule(ServiceManager.Sysvinit)
{
    public override string Examples => """
        - name: rpcbind from its init script
          sysvinit:
            name: rpcbind
            state: started
            enabled: true
        """;
}

/// <summary>The service module with one manager forced (what systemd and sysvinit share).</summary>
public abstract class ForcedServiceModule(ServiceManager manager) : Module<ServiceParams>
{
    protected override IEnumerable<string> Validate(ServiceParams parameters) => ServicePlanner.Validate(parameters, manager);

    protected override IEnumerable<FactProbe> Probes(ServiceParams parameters) => ServicePlanner.Probes(parameters, manager);

    protected override ValueTask<TaskPlan> PlanAsync(ServiceParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ServicePlanner.PlanAsync(parameters, manager, context, cancellationToken);
}
