using System.Collections.Immutable;

namespace StateForge.Inventory.Building;

/// <summary>A group once sources are read. Indexes point into <see cref="InventoryGraph"/>'s arrays.</summary>
internal sealed record GroupNode(
    string Name,
    int Index,
    ImmutableArray<int> Hosts,
    ImmutableArray<int> Children,
    ImmutableArray<int> Parents,
    IReadOnlyDictionary<string, object?> Vars,
    int Priority,
    int Depth,
    ImmutableArray<int> AllHosts);

/// <summary>
/// A host once sources are read: its inventory variables, every group it belongs to (directly
/// or through child groups, 'all' included), and those groups in variable-merge order.
/// </summary>
internal sealed record HostNode(
    string Name,
    int Index,
    IReadOnlyDictionary<string, object?> Vars,
    string? Source,
    ImmutableArray<int> Groups,
    ImmutableArray<int> MergeOrder);

/// <summary>The reconciled, immutable shape of an inventory: groups and hosts in definition order.</summary>
internal sealed class InventoryGraph
{
    private readonly Dictionary<string, int> groupIndex;
    private readonly Dictionary<string, int> hostIndex;

    private InventoryGraph(ImmutableArray<GroupNode> groups, ImmutableArray<HostNode> hosts)
    {
        Groups = groups;
        Hosts = hosts;
        groupIndex = groups.ToDictionary(g => g.Name, g => g.Index, StringComparer.Ordinal);
        hostIndex = hosts.ToDictionary(h => h.Name, h => h.Index, StringComparer.Ordinal);
    }

    public ImmutableArray<GroupNode> Groups { get; }

    public ImmutableArray<HostNode> Hosts { get; }

    public GroupNode All => Groups[0];

    public GroupNode? FindGroup(string name) => groupIndex.TryGetValue(name, out var i) ? Groups[i] : null;

    public HostNode? FindHost(string name) => hostIndex.TryGetValue(name, out var i) ? Hosts[i] : null;

    public static InventoryGraph Create(IReadOnlyList<GroupDraft> groups, IReadOnlyList<HostDraft> hosts)
    {
        var depth = new int?[groups.Count];
        var ancestors = new HashSet<int>?[groups.Count];
        var allHosts = new ImmutableArray<int>?[groups.Count];

        // Memoised in parents-first order (children-first for hosts), so that a long chain of
        // child groups never recurses deeply.
        var parentsFirst = ParentsFirst(groups);
        foreach (var g in parentsFirst)
        {
            DepthOf(g);
        }

        for (var i = parentsFirst.Count - 1; i >= 0; i--)
        {
            HostsUnder(parentsFirst[i]);
        }

        var groupNodes = groups.Select(g => new GroupNode(
            g.Name,
            g.Order,
            [.. g.Hosts.Select(h => h.Index)],
            [.. g.Children.Select(c => c.Order)],
            [.. g.Parents.Select(p => p.Order)],
            new Dictionary<string, object?>(g.Vars, StringComparer.Ordinal),
            g.Priority,
            DepthOf(g),
            HostsUnder(g))).ToImmutableArray();

        var hostNodes = hosts.Select(h =>
        {
            var memberOf = new HashSet<int>();
            foreach (var g in h.Groups)
            {
                memberOf.Add(g.Order);
                memberOf.UnionWith(AncestorsOf(g));
            }

            var ordered = memberOf.Order().ToImmutableArray();
            var mergeOrder = ordered
                .Where(i => i != 0)
                .OrderBy(i => groupNodes[i].Depth)
                .ThenBy(i => groupNodes[i].Priority)
                .ThenBy(i => groupNodes[i].Name, StringComparer.Ordinal)
                .ToImmutableArray();
            return new HostNode(h.Name, h.Index, new Dictionary<string, object?>(h.Vars, StringComparer.Ordinal), h.Source, ordered, mergeOrder);
        }).ToImmutableArray();

        return new InventoryGraph(groupNodes, hostNodes);

        // Ansible's group depth: the longest path down from 'all'.
        int DepthOf(GroupDraft g) =>
            depth[g.Order] ??= g.Parents.Count == 0 ? 0 : g.Parents.Max(p => DepthOf(p) + 1);

        // Only for groups that hold hosts: a set for every group of a long chain would be quadratic.
        HashSet<int> AncestorsOf(GroupDraft g) => ancestors[g.Order] ??= [.. g.Ancestors().Select(a => a.Order)];

        ImmutableArray<int> HostsUnder(GroupDraft g)
        {
            if (allHosts[g.Order] is { } known)
            {
                return known;
            }

            if (g.Order == 0)
            {
                return (allHosts[0] = Enumerable.Range(0, hosts.Count).ToImmutableArray()).Value;
            }

            var set = new HashSet<int>(g.Hosts.Select(h => h.Index));
            foreach (var c in g.Children)
            {
                set.UnionWith(HostsUnder(c));
            }

            return (allHosts[g.Order] = set.Order().ToImmutableArray()).Value;
        }
    }

    /// <summary>Groups with every parent before its children (Kahn's algorithm; the graph has no cycles).</summary>
    private static List<GroupDraft> ParentsFirst(IReadOnlyList<GroupDraft> groups)
    {
        var waiting = groups.ToDictionary(g => g, g => g.Parents.Count);
        var ready = new Queue<GroupDraft>(groups.Where(g => g.Parents.Count == 0));
        var order = new List<GroupDraft>(groups.Count);
        while (ready.TryDequeue(out var g))
        {
            order.Add(g);
            foreach (var child in g.Children)
            {
                if (--waiting[child] == 0)
                {
                    ready.Enqueue(child);
                }
            }
        }

        return order;
    }
}
