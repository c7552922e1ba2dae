using StateForge.Facts;

namespace StateForge.Modules.Host;

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
