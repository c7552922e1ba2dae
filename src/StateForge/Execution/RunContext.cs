using System.Collections.Concurrent;
using StateForge.Inventory;
using StateForge.Model;
using StateForge.Templating;
using StateForge.Transport;

namespace StateForge.Execution;

/// <summary>The state of one run, shared by the plays and tasks in it.</summary>
internal sealed class RunContext
{
    public required RunOptions Options { get; init; }

    public required IInventory Inventory { get; init; }

    public required ITemplateEngine Templates { get; init; }

    public required IConnectionFactory Connections { get; init; }

    public required IRunObserver Observer { get; init; }

    public required string PlaybookDir { get; init; }

    public RunServices Services { get; } = new();

    /// <summary>Identifies this run in host locks.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Who this run is, as other runs see it in a host's lock.</summary>
    public string Holder { get; } = $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}";

    public ConcurrentDictionary<string, HostState> Hosts { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<TaskResult> Results { get; } = new();

    public SemaphoreSlim Forks { get; init; } = new(20);

    /// <summary>The play running now (plays run one after another).</summary>
    public Play? Play { get; set; }

    public IReadOnlyList<string> PlayHosts { get; set; } = [];

    public bool PlayEnded { get; set; }

    /// <summary>Ansible's `groups` variable, built once per run.</summary>
    public IReadOnlyDictionary<string, object?> GroupsVariable => groups ??=
        Inventory.GroupsToHosts().ToDictionary(kv => kv.Key, kv => (object?)kv.Value.Cast<object?>().ToList(), StringComparer.Ordinal);

    public IReadOnlyList<string> HostNames => hostNames ??= Inventory.Hosts.Select(h => h.Name).ToList();

    private IReadOnlyDictionary<string, object?>? groups;
    private IReadOnlyList<string>? hostNames;

    public HostState StateOf(InventoryHost host) => Hosts.GetOrAdd(host.Name, _ => new HostState(host, Connections));

    public void Report(TaskResult result)
    {
        Results.Enqueue(result);
        Observer.TaskCompleted(result);
    }
}
