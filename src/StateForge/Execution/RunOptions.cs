using System.Collections.Immutable;

namespace StateForge.Execution;

/// <summary>How a run goes: check or apply, which hosts and tags, extra vars, parallelism.</summary>
public sealed record RunOptions
{
    public bool Check { get; init; }

    public bool Diff { get; init; }

    public string? Limit { get; init; }

    public ImmutableArray<string> Tags { get; init; } = [];

    public ImmutableArray<string> SkipTags { get; init; } = [];

    public ImmutableDictionary<string, object?> ExtraVars { get; init; } = ImmutableDictionary<string, object?>.Empty;

    public int Forks { get; init; } = 20;

    /// <summary>How long an apply waits for a host's run lock held by another run before that
    /// host fails (zero: fail at once, saying who holds it).</summary>
    public TimeSpan LockTimeout { get; init; }

    /// <summary>Consecutive changes that nothing waits on run as one remote script per host.</summary>
    public bool Batch { get; init; } = true;
}
