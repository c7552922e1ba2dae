using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules.Host;

// `apt:`, `dnf:` and `yum:` in a playbook name a package manager: they are the package module
// with that manager forced, so a playbook written for apt fails clearly on a dnf host instead of
// quietly using dnf. They take the package module's parameters; their other Ansible parameters
// (cache_valid_time, purge, autoremove, enablerepo, …) are unknown parameters here.

/// <summary>The package module with one manager forced (what apt, dnf and yum share).</summary>
public abstract class ForcedPackageModule(PackageManager manager) : Module<PackageParams>
{
    protected override IEnumerable<string> Validate(PackageParams parameters) => PackagePlanner.Validate(parameters, manager);

    protected override IEnumerable<FactProbe> Probes(PackageParams parameters) => PackagePlanner.Probes(parameters, manager);

    protected override ValueTask<TaskPlan> PlanAsync(PackageParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        PackagePlanner.PlanAsync(parameters, manager, context, cancellationToken);

    protected override TaskPlan Complete(PackageParams parameters, TaskPlan plan, IReadOnlyList<StepResult> results) =>
        PackagePlanner.Complete(plan, results);
}
