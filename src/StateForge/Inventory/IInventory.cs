using StateForge.Diagnostics;

namespace StateForge.Inventory;

/// <summary>What the engine needs of an inventory: its hosts, groups and host patterns.</summary>
public interface IInventory
{
    IReadOnlyList<InventoryHost> Hosts { get; }

    InventoryHost? FindHost(string name);

    /// <summary>The host's groups, sorted, without `all` (Ansible's `group_names`).</summary>
    IReadOnlyList<string> GroupNamesOf(string host);

    /// <summary>Every group with its hosts, `all` and `ungrouped` included (Ansible's `groups`).</summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> GroupsToHosts();

    /// <summary>The hosts a pattern names, in inventory order; a malformed pattern adds a diagnostic.</summary>
    IReadOnlyList<InventoryHost> Match(string pattern, SourceSpan at, DiagnosticBag diagnostics);
}
