namespace StateForge.Inventory;

/// <summary>
/// A group as the inventory defines it: the hosts named in it directly, its child groups (both
/// in definition order) and the variables the inventory source sets on it.
/// </summary>
/// <remarks>
/// <see cref="Vars"/> are the source's own (INI [group:vars], YAML vars:); group_vars/ files are
/// merged into each host's variables, not here. ansible_group_priority is
/// <see cref="Priority"/>, not a variable, as in Ansible.
/// </remarks>
public sealed record InventoryGroup(
    string Name,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<string> Children,
    IReadOnlyDictionary<string, object?> Vars)
{
    /// <summary>ansible_group_priority: among groups of the same depth, higher wins. Default 1.</summary>
    public int Priority { get; init; } = 1;

    /// <summary>The longest distance from 'all' (0); child groups are deeper than their parents.</summary>
    public int Depth { get; init; }

    /// <summary>The groups this group is a child of, in the order the links were made.</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];
}
