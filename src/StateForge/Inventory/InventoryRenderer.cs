using System.Text;
using System.Text.Json;
using StateForge.Inventory.Building;

namespace StateForge.Inventory;

/// <summary>
/// The inventory as <c>ansible-inventory --graph</c> and <c>--list</c> print it (ansible-core
/// 2.14 and later, which keep definition order instead of sorting names).
/// </summary>
public static class InventoryRenderer
{
    /// <summary>Variables ansible-inventory leaves out of hostvars: magic and internal ones.</summary>
    public static readonly IReadOnlySet<string> InternalVars = new HashSet<string>(
    [
        "ansible_config_file", "ansible_diff_mode", "ansible_facts", "ansible_forks", "ansible_inventory_sources",
        "ansible_limit", "ansible_playbook_python", "ansible_run_tags", "ansible_skip_tags", "ansible_verbosity",
        "ansible_version", "inventory_dir", "inventory_file", "inventory_hostname", "inventory_hostname_short",
        "groups", "group_names", "omit", "hostvars", "playbook_dir", "play_hosts", "role_names", "ungrouped",
    ], StringComparer.Ordinal);

    /// <summary>The tree from 'all': child groups first, then the group's own hosts; lines joined by \n.</summary>
    public static string Graph(InventoryModel model) => Graph(model, InventoryModel.AllGroup)!;

    /// <summary>The tree from one group, or null when the inventory has no such group.</summary>
    public static string? Graph(InventoryModel model, string group)
    {
        if (model.Graph.FindGroup(group) is not { } start)
        {
            return null;
        }

        var sb = new StringBuilder();
        AppendGroup(model.Graph, start, 0, sb);
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// The JSON of <c>ansible-inventory --list</c>: each non-empty group with its direct hosts and
    /// child groups, and _meta.hostvars with every host's merged variables (magic ones left out),
    /// keys sorted, indented by four spaces.
    /// </summary>
    public static string ListJson(InventoryModel model)
    {
        var root = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        var seen = new HashSet<int>();
        AddGroup(model.Graph, model.Graph.All, root, seen);
        var hostvars = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var host in model.Hosts)
        {
            var visible = host.Vars.Where(v => !InternalVars.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            if (visible.Count > 0)
            {
                hostvars[host.Name] = visible;
            }
        }

        root["_meta"] = new Dictionary<string, object?> { ["hostvars"] = hostvars };
        return PythonJson.Serialize(root);
    }

    private static void AppendGroup(InventoryGraph graph, GroupNode group, int depth, StringBuilder sb)
    {
        AppendLine(sb, depth, $"@{group.Name}:");
        foreach (var child in group.Children)
        {
            AppendGroup(graph, graph.Groups[child], depth + 1, sb);
        }

        if (group.Index != graph.All.Index)
        {
            foreach (var host in group.Hosts)
            {
                AppendLine(sb, depth + 1, graph.Hosts[host].Name);
            }
        }
    }

    private static void AppendLine(StringBuilder sb, int depth, string text)
    {
        for (var i = 0; i < depth; i++)
        {
            sb.Append("  |");
        }

        sb.Append(depth > 0 ? "--" : "").Append(text).Append('\n');
    }

    private static void AddGroup(InventoryGraph graph, GroupNode group, SortedDictionary<string, object?> root, HashSet<int> seen)
    {
        var entry = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (group.Index != graph.All.Index && group.Hosts.Length > 0)
        {
            entry["hosts"] = group.Hosts.Select(h => (object?)graph.Hosts[h].Name).ToList();
        }

        if (group.Children.Length > 0)
        {
            entry["children"] = group.Children.Select(c => (object?)graph.Groups[c].Name).ToList();
        }

        if (entry.Count > 0)
        {
            root[group.Name] = entry;
        }

        foreach (var child in group.Children)
        {
            if (seen.Add(child))
            {
                AddGroup(graph, graph.Groups[child], root, seen);
            }
        }
    }
}
