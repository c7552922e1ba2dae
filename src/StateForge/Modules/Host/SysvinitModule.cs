using StateForge.Facts;

namespace StateForge.Modules.Host;

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
