using StateForge.Facts;
using StateForge.Planning;

namespace StateForge.Modules.Host;

// `systemd:` and `sysvinit:` in a playbook name a service manager: they are the service module
// with that manager forced, so a playbook written for systemd fails clearly where PID 1 is not
// systemd instead of quietly using init scripts.

[Module("systemd", "ansible.builtin.systemd", "ansible.builtin.systemd_service", Description =
    "The service module with systemd forced: systemctl start/stop/restart/reload/enable/disable, daemon_reload (see `stateforge doc service`).")]
public sealed class SystemdModule : Module<ServiceParams>
{
    public override string Examples => """
        - name: A unit file was just written
          systemd:
            name: sf-exporter.service
            daemon_reload: true
            state: started
            enabled: true
        """;

    protected override IEnumerable<string> Validate(ServiceParams parameters) => ServicePlanner.Validate(parameters, ServiceManager.Systemd);

    protected override IEnumerable<FactProbe> Probes(ServiceParams parameters) => ServicePlanner.Probes(parameters, ServiceManager.Systemd);

    protected override ValueTask<TaskPlan> PlanAsync(ServiceParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ServicePlanner.PlanAsync(parameters, ServiceManager.Systemd, context, cancellationToken);
}

[Module("sysvinit", "ansible.builtin.sysvinit", Description =
    "The service module with sysv init scripts forced: service NAME start/stop/…, update-rc.d or chkconfig (see `stateforge doc service`).")]
public sealed class SysvinitModule : Module<ServiceParams>
{
    public override string Examples => """
        - name: rpcbind from its init script
          sysvinit:
            name: rpcbind
            state: started
            enabled: true
        """;

    protected override IEnumerable<string> Validate(ServiceParams parameters) => ServicePlanner.Validate(parameters, ServiceManager.Sysvinit);

    protected override IEnumerable<FactProbe> Probes(ServiceParams parameters) => ServicePlanner.Probes(parameters, ServiceManager.Sysvinit);

    protected override ValueTask<TaskPlan> PlanAsync(ServiceParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ServicePlanner.PlanAsync(parameters, ServiceManager.Sysvinit, context, cancellationToken);
}
