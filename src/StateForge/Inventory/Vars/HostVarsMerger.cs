using StateForge.Inventory.Building;
using StateForge.Inventory.Hosts;

namespace StateForge.Inventory.Vars;

/// <summary>
/// Merges one host's variables in Ansible's order (its default VARIABLE_PRECEDENCE), lowest first:
/// <list type="number">
/// <item>the inventory's 'all' group vars, then every other group of the host's, by depth,
/// then ansible_group_priority, then name (so a child group beats its parent);</item>
/// <item>group_vars/all beside the inventory, then beside the playbook;</item>
/// <item>group_vars/GROUP beside the inventory, then beside the playbook, groups in the same order;</item>
/// <item>the host's own inventory vars, then host_vars/HOST beside the inventory, then beside the playbook;</item>
/// <item>the magic vars inventory_hostname, inventory_hostname_short and group_names.</item>
/// </list>
/// Later values replace earlier ones whole (Ansible's default hash_behaviour=replace).
/// </summary>
internal static class HostVarsMerger
{
    public static Dictionary<string, object?> Merge(
        InventoryGraph graph,
        HostNode host,
        IReadOnlyList<VarsLayer> inventoryLayers,
        IReadOnlyList<VarsLayer> playbookLayers)
    {
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal);
        Add(vars, graph.All.Vars);
        foreach (var g in host.MergeOrder)
        {
            Add(vars, graph.Groups[g].Vars);
        }

        AddGroupFiles(vars, inventoryLayers, InventoryModel.AllGroup);
        AddGroupFiles(vars, playbookLayers, InventoryModel.AllGroup);
        foreach (var layers in new[] { inventoryLayers, playbookLayers })
        {
            foreach (var layer in layers)
            {
                foreach (var g in host.MergeOrder)
                {
                    Add(vars, layer.GroupVars.GetValueOrDefault(graph.Groups[g].Name));
                }
            }
        }

        vars["inventory_file"] = host.Source;
        vars["inventory_dir"] = host.Source is null ? null : Path.GetDirectoryName(host.Source);
        Add(vars, host.Vars);
        foreach (var layer in inventoryLayers.Concat(playbookLayers))
        {
            Add(vars, layer.HostVars.GetValueOrDefault(host.Name));
        }

        vars["inventory_hostname"] = host.Name;
        vars["inventory_hostname_short"] = ShortName(host.Name);
        vars["group_names"] = GroupNames(graph, host).Cast<object?>().ToList();
        return vars;
    }

    /// <summary>Sorted, without 'all' (Ansible's group_names).</summary>
    public static List<string> GroupNames(InventoryGraph graph, HostNode host) =>
        host.Groups.Where(g => g != 0).Select(g => graph.Groups[g].Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>The name up to the first dot, except for IP addresses, which stay whole.</summary>
    public static string ShortName(string name) =>
        HostAddress.IsIpAddress(name) ? name : name.Split('.')[0];

    private static void AddGroupFiles(Dictionary<string, object?> vars, IReadOnlyList<VarsLayer> layers, string group)
    {
        foreach (var layer in layers)
        {
            Add(vars, layer.GroupVars.GetValueOrDefault(group));
        }
    }

    private static void Add(Dictionary<string, object?> into, IReadOnlyDictionary<string, object?>? from)
    {
        if (from is null)
        {
            return;
        }

        foreach (var (key, value) in from)
        {
            into[key] = value;
        }
    }
}
