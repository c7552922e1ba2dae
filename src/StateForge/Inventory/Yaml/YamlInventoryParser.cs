using StateForge.Diagnostics;
using StateForge.Inventory.Building;
using StateForge.Inventory.Hosts;
using StateForge.Parsing;

namespace StateForge.Inventory.Yaml;

/// <summary>
/// Reads an Ansible YAML inventory: top-level keys are groups (usually just 'all'), each with
/// optional hosts:, children: and vars: mappings; host keys may carry ranges and a :port.
/// Where Ansible warns and skips (an unknown key in a group, a group that is not a mapping),
/// StateForge reports an SF0017 error at the offending key.
/// </summary>
internal sealed class YamlInventoryParser(InventoryBuilder builder)
{
    private static readonly string[] GroupKeys = ["hosts", "children", "vars"];

    public void Parse(YMapping root)
    {
        if (root.Entries.FirstOrDefault(e => e.Key.Value == "plugin") is { } plugin)
        {
            builder.Diagnostics.Add(DiagnosticCatalog.InventoryPluginUnsupported(plugin.Key.Span, plugin.Value is YScalar s ? s.Value : "plugin"));
            return;
        }

        foreach (var entry in root.Entries)
        {
            ParseGroup(entry.Key, entry.Value);
        }
    }

    private GroupDraft? ParseGroup(YScalar key, YNode value)
    {
        if (value is not YMapping && !(value is YScalar s && s.ToPlain() is null))
        {
            Error(value.Span, $"group '{key.Value}' must be a mapping of hosts, children and vars, not {value.KindName}");
            return null;
        }

        var group = builder.AddGroup(key.Value);
        if (value is not YMapping mapping)
        {
            return group;
        }

        foreach (var entry in mapping.Entries)
        {
            var section = AsSection(entry, key.Value);
            switch (entry.Key.Value)
            {
                case "vars":
                    foreach (var v in section)
                    {
                        builder.SetGroupVar(group, v.Key.Value, v.Value.ToPlain(), v.Key.Span);
                    }

                    break;
                case "children":
                    foreach (var c in section)
                    {
                        if (ParseGroup(c.Key, c.Value) is { } child)
                        {
                            builder.AddChild(group, child, c.Key.Span);
                        }
                    }

                    break;
                case "hosts":
                    foreach (var h in section)
                    {
                        ParseHost(h, group);
                    }

                    break;
                default:
                    var suggestion = Suggestions.Nearest(entry.Key.Value, GroupKeys);
                    Error(entry.Key.Span, $"unknown key '{entry.Key.Value}' in group '{key.Value}'; a group has only hosts, children and vars{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
                    break;
            }
        }

        return group;
    }

    /// <summary>The entries of hosts:/children:/vars:, which Ansible also accepts as null or one name.</summary>
    private IEnumerable<YEntry> AsSection(YEntry entry, string group)
    {
        switch (entry.Value)
        {
            case YMapping m:
                return m.Entries;
            case YScalar s when s.ToPlain() is null:
                return [];
            case YScalar s when GroupKeys.Contains(entry.Key.Value):
                return [new YEntry(s, new YScalar("", YScalarStyle.Plain, null, s.Span))];
            default:
                if (GroupKeys.Contains(entry.Key.Value))
                {
                    Error(entry.Value.Span, $"'{entry.Key.Value}' of group '{group}' must be a mapping, not {entry.Value.KindName}");
                }

                return [];
        }
    }

    private void ParseHost(YEntry entry, GroupDraft group)
    {
        var key = entry.Key;
        if (key.Style == YScalarStyle.Plain && key.ToPlain() is not string)
        {
            Error(key.Span, $"host name {key.Value} must be a string; quote it ('{key.Value}')");
            return;
        }

        var hostEntry = HostEntry.Expand(key.Value);
        if (hostEntry.Error is not null)
        {
            Error(key.Span, hostEntry.Error);
            return;
        }

        IReadOnlyList<YEntry>? vars = entry.Value switch
        {
            YMapping m => m.Entries,
            YScalar s when s.ToPlain() is null => [],
            _ => null,
        };
        if (vars is null)
        {
            Error(entry.Value.Span, $"host '{key.Value}' must have a mapping of variables, not {entry.Value.KindName}");
            return;
        }

        foreach (var name in hostEntry.Names)
        {
            var host = builder.AddHost(name, group, hostEntry.Port, key.Span);
            foreach (var v in vars)
            {
                host.Vars[v.Key.Value] = v.Value.ToPlain();
            }
        }
    }

    private void Error(SourceSpan at, string message) => builder.Diagnostics.Add(DiagnosticCatalog.InvalidInventory(at, message));
}
