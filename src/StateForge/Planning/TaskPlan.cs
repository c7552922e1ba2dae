using System.Collections.Immutable;

namespace StateForge.Planning;

/// <summary>
/// What a module decided for one task on one host: the changes, the steps that make them, and
/// the values a `register` sees. Immutable; the executor runs the steps unless in check mode.
/// </summary>
public sealed record TaskPlan
{
    public ImmutableArray<ResourceChange> Changes { get; init; } = [];

    public ImmutableArray<RemoteStep> Steps { get; init; } = [];

    /// <summary>Values registered for the task (Ansible's module return values).</summary>
    public ImmutableDictionary<string, object?> Result { get; init; } = ImmutableDictionary<string, object?>.Empty;

    public bool Failed { get; init; }

    public string? Message { get; init; }

    public bool Skipped { get; init; }

    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>True when the task's outcome is only known once its steps ran (e.g. a command's output).</summary>
    public bool NeedsExecution { get; init; }

    public bool Changed => Changes.Any(c => c.IsChange);

    public static TaskPlan Ok(ImmutableDictionary<string, object?>? result = null, params ResourceChange[] unchanged) =>
        new() { Changes = [.. unchanged], Result = result ?? ImmutableDictionary<string, object?>.Empty };

    public static TaskPlan Fail(string message) => new() { Failed = true, Message = message };
}
