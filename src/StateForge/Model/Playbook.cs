using System.Collections.Immutable;
using StateForge.Diagnostics;

namespace StateForge.Model;

/// <summary>A validated playbook: every include and role resolved, every task bound to its module.</summary>
public sealed record Playbook(string Path, ImmutableArray<Play> Plays);

public sealed record Play
{
    public required string Name { get; init; }

    public required string Hosts { get; init; }

    public required SourceSpan Span { get; init; }

    /// <summary>Play vars and vars_files, merged in order (vars_files above vars, as in Ansible).</summary>
    public ImmutableDictionary<string, object?> Vars { get; init; } = ImmutableDictionary<string, object?>.Empty;

    public ImmutableDictionary<string, object?> VarsFiles { get; init; } = ImmutableDictionary<string, object?>.Empty;

    /// <summary>Role defaults of every role in the play (lowest precedence).</summary>
    public ImmutableDictionary<string, object?> RoleDefaults { get; init; } = ImmutableDictionary<string, object?>.Empty;

    public bool? Become { get; init; }

    public string? BecomeUser { get; init; }

    public bool GatherFacts { get; init; } = true;

    public string Strategy { get; init; } = "linear";

    /// <summary>pre_tasks, roles, tasks and post_tasks in the order they run.</summary>
    public ImmutableArray<TaskNode> Tasks { get; init; } = [];

    public ImmutableArray<TaskDefinition> Handlers { get; init; } = [];

    public ImmutableArray<string> Tags { get; init; } = [];
}
