namespace StateForge.Lab.Registry;

/// <summary>Where a <see cref="RegistryLab"/>'s start-up time went.</summary>
/// <param name="Assets">Checking (or, once, building) the apt repository and the host layers.</param>
/// <param name="Hosts">`lab up`: three systemd hosts booted to sshd.</param>
/// <param name="Server">The Kubernetes API test server, seeded with the registry (in parallel with the hosts).</param>
/// <param name="Configure">The master's firewall and export directory, the inventory.</param>
/// <param name="Total">All of it.</param>
public sealed record RegistryLabTimings(TimeSpan Assets, TimeSpan Hosts, TimeSpan Server, TimeSpan Configure, TimeSpan Total)
{
    public override string ToString() =>
        $"registry lab up in {Total.TotalSeconds:F1} s (assets {Assets.TotalSeconds:F1} s, hosts {Hosts.TotalSeconds:F1} s, " +
        $"API server {Server.TotalSeconds:F1} s, configure {Configure.TotalSeconds:F1} s)";
}
