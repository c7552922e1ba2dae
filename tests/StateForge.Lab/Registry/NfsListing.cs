namespace StateForge.Lab.Registry;

/// <summary>What `nfs-ls nfs://MASTER/PATH` on a node gave.</summary>
/// <param name="ExitCode">nfs-ls's exit code (124 when the timeout stopped it).</param>
/// <param name="Output">Its stdout: one line per entry (`-rw-r--r-- 1 0 0 3 hello.txt`).</param>
/// <param name="Error">Its stderr (e.g. "Failed to mount nfs share : …").</param>
/// <param name="Elapsed">How long it ran.</param>
public sealed record NfsListing(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <summary>The export was listed: the master serves it and its firewall lets the node in.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>nfs-ls hung until the timeout: what an NFSv3 client sees when a port it needs is dropped.</summary>
    public bool TimedOut => ExitCode == 124;

    /// <summary>The names listed.</summary>
    public IReadOnlyList<string> Names =>
        [.. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])];

    public override string ToString() =>
        $"nfs-ls exit {ExitCode} in {Elapsed.TotalMilliseconds:F0} ms" + (TimedOut ? " (timed out)" : string.Empty) +
        (Output.Length > 0 ? $"\n{Output.TrimEnd()}" : string.Empty) + (Error.Length > 0 ? $"\nstderr: {Error.TrimEnd()}" : string.Empty);
}
