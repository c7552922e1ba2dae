using System.Globalization;
using System.Text;

namespace StateForge.Lab.Registry;

/// <summary>
/// The Ansible YAML inventory the registry playbook runs with against the lab: groups masters
/// and nodes, and in all's vars the connection (root, the lab key, the lab's known_hosts), the
/// cluster (kubeconfig) and the registry's health URL (a lab cannot route to a cluster IP).
/// </summary>
public static class RegistryInventory
{
    public static string Render(LabHosts lab, LabHost master, IReadOnlyList<LabHost> nodes, string kubeconfigPath, Uri registryHealthUrl)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# StateForge registry lab in {lab.Directory}: a local stand-in for an OpenShift 3 master, its nodes and cluster.\n");
        text.Append("all:\n");
        text.Append("  vars:\n");
        Var(text, 4, "ansible_user", "root");
        Var(text, 4, "ansible_ssh_private_key_file", lab.PrivateKeyPath);
        Var(text, 4, "stateforge_known_hosts", lab.KnownHostsPath);
        Var(text, 4, "kubeconfig", kubeconfigPath);
        Var(text, 4, "registry_health_url", registryHealthUrl.ToString());
        text.Append("  children:\n");
        Group(text, "masters", [master], MasterVars);
        Group(text, "nodes", nodes);
        return text.ToString();
    }

    /// <summary>
    /// What the lab's master is (tests/lab/registry/README.md): no nfsd in its kernel, so the NFS
    /// server is nfs-ganesha; no fs.nfs sysctls (no lockd module); its saved rules file is the
    /// chapter's /etc/sysconfig/iptables, though it is Debian.
    /// </summary>
    private static readonly (string Name, string Value)[] MasterVars =
    [
        ("nfs_server_flavor", "ganesha"),
        ("nfs_sysctl_ignore_missing", "true"),
        ("firewall_persist_file", MasterFirewall.SavedRulesPath),
    ];

    private static void Group(StringBuilder text, string name, IReadOnlyList<LabHost> hosts, IReadOnlyList<(string Name, string Value)>? vars = null)
    {
        text.Append(CultureInfo.InvariantCulture, $"    {name}:\n");
        if (vars is { Count: > 0 })
        {
            text.Append("      vars:\n");
            foreach (var (varName, value) in vars)
            {
                // Unquoted: true stays a boolean.
                text.Append(' ', 8).Append(varName).Append(": ").Append(value == "true" ? value : Quote(value)).Append('\n');
            }
        }

        text.Append("      hosts:\n");
        foreach (var host in hosts)
        {
            text.Append(CultureInfo.InvariantCulture, $"        {host.Name}:\n");
            Var(text, 10, "ansible_host", host.Address);
        }
    }

    private static void Var(StringBuilder text, int indent, string name, string value) =>
        text.Append(' ', indent).Append(name).Append(": ").Append(Quote(value)).Append('\n');

    // Single-quoted YAML: nothing in it is special except the quote itself, doubled.
    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
