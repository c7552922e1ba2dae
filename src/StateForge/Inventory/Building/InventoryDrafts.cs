using StateForge.Diagnostics;

namespace StateForge.Inventory.Building;

/// <summary>A group while sources are being read; lists keep the order Ansible keeps.</summary>
internal sealed class GroupDraft(string name, int order)
{
    private readonly HashSet<string> hostNames = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public int Order { get; } = order;

    public List<HostDraft> Hosts { get; } = [];

    public List<GroupDraft> Children { get; } = [];

    public List<GroupDraft> Parents { get; } = [];

    public Dictionary<string, object?> Vars { get; } = new(StringComparer.Ordinal);

    public int Priority { get; set; } = 1;

    public bool AddHost(HostDraft host)
    {
        if (!hostNames.Add(host.Name))
        {
            return false;
        }

        Hosts.Add(host);
        host.Groups.Add(this);
        return true;
    }

    /// <summary>Removes hosts in one pass, so emptying a large group is not quadratic.</summary>
    public void RemoveHosts(IReadOnlySet<HostDraft> remove)
    {
        if (remove.Count == 0)
        {
            return;
        }

        Hosts.RemoveAll(remove.Contains);
        foreach (var host in remove)
        {
            hostNames.Remove(host.Name);
            host.Groups.Remove(this);
        }
    }

    /// <summary>Every group above this one (parents, their parents, …).</summary>
    public HashSet<GroupDraft> Ancestors()
    {
        var seen = new HashSet<GroupDraft>();
        var pending = new Stack<GroupDraft>(Parents);
        while (pending.TryPop(out var g))
        {
            if (seen.Add(g))
            {
                foreach (var p in g.Parents)
                {
                    pending.Push(p);
                }
            }
        }

        return seen;
    }
}

/// <summary>A host while sources are being read: its own variables and the groups naming it.</summary>
internal sealed class HostDraft(string name, int index, string? source, SourceSpan definedAt)
{
    public string Name { get; } = name;

    public int Index { get; } = index;

    /// <summary>The first source that named the host (Ansible's inventory_file).</summary>
    public string? Source { get; } = source;

    /// <summary>Where the host was first named, for diagnostics about it.</summary>
    public SourceSpan DefinedAt { get; } = definedAt;

    public Dictionary<string, object?> Vars { get; } = new(StringComparer.Ordinal);

    public List<GroupDraft> Groups { get; } = [];
}
