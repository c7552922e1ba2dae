namespace StateForge.Lab;

/// <summary>One host of a lab: a name, an address with a real sshd on <see cref="Port"/>.</summary>
/// <param name="Name">The host's hostname and inventory name (host1, host2, …).</param>
/// <param name="Address">Its IPv4 address on the lab's bridge.</param>
/// <param name="Port">Its sshd's port.</param>
/// <param name="NetworkNamespace">The `ip netns` name of its network namespace.</param>
/// <param name="InitPid">The machine's PID of the host's namespace init (PID 1 inside).</param>
/// <param name="SshdLogPath">sshd's log (LogLevel VERBOSE): one "Accepted publickey" line per
/// login and one "Starting session" line per command.</param>
public sealed record LabHost(
    string Name,
    string Address,
    int Port,
    string NetworkNamespace,
    int InitPid,
    string SshdLogPath)
{
    public override string ToString() => $"{Name} ({Address})";
}
