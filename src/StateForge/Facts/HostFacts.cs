using StateForge.Transport;

namespace StateForge.Facts;

/// <summary>
/// What StateForge knows of one host: probe results fetched in batches, overlaid with the
/// effects of changes planned so far. Later tasks plan against this simulated state, which is
/// what keeps check mode right across dependent tasks.
/// </summary>
public sealed class HostFacts
{
    private readonly Dictionary<string, object?> fetched = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> simulated = new(StringComparer.Ordinal);
    private readonly Func<IReadOnlyList<FactProbe>, CancellationToken, Task<IReadOnlyList<StepResult>>> fetch;

    public HostFacts(Func<IReadOnlyList<FactProbe>, CancellationToken, Task<IReadOnlyList<StepResult>>> fetch) => this.fetch = fetch;

    /// <summary>How many batches were fetched (each is one remote command).</summary>
    public int Batches { get; private set; }

    /// <summary>Fetches, in one batch, every probe not already known.</summary>
    public async Task PrefetchAsync(IEnumerable<FactProbe> probes, CancellationToken cancellationToken)
    {
        var missing = probes
            .Where(p => !IsKnown(p))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .Select(g => g.FirstOrDefault(p => !p.IsSatisfiedBy(null)) ?? g.First())
            .ToList();
        if (missing.Count == 0)
        {
            return;
        }

        Batches++;
        var results = await fetch(missing, cancellationToken).ConfigureAwait(false);
        var byId = results.ToDictionary(r => r.Id, StringComparer.Ordinal);
        for (var i = 0; i < missing.Count; i++)
        {
            var probe = missing[i];
            if (!byId.TryGetValue(StepId(i), out var r))
            {
                throw new InvalidOperationException($"fact batch returned no result for {probe.Key}");
            }

            fetched[probe.Key] = probe.Parse(r);
        }
    }

    /// <summary>The probe's value: simulated if a planned change set it, else fetched (lazily if needed).</summary>
    public async ValueTask<T> GetAsync<T>(FactProbe probe, CancellationToken cancellationToken)
    {
        if (!IsKnown(probe))
        {
            await PrefetchAsync([probe], cancellationToken).ConfigureAwait(false);
        }

        // A planned change wins; where it left out what this probe needs (content), the host's answer does.
        var value = simulated.TryGetValue(probe.Key, out var s) && (probe.IsSatisfiedBy(s) || !fetched.ContainsKey(probe.Key)) ? s : fetched[probe.Key];
        return value is T t ? t : throw new InvalidOperationException($"fact {probe.Key} is {value?.GetType().Name ?? "null"}, not {typeof(T).Name}");
    }

    /// <summary>
    /// The value an earlier planned change set for this probe's key, if any; never fetches. For a
    /// module that reads a broader fact than other modules simulate (iptables-save of every table
    /// while the iptables module simulates one table's).
    /// </summary>
    public bool TryGetSimulated<T>(FactProbe probe, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value)
    {
        if (simulated.TryGetValue(probe.Key, out var s) && s is T t)
        {
            value = t;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Records what a planned change will make true, for the tasks after it.</summary>
    public void Simulate(FactProbe probe, object? value) => simulated[probe.Key] = value;

    /// <summary>Drops a fact so it is read again (after a command whose effects are unknown).</summary>
    public void Forget(string keyPrefix)
    {
        foreach (var key in fetched.Keys.Where(k => k.StartsWith(keyPrefix, StringComparison.Ordinal)).ToList())
        {
            fetched.Remove(key);
        }

        foreach (var key in simulated.Keys.Where(k => k.StartsWith(keyPrefix, StringComparison.Ordinal)).ToList())
        {
            simulated.Remove(key);
        }
    }

    public static string StepId(int index) => "f" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<ScriptStep> ToSteps(IReadOnlyList<FactProbe> probes) =>
        probes.Select((p, i) => new ScriptStep(StepId(i), p.Script)).ToList();

    private bool IsKnown(FactProbe probe) =>
        (simulated.TryGetValue(probe.Key, out var s) && probe.IsSatisfiedBy(s)) ||
        (fetched.TryGetValue(probe.Key, out var f) && probe.IsSatisfiedBy(f));
}
