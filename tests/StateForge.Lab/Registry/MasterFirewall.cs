using System.Globalization;

namespace StateForge.Lab.Registry;

/// <summary>
/// The master's firewall before the playbook runs: INPUT policy DROP, accepting only replies
/// (ESTABLISHED,RELATED), loopback and new tcp connections to a few ports (ssh; the registry's).
/// So whatever NFS traffic reaches the master from a node was let in by the playbook's rules.
/// The same rules are saved in /etc/sysconfig/iptables, as on a RHEL master with iptables-services.
/// </summary>
public static class MasterFirewall
{
    public const string SavedRulesPath = "/etc/sysconfig/iptables";

    /// <summary>A shell script (run as root on the master) that sets the rules and saves them.</summary>
    public static string Script(IReadOnlyList<int> openTcpPorts)
    {
        var accept = string.Concat(openTcpPorts.Select(port => string.Create(CultureInfo.InvariantCulture,
            $"iptables -A INPUT -p tcp -m state --state NEW -m tcp --dport {port} -j ACCEPT\n")));
        return "set -e\n" +
               "iptables -F INPUT\n" +
               "iptables -A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n" +
               "iptables -A INPUT -i lo -j ACCEPT\n" +
               accept +
               "iptables -P INPUT DROP\n" +
               "mkdir -p /etc/sysconfig\n" +
               $"iptables-save > {SavedRulesPath}\n";
    }

    /// <summary>iptables -S INPUT, as the script leaves it.</summary>
    public static string ExpectedInputRules(IReadOnlyList<int> openTcpPorts) =>
        "-P INPUT DROP\n" +
        "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n" +
        "-A INPUT -i lo -j ACCEPT\n" +
        string.Concat(openTcpPorts.Select(port => string.Create(CultureInfo.InvariantCulture,
            $"-A INPUT -p tcp -m state --state NEW -m tcp --dport {port} -j ACCEPT\n")));
}
