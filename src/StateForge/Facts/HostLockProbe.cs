using StateForge.Transport;

namespace StateForge.Facts;

/// <summary>Who holds the host's StateForge lock, as the lock step found it.</summary>
public sealed record HostLockState(bool Acquired, string Holder, DateTimeOffset? Since, bool TookOverStale)
{
    /// <summary>The lock directory cannot be made here (no permission): the run goes on unlocked.</summary>
    public bool Unavailable { get; init; }
}

/// <summary>
/// Takes the host's run lock (a directory made atomically with mkdir) in the same batch as the
/// facts, so an apply costs no extra round trip to lock. The lock names its holder and the
/// process that keeps it: the sshd serving the holder's one connection (or the controller
/// itself for a local connection). A lock whose keeper is gone was left by a killed run: it is
/// taken over, and said so.
/// </summary>
public sealed record HostLockProbe(string RunId, string Holder) : FactProbe("lock:" + RunId)
{
    public const string LockDirectory = "/run/lock/stateforge";

    public override string Script =>
        $"l={Shell.Quote(LockDirectory)}; me={Shell.Quote(RunId)}; who={Shell.Quote(Holder)}; " +
        // The keeper: the nearest ancestor that is not a shell or a privilege switch.
        "p=$PPID; while [ \"$p\" -gt 1 ]; do c=$(cat /proc/$p/comm 2>/dev/null); " +
        "case \"$c\" in sh|dash|bash|sudo|su) p=$(cut -d' ' -f4 /proc/$p/stat);; *) break;; esac; done; " +
        "mkdir -p /run/lock 2>/dev/null; " +
        "if mkdir \"$l\" 2>/dev/null; then printf '%s\\n%s\\n%s\\n%s\\n' \"$me\" \"$p\" \"$(date +%s)\" \"$who\" >\"$l/owner\"; echo acquired; exit 0; fi; " +
        "if [ ! -d \"$l\" ]; then echo unavailable; exit 0; fi; " +
        "{ read -r id; read -r pid; read -r since; read -r holder; } <\"$l/owner\" 2>/dev/null; " +
        "if [ \"$id\" = \"$me\" ]; then echo acquired; exit 0; fi; " +
        "if [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; then printf 'held\\n%s\\n%s\\n' \"$since\" \"$holder\"; exit 0; fi; " +
        "printf '%s\\n%s\\n%s\\n%s\\n' \"$me\" \"$p\" \"$(date +%s)\" \"$who\" >\"$l/owner\"; printf 'stale\\n%s\\n%s\\n' \"$since\" \"$holder\"";

    /// <summary>Releases the lock if this run holds it.</summary>
    public static string ReleaseScript(string runId) =>
        $"l={Shell.Quote(LockDirectory)}; [ \"$(head -n 1 \"$l/owner\" 2>/dev/null)\" = {Shell.Quote(runId)} ] && rm -rf \"$l\"; true";

    public override object? Parse(StepResult result)
    {
        var lines = result.Stdout.Split('\n');
        DateTimeOffset? since = lines.Length > 1 && long.TryParse(lines[1], out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
        var holder = lines.Length > 2 ? lines[2] : "";
        return lines[0] switch
        {
            "acquired" => new HostLockState(true, Holder, DateTimeOffset.UtcNow, false),
            "stale" => new HostLockState(true, holder, since, true),
            "held" => new HostLockState(false, holder, since, false),
            "unavailable" => new HostLockState(true, "", null, false) { Unavailable = true },
            _ => new HostLockState(false, $"unknown ({result.Stderr.Trim()})", null, false),
        };
    }
}
