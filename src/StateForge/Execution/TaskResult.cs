using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Planning;

namespace StateForge.Execution;

public enum ResultStatus
{
    Ok,
    Changed,
    Failed,
    Skipped,
    Unreachable,
}

/// <summary>The outcome of one task (or one loop item) on one host.</summary>
public sealed record TaskResult
{
    public required string Host { get; init; }

    public required string Task { get; init; }

    public required string Module { get; init; }

    public required ResultStatus Status { get; init; }

    public SourceSpan Span { get; init; }

    public ImmutableArray<ResourceChange> Changes { get; init; } = [];

    public string? Message { get; init; }

    public string? Item { get; init; }

    public bool IgnoredError { get; init; }

    public bool Rescued { get; init; }

    public bool Handler { get; init; }

    public ImmutableArray<string> Warnings { get; init; } = [];

    public ImmutableDictionary<string, object?> Result { get; init; } = ImmutableDictionary<string, object?>.Empty;

    public TimeSpan Duration { get; init; }

    /// <summary>No values of this task may be shown (no_log).</summary>
    public bool NoLog { get; init; }
}
