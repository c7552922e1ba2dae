using System.Collections.Immutable;
using StateForge.Facts;
using StateForge.Transport;

namespace StateForge.Modules.Host;

/// <summary>
/// For state: latest with dnf or yum: the upgrades available for the task's installed packages,
/// from `check-update` (exit 100 and one `name.arch  version  repo` line per upgrade; 0 when
/// there is none; 1 on error). apt needs no second probe: apt-cache policy's candidates come
/// with the installed versions.
/// </summary>
public sealed record PackageUpgradesProbe(string Manager, ImmutableArray<string> Names)
    : FactProbe("pkg-upgrades:" + Manager + ":" + string.Join(',', Names))
{
    public static PackageUpgradesProbe For(string manager, IEnumerable<string> names) =>
        new(manager, [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    public override string Script =>
        "LC_ALL=C; export LC_ALL\n" + Shell.Command([Manager, "-q", "check-update", .. Names]);

    public override object? Parse(StepResult result) => ParseOutput(result.ExitCode, result.Stdout, result.Stderr);

    /// <summary>Available upgrades by package name (and name.arch), or an error when check-update failed.</summary>
    public static PackageUpgrades ParseOutput(int exitCode, string stdout, string stderr)
    {
        if (exitCode is not (0 or 100))
        {
            return new PackageUpgrades(ImmutableDictionary<string, string>.Empty, $"{stderr.Trim()} (rc {exitCode})".Trim());
        }

        var upgrades = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Obsoleting", StringComparison.Ordinal) || line.StartsWith("Security:", StringComparison.Ordinal))
            {
                break;
            }

            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var dot = f.Length == 3 ? f[0].LastIndexOf('.') : -1;
            if (dot <= 0)
            {
                continue;
            }

            upgrades[f[0][..dot]] = f[1];
            upgrades[f[0]] = f[1];
        }

        return new PackageUpgrades(upgrades.ToImmutable(), null);
    }
}

/// <summary>Upgrades dnf or yum offers, by name; <see cref="Error"/> when they could not be listed.</summary>
public sealed record PackageUpgrades(ImmutableDictionary<string, string> Versions, string? Error);
