using System.Globalization;
using StateForge.Transport;

namespace StateForge.Facts;

/// <summary>
/// The host facts Ansible users know (ansible_facts.hostname, os_family, distribution, …),
/// gathered by one sh fragment and returned as a dictionary.
/// </summary>
public sealed record SystemFactsProbe() : FactProbe("system")
{
    private const string Sep = "@@";

    public override string Script =>
        "echo hostname=$(hostname -s 2>/dev/null || hostname); " +
        "echo fqdn=$(hostname -f 2>/dev/null || hostname); " +
        "echo kernel=$(uname -r); echo machine=$(uname -m); echo system=$(uname -s); " +
        "echo user_id=$(id -un); echo user_uid=$(id -u); " +
        "echo pid1=$(cat /proc/1/comm 2>/dev/null); " +
        "for m in dnf yum apt-get; do command -v $m >/dev/null 2>&1 && { echo pkg=$m; break; }; done; " +
        "echo ipv4=$(ip -o -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'); " +
        "echo " + Sep + "; cat /etc/os-release 2>/dev/null";

    public override object? Parse(StepResult result)
    {
        var parts = result.Stdout.Split(Sep + "\n", 2);
        var kv = ParseKeyValues(parts[0]);
        var os = parts.Length > 1 ? ParseKeyValues(parts[1]) : [];
        string Get(Dictionary<string, string> d, string k, string fallback = "") => d.TryGetValue(k, out var v) && v.Length > 0 ? v : fallback;

        var id = Get(os, "ID", "linux");
        var like = Get(os, "ID_LIKE");
        var version = Get(os, "VERSION_ID");
        var family = OsFamily(id, like);
        var pkg = Get(kv, "pkg") switch
        {
            "apt-get" => "apt",
            var p => p,
        };
        var serviceMgr = Get(kv, "pid1") == "systemd" ? "systemd" : "sysvinit";
        var facts = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["hostname"] = Get(kv, "hostname"),
            ["nodename"] = Get(kv, "hostname"),
            ["fqdn"] = Get(kv, "fqdn"),
            ["kernel"] = Get(kv, "kernel"),
            ["architecture"] = Get(kv, "machine"),
            ["machine"] = Get(kv, "machine"),
            ["system"] = Get(kv, "system"),
            ["user_id"] = Get(kv, "user_id"),
            ["user_uid"] = long.TryParse(Get(kv, "user_uid"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid) ? uid : -1L,
            ["os_family"] = family,
            ["distribution"] = Distribution(id, Get(os, "NAME")),
            ["distribution_version"] = version,
            ["distribution_major_version"] = version.Split('.')[0],
            ["distribution_release"] = Get(os, "VERSION_CODENAME"),
            ["pkg_mgr"] = pkg,
            ["service_mgr"] = serviceMgr,
            ["default_ipv4"] = new Dictionary<string, object?> { ["address"] = Get(kv, "ipv4") },
        };
        return facts;
    }

    private static Dictionary<string, string> ParseKeyValues(string text)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                d[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"');
            }
        }

        return d;
    }

    private static string OsFamily(string id, string like)
    {
        var words = (id + " " + like).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Any(w => w is "rhel" or "fedora" or "centos" or "rocky" or "almalinux"))
        {
            return "RedHat";
        }

        if (words.Any(w => w is "debian" or "ubuntu"))
        {
            return "Debian";
        }

        if (words.Any(w => w is "suse" or "opensuse"))
        {
            return "Suse";
        }

        return words.Any(w => w == "arch") ? "Archlinux" : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(id);
    }

    private static string Distribution(string id, string name) => id switch
    {
        "rhel" => "RedHat",
        "centos" => "CentOS",
        "debian" => "Debian",
        "ubuntu" => "Ubuntu",
        "fedora" => "Fedora",
        "rocky" => "Rocky",
        "almalinux" => "AlmaLinux",
        _ => name.Length > 0 ? name.Split(' ')[0] : id,
    };
}
