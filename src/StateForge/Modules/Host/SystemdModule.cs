using StateForge.Facts;

namespace StateForge.Modules.Host;

[Module("systemd", "ansible.builtin.systemd", "ansible.builtin.systemd_service", Description =
    "The service module with systemd forced: systemctl start/stop/restart/reload/enable/disable, daemon_reload (see `stateforge doc service`).")]
public sealed class SystemdModule() : ForcedServiceModule(ServiceManager.Systemd)
{
    public override string Examples => """
        - name: A unit file was just written
          systemd:
            name: sf-exporter.service
            daemon_reload: true
            state: started
            enabled: true
        """;
}
