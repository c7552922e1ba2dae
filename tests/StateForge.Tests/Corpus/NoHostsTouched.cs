using StateForge.Inventory;
using StateForge.Transport;

namespace StateForge.Tests.Corpus;

/// <summary>A connection factory that counts attempts and refuses them: invalid input must touch no host.</summary>
internal sealed class NoHostsTouched : IConnectionFactory
{
    private int attempts;

    public int Attempts => Volatile.Read(ref attempts);

    public Task<IHostConnection> ConnectAsync(InventoryHost host, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref attempts);
        throw new HostUnreachableException(host.Name, "the corpus tests connect to nothing");
    }
}
