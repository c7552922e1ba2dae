using StateForge.Facts;
using StateForge.Inventory;
using StateForge.Transport;
using StateForge.Transport.Ssh;

namespace StateForge.Lab;

/// <summary>StateForge's own SSH transport to lab hosts, for tests that drive modules directly.</summary>
public static class LabConnections
{
    /// <summary>The host as an inventory entry (address, root, the lab key, the lab's known_hosts).</summary>
    public static InventoryHost InventoryHost(this LabHosts lab, LabHost host, string user = "root") =>
        new(host.Name, new Dictionary<string, object?>
        {
            ["ansible_host"] = host.Address,
            ["ansible_port"] = (long)host.Port,
            ["ansible_user"] = user,
            ["ansible_ssh_private_key_file"] = lab.PrivateKeyPath,
            ["stateforge_known_hosts"] = lab.KnownHostsPath,
        });

    /// <summary>Opens a real SSH connection (SSH.NET, strict host key checking).</summary>
    public static Task<IHostConnection> ConnectAsync(this LabHosts lab, LabHost host, string user = "root", CancellationToken cancellationToken = default) =>
        new SshConnectionFactory(new SshSettings { KnownHostsPath = lab.KnownHostsPath }).ConnectAsync(lab.InventoryHost(host, user), cancellationToken);

    /// <summary>Facts read over the connection, one batch per prefetch, as the engine reads them.</summary>
    public static HostFacts Facts(this IHostConnection connection, BecomeSpec? become = null) =>
        new((probes, ct) => ScriptBatch.RunAsync(connection, become ?? BecomeSpec.None, HostFacts.ToSteps(probes), stopOnFailure: false, ct));
}
