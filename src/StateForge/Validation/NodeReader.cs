using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Parsing;

namespace StateForge.Validation;

/// <summary>Reads keyword values of known shapes from YAML nodes, reporting wrong shapes as diagnostics.</summary>
internal sealed class NodeReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public string? String(YNode node, string what)
    {
        if (node is YScalar s && s.ToPlain() is not (IDictionary<string, object?> or IList<object?>))
        {
            return s.Value;
        }

        Diagnostics.Add(DiagnosticCatalog.WrongType(node.Span, what, "a string", node.KindName));
        return null;
    }

    public bool? Bool(YNode node, string what)
    {
        if (node is YScalar s)
        {
            if (s.ToPlain() is bool b)
            {
                return b;
            }

            if (s.Value.Contains("{{", StringComparison.Ordinal))
            {
                Diagnostics.Add(DiagnosticCatalog.InvalidValue(node.Span, what, "must be a literal boolean here, not a template"));
                return null;
            }
        }

        Diagnostics.Add(DiagnosticCatalog.WrongType(node.Span, what, "a boolean", node.KindName));
        return null;
    }

    public int? Int(YNode node, string what)
    {
        if (node is YScalar s && s.ToPlain() is long l)
        {
            if (l is >= int.MinValue and <= int.MaxValue)
            {
                return (int)l;
            }

            Diagnostics.Add(DiagnosticCatalog.InvalidValue(node.Span, what, $"{l} is too large"));
            return null;
        }

        Diagnostics.Add(DiagnosticCatalog.WrongType(node.Span, what, "an integer", node.KindName));
        return null;
    }

    /// <summary>A string or a list of strings (tags, notify, when).</summary>
    public ImmutableArray<string> Strings(YNode node, string what, bool splitCommas = false)
    {
        switch (node)
        {
            case YScalar s:
                var text = s.ToPlain() switch
                {
                    bool b => b ? "True" : "False",
                    null => "",
                    var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                };
                return text.Length == 0 ? []
                    : splitCommas ? [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
                    : [s.Style == YScalarStyle.Plain ? text : s.Value];
            case YSequence seq:
                var items = ImmutableArray.CreateBuilder<string>();
                foreach (var item in seq.Items)
                {
                    if (item is YScalar i)
                    {
                        items.Add(i.ToPlain() is bool b ? (b ? "True" : "False") : i.Value);
                    }
                    else
                    {
                        Diagnostics.Add(DiagnosticCatalog.WrongType(item.Span, $"each item of {what}", "a string", item.KindName));
                    }
                }

                return items.ToImmutable();
            default:
                Diagnostics.Add(DiagnosticCatalog.WrongType(node.Span, what, "a string or a list of strings", node.KindName));
                return [];
        }
    }

    /// <summary>Tags: a comma-separated string or a list. As in Ansible, a lone number or boolean is a mistake.</summary>
    public ImmutableArray<string> Tags(YNode node)
    {
        if (node is YScalar { Style: YScalarStyle.Plain } s && s.ToPlain() is not (string or null))
        {
            Diagnostics.Add(DiagnosticCatalog.WrongType(node.Span, "tags", "a string or a list of strings", node.KindName));
            return [];
        }

        return Strings(node, "tags", splitCommas: true);
    }

    public YMapping? Mapping(YNode node, string what)
    {
        if (node is YMapping m)
        {
            return m;
        }

        if (node is YScalar { Value: "" } s && s.Style == YScalarStyle.Plain)
        {
            return new YMapping([], s.Span);
        }

        Diagnostics.Add(DiagnosticCatalog.WrongType(node.Span, what, "a mapping", node.KindName));
        return null;
    }

    public YSequence? Sequence(YNode node, string what)
    {
        if (node is YSequence s)
        {
            return s;
        }

        if (node is YScalar { Value: "" } e && e.Style == YScalarStyle.Plain)
        {
            return new YSequence([], e.Span);
        }

        Diagnostics.Add(DiagnosticCatalog.WrongType(node.Span, what, "a list", node.KindName));
        return null;
    }

    public ImmutableDictionary<string, object?> Vars(YNode node, string what) =>
        Mapping(node, what) is { } m
            ? ((IDictionary<string, object?>)m.ToPlain()!).ToImmutableDictionary(StringComparer.Ordinal)
            : ImmutableDictionary<string, object?>.Empty;

    public void CheckKeys(YMapping mapping, IReadOnlySet<string> allowed, string where, IEnumerable<string>? extraSuggestions = null)
    {
        foreach (var e in mapping.Entries.Where(e => !allowed.Contains(e.Key.Value)))
        {
            var near = Suggestions.Nearest(e.Key.Value, allowed.Concat(extraSuggestions ?? []));
            Diagnostics.Add(DiagnosticCatalog.UnknownKeyword(e.Key.Span, e.Key.Value, where, near));
        }
    }
}
