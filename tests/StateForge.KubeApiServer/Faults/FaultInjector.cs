using System.Collections.Concurrent;

namespace StateForge.KubeApiServer.Faults;

/// <summary>Faults waiting to hit matching requests, oldest first. Thread-safe.</summary>
public sealed class FaultInjector
{
    private readonly ConcurrentQueue<FaultSlot> _faults = new();
    private readonly Lock _gate = new();

    public void Enqueue(Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Count, 1);
        _faults.Enqueue(new FaultSlot(fault, fault.Count));
    }

    public void Clear() => _faults.Clear();

    /// <summary>How many requests the queued faults will still hit.</summary>
    public int Pending => _faults.Sum(s => s.Remaining);

    internal Fault? Take(string method, string path)
    {
        lock (_gate)
        {
            foreach (var slot in _faults)
            {
                if (slot.Remaining > 0 &&
                    (slot.Fault.Method == "*" || string.Equals(slot.Fault.Method, method, StringComparison.OrdinalIgnoreCase)) &&
                    path.StartsWith(slot.Fault.PathPrefix, StringComparison.Ordinal))
                {
                    slot.Remaining--;
                    return slot.Fault;
                }
            }

            return null;
        }
    }

    private sealed class FaultSlot(Fault fault, int remaining)
    {
        public Fault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
