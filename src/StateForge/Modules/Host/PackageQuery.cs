using System.Collections.Immutable;
using StateForge.Facts;
using StateForge.Transport;

namespace StateForge.Modules.Host;

/// <summary>
/// What a host says about the packages one task names: which package manager it has, the
/// installed version of each (absent when not installed), and, for apt, each one's candidate
/// version (<see cref="CandidatesKnown"/>; a name missing from <see cref="Candidates"/> is one
/// apt does not know at all, a null candidate is apt's "(none)").
/// </summary>
public sealed record PackageFacts(
    string Manager,
    ImmutableDictionary<string, string> Installed,
    ImmutableDictionary<string, string?> Candidates,
    bool CandidatesKnown)
{
    /// <summary>apt only: the versions apt-cache policy's version table lists per package.</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> Available { get; init; } =
        ImmutableDictionary<string, ImmutableArray<string>>.Empty;

    public string? InstalledVersion(string name) => Installed.GetValueOrDefault(name);

    public PackageFacts WithInstalled(string name, string? version) =>
        this with { Installed = version is null ? Installed.Remove(name) : Installed.SetItem(name, version) };
}

/// <summary>
/// One probe per package task and host: the package manager, then installed versions
/// (dpkg-query or rpm -q) and, for apt, candidates (apt-cache policy) of every package the task
/// names. Its key covers the manager asked for and the sorted names, so tasks naming the same
/// set share it.
/// </summary>
public sealed record PackageQueryProbe(PackageManager Use, ImmutableArray<string> Names)
    : FactProbe("pkg:" + Use.ToString().ToLowerInvariant() + ":" + string.Join(',', Names))
{
    private const string DpkgFormat = "${Package}\\t${Architecture}\\t${db:Status-Abbrev}\\t${Version}\\n";
    private const string RpmFormat = "%{NAME}\\t%{ARCH}\\t%{EPOCH}\\t%{VERSION}-%{RELEASE}\\n";

    public static PackageQueryProbe For(PackageManager use, IEnumerable<string> names) =>
        new(use, [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    public override string Script
    {
        get
        {
            var names = string.Join(' ', Names.Select(Shell.Quote));
            // The first of these the host has; with `use`, only that one (and "none" when it is missing).
            var programs = Use == PackageManager.Auto ? "dnf yum apt-get" : PackageCommands.Program(Use);
            var detect = $"sf_m=none; for m in {programs}; do if command -v $m >/dev/null 2>&1; then sf_m=$m; break; fi; done";
            return "LC_ALL=C; export LC_ALL\n" + detect + "\n" +
                   "echo \"@manager $sf_m\"\n" +
                   "case $sf_m in\n" +
                   $"apt-get) echo @installed; dpkg-query -W -f={Shell.Quote(DpkgFormat)} -- {names} 2>/dev/null; " +
                   $"echo @candidates; apt-cache policy -- {names} 2>/dev/null ;;\n" +
                   $"dnf|yum) echo @installed; rpm -q --qf {Shell.Quote(RpmFormat)} {names} 2>/dev/null ;;\n" +
                   "esac\n" +
                   "exit 0";
        }
    }

    public override object? Parse(StepResult result) => ParseOutput(result.Stdout);

    public static PackageFacts ParseOutput(string stdout)
    {
        var manager = "none";
        var installed = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var candidates = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        var available = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var section = "";
        var candidatesKnown = false;
        string? policyName = null;
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("@manager ", StringComparison.Ordinal))
            {
                manager = line["@manager ".Length..].Trim() switch
                {
                    "apt-get" => "apt",
                    var m => m,
                };
                continue;
            }

            if (line is "@installed" or "@candidates")
            {
                section = line;
                candidatesKnown |= line == "@candidates";
                continue;
            }

            if (section == "@installed")
            {
                ParseInstalledLine(line, manager, installed);
            }
            else if (section == "@candidates")
            {
                policyName = ParsePolicyLine(line, policyName, candidates, available);
            }
        }

        return new PackageFacts(manager, installed.ToImmutable(), candidates.ToImmutable(), candidatesKnown)
        {
            Available = available.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray(), StringComparer.Ordinal),
        };
    }

    // dpkg-query: name, arch, status abbreviation ("ii "), version; rpm: name, arch, epoch, version-release.
    // rpm prints "package X is not installed" for a missing one: no tabs, ignored.
    private static void ParseInstalledLine(string line, string manager, ImmutableDictionary<string, string>.Builder installed)
    {
        var f = line.Split('\t');
        if (f.Length < 4 || f[0].Length == 0)
        {
            return;
        }

        string version;
        if (manager == "apt")
        {
            // Second letter of the abbreviation: i installed, W/t installed with triggers pending;
            // n, c (config files only), U, F, H (half-done) are not installed.
            if (f[2].Length < 2 || f[2][1] is not ('i' or 'W' or 't'))
            {
                return;
            }

            version = f[3];
        }
        else
        {
            version = f[2] is "(none)" or "" or "0" ? f[3] : $"{f[2]}:{f[3]}";
        }

        installed[f[0]] = version;
        installed[manager == "apt" ? $"{f[0]}:{f[1]}" : $"{f[0]}.{f[1]}"] = version;
    }

    // apt-cache policy: "name:" (or "name:arch:") then "  Installed: …", "  Candidate: 1.2-3" or
    // "(none)", then a version table: "     2.0-1 500" or " *** 1.0-1 100" (the installed one), each
    // followed by its sources ("        500 file:/repo ./ Packages").
    private static string? ParsePolicyLine(
        string line, string? current, ImmutableDictionary<string, string?>.Builder candidates, Dictionary<string, List<string>> available)
    {
        if (line.Length > 1 && !char.IsWhiteSpace(line[0]) && line.EndsWith(':'))
        {
            current = line[..^1];
            candidates[current] = null;
            available[current] = [];
            return current;
        }

        if (current is null)
        {
            return null;
        }

        var trimmed = line.Trim();
        if (trimmed.StartsWith("Candidate:", StringComparison.Ordinal))
        {
            var candidate = trimmed["Candidate:".Length..].Trim();
            candidates[current] = candidate is "(none)" or "" ? null : candidate;
            return current;
        }

        var f = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length >= 2 && f[0] == "***")
        {
            f = f[1..];
        }

        if (f.Length == 2 && int.TryParse(f[1], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)
            && !f[0].EndsWith(':'))
        {
            available[current].Add(f[0]);
        }

        return current;
    }
}
