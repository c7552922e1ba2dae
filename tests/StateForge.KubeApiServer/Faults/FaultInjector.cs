using System.Collections.Concurrent;

namespace StateForge.KubeApiServer.Faults;

/// <summary>Faults waiting to hit matching requests, oldest first. Thread-safe.</summary>
public sealed class FaultInjector
{
    private readonly ConcurrentQueue<FaultSlot> _faults = new();
    private readonly Lock _gate = new();
    private readonly List<WatchRequest> _watches = [];

    public void Enqueue(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(fault.Skip);
        _faults.Enqueue(new FaultSlot(fault, fault.Count, fault.Skip));
    }

    public void Clear() => _faults.Clear();

    /// <summary>How many requests the queued faults will still hit.</summary>
    public int Pending => _faults.Sum(s => s.Remaining);

    /// <summary>How many requests faults have hit so far.</summary>
    public int Hits { get; private set; }

    /// <summary>Every watch request so far, in order, with its resourceVersion parameter.</summary>
    public IReadOnlyList<WatchRequest> WatchRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _watches];
            }
        }
    }

    internal void RecordWatch(string path, string? resourceVersion)
    {
        lock (_gate)
        {
            _watches.Add(new WatchRequest(path, resourceVersion));
        }
    }

    internal Fault? Take(string method, string path, bool dryRun, bool watch = false)
    {
        lock (_gate)
        {
            foreach (var slot in _faults)
            {
                if (slot.Remaining > 0 &&
                    (slot.Fault.Method == "*" || string.Equals(slot.Fault.Method, method, StringComparison.OrdinalIgnoreCase)) &&
                    path.StartsWith(slot.Fault.PathPrefix, StringComparison.Ordinal) &&
                    (slot.Fault.DryRun is null || slot.Fault.DryRun == dryRun) &&
                    (slot.Fault.Watch is null || slot.Fault.Watch == watch))
                {
                    if (slot.ToSkip > 0)
                    {
                        slot.ToSkip--;
                        return null;
                    }

                    slot.Remaining--;
                    Hits++;
                    return slot.Fault;
                }
            }

            return null;
        }
    }

    private sealed class FaultSlot(Fault fault, int remaining, int toSkip)
    {
        public Fault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;

        public int ToSkip { get; set; } = toSkip;
    }
}

/// <summary>A watch the server was asked for: its path and `resourceVersion` parameter (null when absent).</summary>
public sealed record WatchRequest(string Path, string? ResourceVersion);
