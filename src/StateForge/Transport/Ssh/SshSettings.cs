namespace StateForge.Transport.Ssh;

public enum HostKeyChecking
{
    /// <summary>The key must be in known_hosts (the default).</summary>
    Strict,

    /// <summary>Unknown keys are recorded; changed keys are still refused.</summary>
    AcceptNew,

    /// <summary>Any key is accepted. Only when asked for explicitly.</summary>
    Off,
}

/// <summary>How StateForge connects over SSH, for every host (inventory vars override per host).</summary>
public sealed record SshSettings
{
    public string KnownHostsPath { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");

    public HostKeyChecking HostKeyChecking { get; init; } = HostKeyChecking.Strict;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a single remote command may run (0 = no limit).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// SSH keepalive interval, and how often the host of a running command is checked for answers
    /// (it must answer within the connect timeout, else the command is abandoned and the host
    /// UNREACHABLE). Zero: neither.
    /// </summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    public string DefaultUser { get; init; } = Environment.UserName;

    /// <summary>A key file for hosts whose inventory names none (--private-key).</summary>
    public string? DefaultPrivateKey { get; init; }

    /// <summary>Asks for a key's passphrase (prompt or environment); null means none.</summary>
    public Func<string, string?> PassphraseProvider { get; init; } = _ => Environment.GetEnvironmentVariable("STATEFORGE_SSH_PASSPHRASE");

    /// <summary>Asks for a login password when the inventory gives none; null means none.</summary>
    public Func<string, string?> PasswordProvider { get; init; } = _ => Environment.GetEnvironmentVariable("STATEFORGE_SSH_PASSWORD");
}
