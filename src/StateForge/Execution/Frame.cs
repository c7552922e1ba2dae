using System.Collections.Immutable;
using StateForge.Model;

namespace StateForge.Execution;

/// <summary>What enclosing blocks and includes pass down to the tasks inside them.</summary>
internal sealed record Frame
{
    public static readonly Frame Root = new();

    /// <summary>Block and include variables, innermost first.</summary>
    public ImmutableArray<IReadOnlyDictionary<string, object?>> VarLayers { get; init; } = [];

    public ImmutableHashSet<string> Tags { get; init; } = ImmutableHashSet<string>.Empty;

    public bool? Become { get; init; }

    public string? BecomeUser { get; init; }

    public bool IgnoreErrors { get; init; }

    public bool? CheckMode { get; init; }

    public bool NoLog { get; init; }

    public Frame Enter(TaskNode node, IReadOnlyDictionary<string, object?>? extraVars = null)
    {
        var layers = VarLayers;
        if (node.Vars.Count > 0)
        {
            layers = layers.Insert(0, node.Vars);
        }

        if (extraVars is not null)
        {
            layers = layers.Insert(0, extraVars);
        }

        return this with
        {
            VarLayers = layers,
            Tags = Tags.Union(node.Tags),
            Become = node.Become ?? Become,
            BecomeUser = node.BecomeUser ?? BecomeUser,
            IgnoreErrors = IgnoreErrors || node.IgnoreErrors,
            CheckMode = node.CheckMode ?? CheckMode,
            NoLog = NoLog || node.NoLog,
        };
    }
}
