using System.Globalization;
using StateForge.Diagnostics;

namespace StateForge.Inventory.Building;

/// <summary>
/// Collects groups, hosts and variables from every source (Ansible's InventoryData), then
/// reconciles them into an <see cref="InventoryGraph"/>: top groups under 'all', hosts without
/// a group in 'ungrouped'.
/// </summary>
internal sealed class InventoryBuilder
{
    private readonly Dictionary<string, GroupDraft> groups = new(StringComparer.Ordinal);
    private readonly List<GroupDraft> groupOrder = [];
    private readonly Dictionary<string, HostDraft> hosts = new(StringComparer.Ordinal);
    private readonly List<HostDraft> hostOrder = [];
    private readonly DiagnosticBag diagnostics;

    public InventoryBuilder(DiagnosticBag diagnostics)
    {
        this.diagnostics = diagnostics;
        All = AddGroup(InventoryModel.AllGroup);
        Ungrouped = AddGroup(InventoryModel.UngroupedGroup);
        All.Children.Add(Ungrouped);
        Ungrouped.Parents.Add(All);
    }

    public GroupDraft All { get; }

    public GroupDraft Ungrouped { get; }

    /// <summary>The file being read, recorded on hosts it introduces (inventory_file).</summary>
    public string? CurrentSource { get; set; }

    public DiagnosticBag Diagnostics => diagnostics;

    public bool HasGroup(string name) => groups.ContainsKey(name);

    public GroupDraft AddGroup(string name)
    {
        if (!groups.TryGetValue(name, out var group))
        {
            group = new GroupDraft(name, groupOrder.Count);
            groups[name] = group;
            groupOrder.Add(group);
        }

        return group;
    }

    public HostDraft AddHost(string name, GroupDraft? group, int? port, SourceSpan at)
    {
        if (!hosts.TryGetValue(name, out var host))
        {
            host = new HostDraft(name, hostOrder.Count, CurrentSource, at);
            hosts[name] = host;
            hostOrder.Add(host);
        }

        if (port is { } p)
        {
            host.Vars["ansible_port"] = (long)p;
        }

        group?.AddHost(host);
        return host;
    }

    public void SetGroupVar(GroupDraft group, string key, object? value, SourceSpan at)
    {
        if (key != "ansible_group_priority")
        {
            group.Vars[key] = value;
            return;
        }

        if (long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var priority))
        {
            group.Priority = (int)Math.Clamp(priority, int.MinValue, int.MaxValue);
        }
        else
        {
            diagnostics.Add(DiagnosticCatalog.InvalidInventory(at, $"ansible_group_priority of group '{group.Name}' must be an integer, not '{value}'"));
        }
    }

    /// <summary>Makes <paramref name="child"/> a child group; refuses loops, as Ansible does.</summary>
    public bool AddChild(GroupDraft parent, GroupDraft child, SourceSpan at)
    {
        if (parent.Children.Contains(child))
        {
            return true;
        }

        // A loop needs the child to have children and the parent to have parents; checking that
        // first keeps long chains of groups (declared in either order) linear.
        if (parent == child || (child.Children.Count > 0 && parent.Parents.Count > 0 && parent.Ancestors().Contains(child)))
        {
            diagnostics.Add(DiagnosticCatalog.InvalidInventory(at, $"adding group '{child.Name}' as child to '{parent.Name}' creates a recursive dependency loop"));
            return false;
        }

        parent.Children.Add(child);
        child.Parents.Add(parent);
        return true;
    }

    public InventoryGraph Build()
    {
        Reconcile();
        return InventoryGraph.Create(groupOrder, hostOrder);
    }

    private void Reconcile()
    {
        foreach (var group in groupOrder)
        {
            if (group != All && group.Parents.Count == 0)
            {
                All.Children.Add(group);
                group.Parents.Add(All);
            }
        }

        var ancestors = new Dictionary<GroupDraft, HashSet<GroupDraft>>();
        var leaveUngrouped = new HashSet<HostDraft>();
        foreach (var host in hostOrder)
        {
            var memberOf = new HashSet<GroupDraft>(host.Groups);
            foreach (var g in host.Groups)
            {
                if (!ancestors.TryGetValue(g, out var above))
                {
                    ancestors[g] = above = g.Ancestors();
                }

                memberOf.UnionWith(above);
            }

            memberOf.Remove(All);
            if (memberOf.Remove(Ungrouped))
            {
                if (memberOf.Count > 0)
                {
                    leaveUngrouped.Add(host);
                }
            }
            else if (memberOf.Count == 0)
            {
                Ungrouped.AddHost(host);
            }
        }

        Ungrouped.RemoveHosts(leaveUngrouped);

        foreach (var host in hostOrder.Where(h => groups.ContainsKey(h.Name)))
        {
            diagnostics.Add(DiagnosticCatalog.InventoryNameConflict(host.DefinedAt, host.Name));
        }
    }
}
