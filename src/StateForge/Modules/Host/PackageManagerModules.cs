using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules.Host;

// `apt:`, `dnf:` and `yum:` in a playbook name a package manager: they are the package module
// with that manager forced, so a playbook written for apt fails clearly on a dnf host instead of
// quietly using dnf. They take the package module's parameters; their other Ansible parameters
// (cache_valid_time, purge, autoremove, enablerepo, …) are unknown parameters here.

[Module("apt", "ansible.builtin.apt", Description = "The package module with apt forced: installs, upgrades and removes Debian packages (see `stateforge doc package`).")]
public sealed class AptModule() : ForcedPackageModule(PackageManager.Apt)
{
    public override string Examples => """
        - name: NFS server, refreshing the index first
          apt:
            name: [nfs-kernel-server, rpcbind]
            update_cache: true
        """;
}

[Module("dnf", "ansible.builtin.dnf", Description = "The package module with dnf forced: installs, upgrades and removes RPM packages (see `stateforge doc package`).")]
public sealed class DnfModule() : ForcedPackageModule(PackageManager.Dnf)
{
    public override string Examples => """
        - name: NFS server
          dnf:
            name: [nfs-utils, rpcbind]
            state: present
        """;
}

[Module("yum", "ansible.builtin.yum", Description = "The package module with yum forced: installs, upgrades and removes RPM packages on RHEL/CentOS 7 (see `stateforge doc package`).")]
public sealed class YumModule() : ForcedPackageModule(PackageManager.Yum)
{
    public override string Examples => """
        - name: NFS server on RHEL 7
          yum:
            name: [nfs-utils, rpcbind]
            state: present
        """;
}

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
