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

    /// <summary>The chain OpenShift 3 keeps its open ports in, jumped to from INPUT.</summary>
    public const string AllowChain = "OS_FIREWALL_ALLOW";

    /// <summary>A shell script (run as root on the master) that sets the rules and saves them.
    /// With <paramref name="allowChainTcpPorts"/>, the master also has <see cref="AllowChain"/>
    /// with those ports, jumped to from INPUT before a final REJECT, as an OpenShift 3 master.</summary>
    public static string Script(IReadOnlyList<int> openTcpPorts, IReadOnlyList<int>? allowChainTcpPorts = null)
    {
        var accept = string.Concat(openTcpPorts.Select(port => Accept("INPUT", port)));
        var allow = allowChainTcpPorts is { Count: > 0 }
            ? $"iptables -N {AllowChain}\n" + string.Concat(allowChainTcpPorts.Select(port => Accept(AllowChain, port))) +
              $"iptables -A INPUT -j {AllowChain}\n" +
              "iptables -A INPUT -j REJECT --reject-with icmp-host-prohibited\n"
            : string.Empty;
        return "set -e\n" +
               "iptables -F INPUT\n" +
               "iptables -A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n" +
               "iptables -A INPUT -i lo -j ACCEPT\n" +
               accept +
               allow +
               "iptables -P INPUT DROP\n" +
               "mkdir -p /etc/sysconfig\n" +
               $"iptables-save > {SavedRulesPath}\n";
    }

    private static string Accept(string chain, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"iptables -A {chain} -p tcp -m state --state NEW -m tcp --dport {port} -j ACCEPT\n");

    /// <summary>iptables -S INPUT, as the script leaves it.</summary>
    public static string ExpectedInputRules(IReadOnlyList<int> openTcpPorts) =>
        "-P INPUT DROP\n" +
        "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n" +
        "-A INPUT -i lo -j ACCEPT\n" +
        string.Concat(openTcpPorts.Select(port => string.Create(CultureInfo.InvariantCulture,
            $"-A INPUT -p tcp -m state --state NEW -m tcp --dport {port} -j ACCEPT\n")));
}
