using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules.Host;

[Module("package", "ansible.builtin.package", Description =
    "Installs, upgrades and removes packages with the host's package manager (apt, dnf or yum, from ansible_facts.pkg_mgr " +
    "or found on the host). One probe per task reads the installed version of every package it names (dpkg-query or rpm -q; " +
    "with apt also the candidates from apt-cache policy); one command installs everything missing. Check mode reports " +
    "\"would install\" and fails, with apt, when apt knows no such package or version; an apply runs the package manager " +
    "and fails with its own message. Later tasks see the packages planned here (a service from a package that check mode " +
    "would install plans \"would start\"). The short names apt, dnf and yum are this module with that manager forced.")]
public sealed class PackageModule : Module<PackageParams>
{
    public override string Examples => """
        - name: NFS server packages
          package:
            name: [nfs-utils, rpcbind]
            state: present

        - name: A pinned version (apt syntax; dnf and yum get nfs-utils-2.5.4)
          package:
            name: nfs-utils=2.5.4
            state: present

        - name: Keep the registry's client tools up to date, refreshing the index first
          package:
            name: skopeo
            state: latest
            update_cache: true

        - name: No NFS client on the masters
          package:
            name: nfs-common
            state: absent
        """;

    protected override IEnumerable<string> Validate(PackageParams parameters) => PackagePlanner.Validate(parameters, null);

    protected override IEnumerable<FactProbe> Probes(PackageParams parameters) => PackagePlanner.Probes(parameters, null);

    protected override ValueTask<TaskPlan> PlanAsync(PackageParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        PackagePlanner.PlanAsync(parameters, null, context, cancellationToken);

    protected override TaskPlan Complete(PackageParams parameters, TaskPlan plan, IReadOnlyList<StepResult> results) =>
        PackagePlanner.Complete(plan, results);
}
