using System.Collections;

namespace StateForge.Variables;

/// <summary>A read-only dictionary whose values are computed on first use (hostvars).</summary>
public sealed class LazyDictionary(IReadOnlyList<string> keys, Func<string, object?> compute) : IReadOnlyDictionary<string, object?>
{
    private readonly HashSet<string> keySet = new(keys, StringComparer.Ordinal);

    public int Count => keys.Count;

    public IEnumerable<string> Keys => keys;

    public IEnumerable<object?> Values => keys.Select(compute);

    public object? this[string key] => keySet.Contains(key) ? compute(key) : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => keySet.Contains(key);

    public bool TryGetValue(string key, out object? value)
    {
        value = keySet.Contains(key) ? compute(key) : null;
        return keySet.Contains(key);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        keys.Select(k => new KeyValuePair<string, object?>(k, compute(k))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
