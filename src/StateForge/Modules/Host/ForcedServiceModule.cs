using StateForge.Facts;
using StateForge.Planning;

namespace StateForge.Modules.Host;

// `systemd:` and `sysvinit:` in a playbook name a service manager: they are the service module
// with that manager forced, so a playbook written for systemd fails clearly where PID 1 is not
// systemd instead of quietly using init scripts.

/// <summary>The service module with one manager forced (what systemd and sysvinit share).</summary>
public abstract class ForcedServiceModule(ServiceManager manager) : Module<ServiceParams>
{
    protected override IEnumerable<string> Validate(ServiceParams parameters) => ServicePlanner.Validate(parameters, manager);

    protected override IEnumerable<FactProbe> Probes(ServiceParams parameters) => ServicePlanner.Probes(parameters, manager);

    protected override ValueTask<TaskPlan> PlanAsync(ServiceParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ServicePlanner.PlanAsync(parameters, manager, context, cancellationToken);
}
