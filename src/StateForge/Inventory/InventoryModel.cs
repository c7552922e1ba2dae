using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Inventory.Building;
using StateForge.Inventory.Patterns;
using StateForge.Inventory.Vars;

namespace StateForge.Inventory;

/// <summary>
/// A loaded inventory: hosts in definition order with their variables merged by Ansible's
/// precedence, groups (always 'all' and 'ungrouped'), and host-pattern matching. Immutable;
/// <see cref="WithVarsDirectory"/> returns a new model.
/// </summary>
public sealed class InventoryModel : IInventory
{
    public const string AllGroup = "all";
    public const string UngroupedGroup = "ungrouped";

    /// <summary>Names Ansible treats as the control machine (its C.LOCALHOST).</summary>
    public static readonly IReadOnlySet<string> LocalhostNames = new HashSet<string>(["localhost", "127.0.0.1", "::1"], StringComparer.Ordinal);

    private readonly ImmutableArray<InventoryHost> hosts;
    private readonly Dictionary<string, InventoryHost> hostsByName;
    private readonly IReadOnlyList<VarsLayer> inventoryLayers;
    private readonly IReadOnlyList<VarsLayer> playbookLayers;
    private readonly HostPatternMatcher matcher;
    private readonly int? explicitLocalhost;
    private readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> groupsToHosts;

    internal InventoryModel(InventoryGraph graph, IReadOnlyList<string> sources, IReadOnlyList<VarsLayer> inventoryLayers, IReadOnlyList<VarsLayer> playbookLayers)
    {
        Graph = graph;
        Sources = sources;
        this.inventoryLayers = inventoryLayers;
        this.playbookLayers = playbookLayers;
        hosts = [.. graph.Hosts.Select(h => new InventoryHost(h.Name, HostVarsMerger.Merge(graph, h, inventoryLayers, playbookLayers)))];
        hostsByName = hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        Groups = BuildGroups(graph);
        explicitLocalhost = graph.Hosts.FirstOrDefault(h => LocalhostNames.Contains(h.Name))?.Index;
        ImplicitLocalhost = explicitLocalhost is null ? CreateImplicitLocalhost() : null;
        matcher = new HostPatternMatcher(graph, LocalhostIndex);
        groupsToHosts = new(() => BuildGroupsToHosts(graph));
    }

    /// <summary>An inventory with no source: only the implicit localhost.</summary>
    public static InventoryModel Empty { get; } = new(new InventoryBuilder(new DiagnosticBag()).Build(), [], [], []);

    /// <summary>The -i sources this inventory was read from.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Every host the inventory defines, in definition order (never the implicit localhost).</summary>
    public IReadOnlyList<InventoryHost> Hosts => hosts;

    /// <summary>Groups in the order they were first defined, starting with 'all' and 'ungrouped'.</summary>
    public IReadOnlyDictionary<string, InventoryGroup> Groups { get; }

    /// <summary>
    /// The localhost Ansible makes up when the inventory has no localhost (nor 127.0.0.1 or ::1):
    /// connection local, the 'all' group's variables, in no group, so <c>all</c> does not match
    /// it but <c>localhost</c> does. Null when the inventory defines one.
    /// </summary>
    public InventoryHost? ImplicitLocalhost { get; }

    internal InventoryGraph Graph { get; }

    /// <summary>A host by inventory name; localhost, 127.0.0.1 and ::1 always resolve.</summary>
    public InventoryHost? FindHost(string name)
    {
        if (hostsByName.TryGetValue(name, out var host))
        {
            return host;
        }

        return LocalhostNames.Contains(name) ? ImplicitLocalhost ?? hosts[explicitLocalhost!.Value] : null;
    }

    /// <summary>The host's groups, sorted, without 'all': Ansible's group_names.</summary>
    public IReadOnlyList<string> GroupNamesOf(string hostName) =>
        Graph.FindHost(hostName) is { } node ? HostVarsMerger.GroupNames(Graph, node) : [];

    public IReadOnlyList<string> GroupNamesOf(InventoryHost host) => GroupNamesOf(host.Name);

    /// <summary>Every group with all its hosts (child groups' included), for the 'groups' variable.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> GroupsToHosts() => groupsToHosts.Value;

    /// <summary>
    /// The hosts a pattern selects, in inventory order, without repeats: all, *, a host, a group,
    /// globs (web*), ~regex, a:b or a,b (union), a:&amp;b (intersection), a:!b (exclusion),
    /// group[0], group[-1], group[0:2] (inclusive), group[1:]. A pattern that names nothing
    /// yields no hosts (the caller warns); a malformed one adds an SF0018 error.
    /// </summary>
    public IReadOnlyList<InventoryHost> Match(string pattern, SourceSpan at, DiagnosticBag diagnostics) =>
        matcher.Match(pattern, at, diagnostics)
            .Select(i => i == HostPatternMatcher.ImplicitLocalhost ? ImplicitLocalhost! : hosts[i])
            .ToList();

    /// <summary>
    /// This inventory with DIR/group_vars and DIR/host_vars added above the inventory's own
    /// (Ansible's playbook-adjacent vars). Each call adds a layer above the previous ones.
    /// </summary>
    public InventoryModel WithVarsDirectory(string directory, DiagnosticBag diagnostics)
    {
        var layer = VarsDirectory.Load(directory, Graph.Groups.Select(g => g.Name), HostNamesForVars(Graph), diagnostics);
        return new InventoryModel(Graph, Sources, inventoryLayers, [.. playbookLayers, layer]);
    }

    internal static IEnumerable<string> HostNamesForVars(InventoryGraph graph) => graph.Hosts.Select(h => h.Name).Append("localhost");

    private int? LocalhostIndex(string name) =>
        !LocalhostNames.Contains(name) ? null : explicitLocalhost ?? HostPatternMatcher.ImplicitLocalhost;

    private InventoryHost CreateImplicitLocalhost()
    {
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal) { ["ansible_connection"] = "local" };
        var node = new HostNode("localhost", -1, vars, null, [], []);
        return new InventoryHost(node.Name, HostVarsMerger.Merge(Graph, node, inventoryLayers, playbookLayers));
    }

    private static OrderedDictionary<string, InventoryGroup> BuildGroups(InventoryGraph graph)
    {
        var groups = new OrderedDictionary<string, InventoryGroup>(StringComparer.Ordinal);
        foreach (var g in graph.Groups)
        {
            groups[g.Name] = new InventoryGroup(
                g.Name,
                [.. g.Hosts.Select(h => graph.Hosts[h].Name)],
                [.. g.Children.Select(c => graph.Groups[c].Name)],
                g.Vars)
            {
                Priority = g.Priority,
                Depth = g.Depth,
                Parents = [.. g.Parents.Select(p => graph.Groups[p].Name)],
            };
        }

        return groups;
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> BuildGroupsToHosts(InventoryGraph graph)
    {
        var result = new OrderedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var g in graph.Groups)
        {
            result[g.Name] = [.. g.AllHosts.Select(h => graph.Hosts[h].Name)];
        }

        return result;
    }
}
