using System.Text.RegularExpressions;
using StateForge.Diagnostics;
using StateForge.Inventory.Building;

namespace StateForge.Inventory.Ini;

/// <summary>
/// Reads an Ansible INI inventory, by the rules of Ansible's ini plugin: lines before any section
/// are ungrouped hosts; [group] lists hosts with inline key=value vars; [group:vars] sets one
/// variable a line; [group:children] names child groups, which must be defined in the same
/// file (before or after). Every problem is reported, with its line and column.
/// </summary>
internal sealed partial class IniInventoryParser(InventoryBuilder builder, string file)
{
    private readonly Dictionary<string, PendingGroup> pending = new(StringComparer.Ordinal);
    private readonly List<string> pendingOrder = [];
    private GroupDraft group = builder.Ungrouped;
    private IniSection section = IniSection.Hosts;

    private DiagnosticBag Diagnostics => builder.Diagnostics;

    public void Parse(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                continue;
            }

            var at = new SourceSpan(file, i + 1, line.Length - line.TrimStart().Length + 1);
            if (SectionHeader().Match(trimmed) is { Success: true } header)
            {
                EnterSection(header, at);
                continue;
            }

            if (SectionWithSemicolonComment().IsMatch(trimmed))
            {
                Error(at, $"only a '#' comment may follow a section header, not ';': '{trimmed}'");
                section = IniSection.Skipped;
                continue;
            }

            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                Error(at, $"invalid section entry '{trimmed}': make sure there are no spaces or other invalid characters in the section entry");
                section = IniSection.Skipped;
                continue;
            }

            var lineParser = new IniLineParser(builder, group, at);
            switch (section)
            {
                case IniSection.Hosts:
                    lineParser.ParseHosts(line);
                    break;
                case IniSection.Vars:
                    lineParser.ParseVariable(trimmed);
                    break;
                case IniSection.Children:
                    ParseChild(trimmed, at);
                    break;
            }
        }

        ReportUnresolved();
    }

    private void EnterSection(Match header, SourceSpan at)
    {
        var name = header.Groups[1].Value;
        var kind = header.Groups[2].Success ? header.Groups[2].Value : "hosts";
        section = kind switch
        {
            "hosts" => IniSection.Hosts,
            "vars" => IniSection.Vars,
            "children" => IniSection.Children,
            _ => IniSection.Skipped,
        };
        if (section == IniSection.Skipped)
        {
            var column = at.Column + header.Groups[2].Index;
            var suggestion = Suggestions.Nearest(kind, ["vars", "children"]);
            Error(at with { Column = column }, $"section [{name}:{kind}] has unknown type '{kind}'; a section is [group], [group:vars] or [group:children]{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
            return;
        }

        if (!builder.HasGroup(name) && section == IniSection.Vars && !pending.ContainsKey(name))
        {
            AddPending(name, new PendingGroup(IniSection.Vars, at with { Column = at.Column + 1 }));
        }

        group = builder.AddGroup(name);
        if (section != IniSection.Vars && pending.TryGetValue(name, out var waiting))
        {
            if (waiting.Kind == IniSection.Children)
            {
                ResolveChildren(name);
            }
            else
            {
                RemovePending(name);
            }
        }
    }

    private void ParseChild(string trimmed, SourceSpan at)
    {
        if (GroupNameLine().Match(trimmed) is not { Success: true } m)
        {
            Error(at, $"expected a group name, got '{trimmed}'");
            return;
        }

        var child = m.Groups[1].Value;
        if (builder.HasGroup(child))
        {
            builder.AddChild(group, builder.AddGroup(child), at);
        }
        else if (pending.TryGetValue(child, out var waiting))
        {
            waiting.Parents.Add((group, at));
        }
        else
        {
            AddPending(child, new PendingGroup(IniSection.Children, at) { Parents = { (group, at) } });
        }
    }

    /// <summary>A group named in [parent:children] before its own section: link it now.</summary>
    private void ResolveChildren(string name)
    {
        var waiting = pending[name];
        RemovePending(name);
        var child = builder.AddGroup(name);
        foreach (var (parent, at) in waiting.Parents)
        {
            builder.AddChild(parent, child, at);
            if (pending.TryGetValue(parent.Name, out var parentWaiting) && parentWaiting.Kind == IniSection.Children)
            {
                ResolveChildren(parent.Name);
            }
        }
    }

    private void ReportUnresolved()
    {
        foreach (var name in pendingOrder)
        {
            var waiting = pending[name];
            if (waiting.Kind == IniSection.Vars)
            {
                Error(waiting.At, $"section [{name}:vars] is not valid for undefined group '{name}'");
            }
            else
            {
                foreach (var (parent, at) in waiting.Parents)
                {
                    Error(at, $"section [{parent.Name}:children] includes undefined group '{name}'; declare it with a [{name}] section");
                }
            }
        }
    }

    private void AddPending(string name, PendingGroup waiting)
    {
        pending[name] = waiting;
        pendingOrder.Add(name);
    }

    private void RemovePending(string name)
    {
        pending.Remove(name);
        pendingOrder.Remove(name);
    }

    private void Error(SourceSpan at, string message) => Diagnostics.Add(DiagnosticCatalog.InvalidInventory(at, message));

    [GeneratedRegex(@"^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^\[[^\]\s]+\]\s*;")]
    private static partial Regex SectionWithSemicolonComment();

    [GeneratedRegex(@"^([^:\]\s]+)\s*(?:#.*)?$")]
    private static partial Regex GroupNameLine();

    private sealed record PendingGroup(IniSection Kind, SourceSpan At)
    {
        public List<(GroupDraft Group, SourceSpan At)> Parents { get; } = [];
    }
}

internal enum IniSection
{
    Hosts,
    Vars,
    Children,
    Skipped,
}
