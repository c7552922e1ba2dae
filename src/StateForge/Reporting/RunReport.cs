using System.Collections.Immutable;
using StateForge.Execution;

namespace StateForge.Reporting;

/// <summary>Per-host counts, as in Ansible's PLAY RECAP (ok counts changed tasks too).</summary>
public sealed record HostStats(int Ok, int Changed, int Failed, int Skipped, int Unreachable, int Rescued, int Ignored, int RemoteCommands, int FileTransfers);

/// <summary>The result of a run: what the recap, the JSON report and the exit code are made from.</summary>
public sealed record RunReport
{
    public required bool Check { get; init; }

    public required ImmutableArray<TaskResult> Tasks { get; init; }

    public required ImmutableDictionary<string, HostStats> Hosts { get; init; }

    public required TimeSpan Duration { get; init; }

    public bool Interrupted { get; init; }

    public string Mode => Check ? "check" : "apply";

    /// <summary>Check mode found something to change.</summary>
    public bool Drift => Check && Tasks.Any(t => t.Status == ResultStatus.Changed);

    public int ExitCode =>
        Interrupted ? ExitCodes.Interrupted
        : Hosts.Values.Any(h => h.Unreachable > 0) ? ExitCodes.Unreachable
        : Hosts.Values.Any(h => h.Failed > 0) ? ExitCodes.Failed
        : Drift ? ExitCodes.Drift
        : ExitCodes.Success;
}

/// <summary>Exit codes: where several apply, invalid input wins, then unreachable, then failed, then drift.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Drift = 2;
    public const int Unreachable = 3;
    public const int InvalidInput = 4;
    public const int Interrupted = 130;
}
