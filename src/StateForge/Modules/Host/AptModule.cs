using StateForge.Facts;

namespace StateForge.Modules.Host;

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
