using StateForge.Facts;
using StateForge.Transport;

namespace StateForge.Modules.Host.Sysctl;

internal enum SysctlPresence
{
    Present,
    Missing,
    Unreadable,
}

/// <summary>A key's running value as /proc/sys shows it; Detail is the read error when unreadable.</summary>
internal sealed record SysctlValue(SysctlPresence Presence, string Value = "", string Detail = "");

/// <summary>Reads one key's /proc/sys file; tells a key the kernel lacks from one it cannot read.</summary>
internal sealed record SysctlValueProbe(string Path) : FactProbe("sysctl:" + Path)
{
    public override string Script
    {
        get
        {
            var p = Shell.Quote(Path);
            return $"if [ -e {p} ]; then if sf_v=$(cat -- {p} 2>&1); then printf 'present\\n%s' \"$sf_v\"; " +
                   $"else printf 'unreadable\\n%s' \"$sf_v\"; fi; else echo missing; fi";
        }
    }

    public override object? Parse(StepResult result)
    {
        var newline = result.Stdout.IndexOf('\n', StringComparison.Ordinal);
        var status = newline < 0 ? result.Stdout.Trim() : result.Stdout[..newline];
        var rest = newline < 0 ? "" : result.Stdout[(newline + 1)..];
        return status switch
        {
            "present" => new SysctlValue(SysctlPresence.Present, rest),
            "missing" => new SysctlValue(SysctlPresence.Missing),
            _ => new SysctlValue(SysctlPresence.Unreadable, "", (rest + result.Stderr).Trim()),
        };
    }
}
