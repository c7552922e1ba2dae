using StateForge.Inventory;

namespace StateForge.Transport;

/// <summary>Picks the transport from the host's `ansible_connection`: local, or ssh.</summary>
public sealed class ConnectionFactory(IConnectionFactory? ssh = null) : IConnectionFactory
{
    public Task<IHostConnection> ConnectAsync(InventoryHost host, CancellationToken cancellationToken) => host.Connection switch
    {
        "local" => Task.FromResult<IHostConnection>(new LocalConnection(host.Name)),
        "ssh" or "paramiko" or "smart" when ssh is not null => ssh.ConnectAsync(host, cancellationToken),
        var other => throw new HostUnreachableException(host.Name, $"connection type '{other}' is not available"),
    };
}
