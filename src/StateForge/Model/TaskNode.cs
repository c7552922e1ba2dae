using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Modules;
using StateForge.Parsing;

namespace StateForge.Model;

/// <summary>Keywords every kind of task shares (a module task, a block, an include).</summary>
public abstract record TaskNode
{
    public required SourceSpan Span { get; init; }

    public string? Name { get; init; }

    /// <summary>Conditions, all of which must hold (Ansible's `when` list).</summary>
    public ImmutableArray<string> When { get; init; } = [];

    public ImmutableArray<string> Tags { get; init; } = [];

    public bool? Become { get; init; }

    public string? BecomeUser { get; init; }

    public ImmutableDictionary<string, object?> Vars { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>The role this task came from, if any (for its variables and file search paths).</summary>
    public RoleContext? Role { get; init; }

    public bool IgnoreErrors { get; init; }

    public bool? CheckMode { get; init; }

    public bool NoLog { get; init; }
}

/// <summary>A task that runs one module.</summary>
public sealed record TaskDefinition : TaskNode
{
    public required string ModuleName { get; init; }

    public required IModule Module { get; init; }

    /// <summary>The module's arguments as written (still templated), with positions for errors.</summary>
    public required YMapping Args { get; init; }

    public object? Loop { get; init; }

    public string? LoopLabel { get; init; }

    public string LoopVar { get; init; } = "item";

    public string? Register { get; init; }

    public ImmutableArray<string> Notify { get; init; } = [];

    /// <summary>Handler topics this handler answers to (its name is one of them).</summary>
    public ImmutableArray<string> Listen { get; init; } = [];

    public string? ChangedWhen { get; init; }

    public string? FailedWhen { get; init; }

    public int? Retries { get; init; }

    public string? Until { get; init; }

    public double Delay { get; init; } = 5;

    /// <summary>The name shown in output: the task's name, or the module and its first argument.</summary>
    public string DisplayName => Name ?? ModuleName;
}

public sealed record BlockDefinition : TaskNode
{
    public ImmutableArray<TaskNode> Block { get; init; } = [];

    public ImmutableArray<TaskNode> Rescue { get; init; } = [];

    public ImmutableArray<TaskNode> Always { get; init; } = [];
}

/// <summary>include_tasks / import_tasks, resolved at load time; a loop runs the file once per item.</summary>
public sealed record IncludeDefinition : TaskNode
{
    public required string File { get; init; }

    public ImmutableArray<TaskNode> Tasks { get; init; } = [];

    public object? Loop { get; init; }

    public string LoopVar { get; init; } = "item";
}

/// <summary>`meta: flush_handlers` and friends.</summary>
public sealed record MetaDefinition : TaskNode
{
    public required string Action { get; init; }
}

/// <summary>Where a role lives and its variables.</summary>
public sealed record RoleContext(string Name, string Path, ImmutableDictionary<string, object?> Vars, ImmutableDictionary<string, object?> Params);
