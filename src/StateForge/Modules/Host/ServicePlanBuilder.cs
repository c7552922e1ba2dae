using System.Collections.Immutable;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules.Host;

/// <summary>Turns a service's status and the task's wishes into changes, the commands that make them, and the status after.</summary>
internal sealed class ServicePlanBuilder(ServiceParams p, ServiceStatus status, ServiceStatusProbe probe, bool check)
{
    private readonly List<ResourceChange> changes = [];
    private readonly List<RemoteStep> steps = [];
    private readonly List<string> said = [];

    private bool Systemd => status.Manager == "systemd";

    public (TaskPlan Plan, ServiceStatus After) Build()
    {
        if (p.DaemonReload)
        {
            steps.Add(new RemoteStep("systemctl daemon-reload", Shell.Command("systemctl", "daemon-reload")));
        }

        var enabled = status.Enabled;
        if (p.Enabled is { } wantEnabled && wantEnabled != status.Enabled)
        {
            enabled = wantEnabled;
            var verb = wantEnabled ? "enable" : "disable";
            changes.Add(new ResourceChange($"service {p.Name} at boot", ChangeAction.Modify, status.EnabledState, verb + "d", $"- enabled: {status.EnabledState}\n+ enabled: {verb}d"));
            steps.Add(new RemoteStep($"{verb} {p.Name}", BootScript(wantEnabled)));
            said.Add(Say(verb));
        }
        else if (p.Enabled is not null)
        {
            changes.Add(ResourceChange.NoChange($"service {p.Name} at boot"));
        }

        var running = PlanState();
        var state = running ? "started" : "stopped";
        var result = ImmutableDictionary<string, object?>.Empty
            .Add("name", p.Name)
            .Add("state", state)
            .Add("enabled", enabled)
            .Add("service_mgr", Systemd ? "systemd" : "sysvinit")
            .Add("status", status.Properties.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal));
        var message = said.Count > 0 ? string.Join("; ", said) : $"{p.Name} is {state}{(p.Enabled is null ? "" : enabled ? " and enabled" : " and disabled")}";
        var plan = new TaskPlan
        {
            Changes = [.. changes],
            Steps = [.. steps],
            Result = result.Add("msg", message),
            Message = message,
        };
        var after = status with { Running = running, Enabled = enabled, EnabledState = enabled == status.Enabled ? status.EnabledState : enabled ? "enabled" : "disabled" };
        return (plan, after);
    }

    /// <summary>Plans the state change, if any; returns whether the service runs afterwards.</summary>
    private bool PlanState()
    {
        var resource = $"service {p.Name}";
        var before = status.Running ? "started" : "stopped";
        switch (p.State)
        {
            case ServiceState.Started or ServiceState.Reloaded when !status.Running:
                Change(resource, ChangeAction.Modify, before, "started", "start");
                return true;
            case ServiceState.Stopped when status.Running:
                Change(resource, ChangeAction.Modify, before, "stopped", "stop");
                return false;
            case ServiceState.Restarted:
                Change(resource, ChangeAction.Run, before, "restarted", "restart");
                return true;
            case ServiceState.Reloaded:
                Change(resource, ChangeAction.Run, before, "reloaded", "reload");
                return true;
            case null:
                return status.Running;
            default:
                changes.Add(ResourceChange.NoChange(resource));
                return status.Running;
        }
    }

    private void Change(string resource, ChangeAction action, string before, string after, string verb)
    {
        changes.Add(new ResourceChange(resource, action, before, after, $"- state: {before}\n+ state: {after}"));
        steps.Add(new RemoteStep($"{verb} {p.Name}", ControlScript(verb)));
        said.Add(Say(verb));
    }

    private string Say(string verb) => check ? $"would {verb} {p.Name}" : $"{(verb == "stop" ? "stopped" : verb.EndsWith('e') ? verb + "d" : verb + "ed")} {p.Name}";

    private string ControlScript(string verb)
    {
        if (Systemd)
        {
            return Shell.Command("systemctl", verb, "--", p.Name);
        }

        // The service wrapper runs the script with a clean environment, as at boot.
        var name = probe.ScriptName;
        return $"if command -v service >/dev/null 2>&1; then {Shell.Command("service", name, verb)}; else {Shell.Command("/etc/init.d/" + name, verb)}; fi";
    }

    private string BootScript(bool enable)
    {
        var name = probe.ScriptName;
        if (Systemd)
        {
            return Shell.Command("systemctl", enable ? "enable" : "disable", "--", p.Name);
        }

        if (status.Tool == "chkconfig")
        {
            return enable
                ? $"{Shell.Command("chkconfig", "--add", name)} && {Shell.Command("chkconfig", name, "on")}"
                : Shell.Command("chkconfig", name, "off");
        }

        // update-rc.d enable/disable only edits existing runlevel links; `defaults` makes them first.
        return enable
            ? (status.HasLinks ? "" : Shell.Command("update-rc.d", name, "defaults") + " && ") + Shell.Command("update-rc.d", name, "enable")
            : Shell.Command("update-rc.d", name, "disable");
    }
}
