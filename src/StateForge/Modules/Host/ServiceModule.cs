using StateForge.Facts;
using StateForge.Planning;

namespace StateForge.Modules.Host;

[Module("service", "ansible.builtin.service", Description =
    "Starts, stops, restarts and reloads a service and sets whether it starts at boot, with systemd (systemctl) or " +
    "sysv-style init scripts (service, update-rc.d on Debian, chkconfig on RHEL), chosen from ansible_facts.service_mgr " +
    "or PID 1. One probe per task reads whether the service exists, runs and is enabled. restarted and reloaded always " +
    "change. A missing service fails the task naming host and service, except in check mode when an earlier task plans " +
    "to install packages: then the service is assumed to come with them and the task plans \"would start\" / " +
    "\"would enable\" with a warning. The short names systemd and sysvinit are this module with that manager forced.")]
public sealed class ServiceModule : Module<ServiceParams>
{
    public override string Examples => """
        - name: NFS server running and started at boot
          service:
            name: nfs-server
            state: started
            enabled: true

        - name: Restart the registry after its configuration changed
          service:
            name: docker-registry
            state: restarted

        - name: No firewalld, the iptables rules are managed directly
          service:
            name: firewalld
            state: stopped
            enabled: false
        """;

    protected override IEnumerable<string> Validate(ServiceParams parameters) => ServicePlanner.Validate(parameters, null);

    protected override IEnumerable<FactProbe> Probes(ServiceParams parameters) => ServicePlanner.Probes(parameters, null);

    protected override ValueTask<TaskPlan> PlanAsync(ServiceParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ServicePlanner.PlanAsync(parameters, null, context, cancellationToken);
}
