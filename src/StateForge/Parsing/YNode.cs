using System.Collections.Immutable;
using StateForge.Diagnostics;

namespace StateForge.Parsing;

/// <summary>A YAML node with its source position. The parse tree every later stage reads.</summary>
public abstract record YNode(SourceSpan Span)
{
    /// <summary>The node as plain .NET values: string, long, double, bool, null, lists and dictionaries.</summary>
    public abstract object? ToPlain();

    public abstract string KindName { get; }
}

public enum YScalarStyle
{
    Plain,
    Quoted,
    Block,
}

public sealed record YScalar(string Value, YScalarStyle Style, string? Tag, SourceSpan Span) : YNode(Span)
{
    public override string KindName => Style == YScalarStyle.Plain ? ScalarResolver.KindOf(Value) : "a string";

    public override object? ToPlain() => Style == YScalarStyle.Plain ? ScalarResolver.Resolve(Value, Tag) : ScalarResolver.ResolveTagged(Value, Tag);
}

public sealed record YSequence(ImmutableArray<YNode> Items, SourceSpan Span) : YNode(Span)
{
    public override string KindName => "a list";

    public override object? ToPlain() => Items.Select(i => i.ToPlain()).ToList();
}

public sealed record YEntry(YScalar Key, YNode Value);

public sealed record YMapping(ImmutableArray<YEntry> Entries, SourceSpan Span) : YNode(Span)
{
    public override string KindName => "a mapping";

    public YNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key)?.Value;

    public bool Has(string key) => Entries.Any(e => e.Key.Value == key);

    public override object? ToPlain()
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var e in Entries)
        {
            d[e.Key.Value] = e.Value.ToPlain();
        }

        return d;
    }
}
