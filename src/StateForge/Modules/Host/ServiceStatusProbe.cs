using System.Collections.Immutable;
using StateForge.Facts;
using StateForge.Transport;

namespace StateForge.Modules.Host;

/// <summary>
/// One service on one host: which manager runs services there, whether the service exists, is
/// running and starts at boot. Raw states are kept for results and messages.
/// </summary>
/// <param name="Manager">"systemd" or "sysv".</param>
/// <param name="Exists">systemd: LoadState is not not-found; sysv: /etc/init.d/NAME is executable.</param>
/// <param name="Running">systemd: ActiveState active or activating; sysv: `service NAME status` exits 0.</param>
/// <param name="Enabled">systemd: `systemctl is-enabled` exits 0; sysv: an S link in rc2-5.d, or chkconfig on in 2-5.</param>
/// <param name="EnabledState">systemd: is-enabled's word (enabled, disabled, static, masked, …); sysv: enabled or disabled.</param>
/// <param name="Tool">sysv only: update-rc.d or chkconfig.</param>
/// <param name="HasLinks">sysv with update-rc.d: the script has runlevel links (S or K) already.</param>
/// <param name="Properties">systemd only: LoadState, ActiveState, SubState, UnitFileState.</param>
public sealed record ServiceStatus(
    string Manager,
    bool Exists,
    bool Running,
    bool Enabled,
    string EnabledState,
    string Tool,
    bool HasLinks,
    ImmutableDictionary<string, string> Properties)
{
    public string LoadState => Properties.GetValueOrDefault("LoadState", "");

    public bool Masked => LoadState == "masked" || EnabledState.StartsWith("masked", StringComparison.Ordinal);

    /// <summary>False when systemd was asked for (use: systemd) on a host it did not boot (no /run/systemd/system).</summary>
    public bool SystemdRunning { get; init; } = true;

    /// <summary>A systemd unit whose boot state `systemctl enable`/`disable` cannot change.</summary>
    public bool CannotToggle => EnabledState is "static" or "transient";
}

/// <summary>
/// Reads one service: with systemd, `systemctl show` (LoadState, ActiveState, SubState,
/// UnitFileState) and `is-enabled`; otherwise the init script, `service NAME
/// status`, and the runlevel links (update-rc.d) or `chkconfig --list`. The manager is forced by
/// `use`, else PID 1 decides.
/// </summary>
public sealed record ServiceStatusProbe(ServiceManager Use, string Name)
    : FactProbe("service:" + Use.ToString().ToLowerInvariant() + ":" + Name)
{
    /// <summary>The init script's name: a sysv service has no .service suffix.</summary>
    public string ScriptName => Name.EndsWith(".service", StringComparison.Ordinal) ? Name[..^".service".Length] : Name;

    public override string Script
    {
        get
        {
            var unit = Shell.Quote(Name);
            var script = Shell.Quote(ScriptName);
            var initd = Shell.Quote("/etc/init.d/" + ScriptName);
            var detect = Use switch
            {
                ServiceManager.Systemd => "sf_m=systemd",
                ServiceManager.Sysvinit => "sf_m=sysv",
                _ => "if [ \"$(cat /proc/1/comm 2>/dev/null)\" = systemd ]; then sf_m=systemd; else sf_m=sysv; fi",
            };
            return "LC_ALL=C; export LC_ALL\n" + detect + "\n" +
                   "echo \"@manager $sf_m\"\n" +
                   "if [ $sf_m = systemd ]; then\n" +
                   "  [ -d /run/systemd/system ] || echo @systemd-not-running\n" +
                   $"  systemctl show -p LoadState -p ActiveState -p SubState -p UnitFileState -- {unit} 2>/dev/null\n" +
                   $"  sf_e=$(systemctl is-enabled -- {unit} 2>/dev/null); sf_rc=$?\n" +
                   "  echo \"@enabled $sf_e rc=$sf_rc\"\n" +
                   "else\n" +
                   $"  if [ -x {initd} ]; then echo @exists\n" +
                   $"    if command -v service >/dev/null 2>&1; then service {script} status >/dev/null 2>&1; else {initd} status >/dev/null 2>&1; fi\n" +
                   "    echo \"@status $?\"\n" +
                   "  fi\n" +
                   "  if command -v update-rc.d >/dev/null 2>&1 || ! command -v chkconfig >/dev/null 2>&1; then echo '@tool update-rc.d'\n" +
                   $"    for f in /etc/rc[2345].d/S[0-9][0-9]{script}; do [ -e \"$f\" ] && echo @start-link; done\n" +
                   $"    for f in /etc/rc[0-6S].d/[SK][0-9][0-9]{script}; do [ -e \"$f\" ] && echo @link; done\n" +
                   "  else echo '@tool chkconfig'\n" +
                   $"    chkconfig --list {script} 2>/dev/null | sed 's/^/@chkconfig /'\n" +
                   "  fi\n" +
                   "fi\n" +
                   "exit 0";
        }
    }

    public override object? Parse(StepResult result) => ParseOutput(result.Stdout);

    public static ServiceStatus ParseOutput(string stdout)
    {
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var manager = lines.FirstOrDefault(l => l.StartsWith("@manager ", StringComparison.Ordinal))?["@manager ".Length..].Trim() ?? "sysv";
        return manager == "systemd" ? ParseSystemd(lines) : ParseSysv(lines);
    }

    private static ServiceStatus ParseSystemd(List<string> lines)
    {
        var props = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => !l.StartsWith('@')))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                props[line[..eq]] = line[(eq + 1)..];
            }
        }

        // "@enabled enabled rc=0"; a unit systemd does not know prints nothing: "@enabled  rc=1".
        var enabledLine = lines.FirstOrDefault(l => l.StartsWith("@enabled ", StringComparison.Ordinal)) ?? "@enabled  rc=1";
        var rcAt = enabledLine.LastIndexOf(" rc=", StringComparison.Ordinal);
        var word = (rcAt > 0 ? enabledLine["@enabled ".Length..rcAt] : "").Trim();
        var rc = rcAt > 0 ? enabledLine[(rcAt + 4)..].Trim() : "1";
        var load = props.GetValueOrDefault("LoadState", "");
        var exists = load.Length > 0 && load != "not-found";
        var active = props.GetValueOrDefault("ActiveState", "");
        return new ServiceStatus(
            "systemd",
            exists,
            active is "active" or "activating" or "reloading",
            rc == "0",
            word.Length > 0 ? word : exists ? "unknown" : "not-found",
            "systemctl",
            false,
            props.ToImmutable())
        {
            SystemdRunning = !lines.Contains("@systemd-not-running"),
        };
    }

    private static ServiceStatus ParseSysv(List<string> lines)
    {
        var exists = lines.Contains("@exists");
        var status = lines.FirstOrDefault(l => l.StartsWith("@status ", StringComparison.Ordinal))?["@status ".Length..].Trim();
        var tool = lines.FirstOrDefault(l => l.StartsWith("@tool ", StringComparison.Ordinal))?["@tool ".Length..].Trim() ?? "update-rc.d";
        bool enabled;
        if (tool == "chkconfig")
        {
            // "sf-nfsd  0:off  1:off  2:on  3:on  4:on  5:on  6:off": on in any of runlevels 2-5.
            enabled = lines.Where(l => l.StartsWith("@chkconfig ", StringComparison.Ordinal))
                .SelectMany(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Any(f => f is "2:on" or "3:on" or "4:on" or "5:on");
        }
        else
        {
            enabled = lines.Contains("@start-link");
        }

        return new ServiceStatus(
            "sysv",
            exists,
            exists && status == "0",
            enabled,
            enabled ? "enabled" : "disabled",
            tool,
            lines.Contains("@link"),
            ImmutableDictionary<string, string>.Empty);
    }
}
