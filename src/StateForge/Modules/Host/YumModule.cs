using StateForge.Facts;

namespace StateForge.Modules.Host;

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
