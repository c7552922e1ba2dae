using System.Collections;

namespace StateForge.Variables;

/// <summary>
/// Variables as a stack of layers, highest precedence first. Looking a name up walks the layers;
/// nothing is copied, so building a scope per task and host is cheap.
/// </summary>
public sealed class VariableScope : IReadOnlyDictionary<string, object?>
{
    private readonly IReadOnlyList<IReadOnlyDictionary<string, object?>> layers;

    /// <param name="layersHighestFirst">The layers; the first that has a name wins.</param>
    public VariableScope(IEnumerable<IReadOnlyDictionary<string, object?>> layersHighestFirst) =>
        layers = layersHighestFirst.ToList();

    public int Count => Keys.Count();

    public IEnumerable<string> Keys => layers.SelectMany(l => l.Keys).Distinct(StringComparer.Ordinal);

    public IEnumerable<object?> Values => Keys.Select(k => this[k]);

    public object? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    /// <summary>A scope with one more layer on top.</summary>
    public VariableScope With(IReadOnlyDictionary<string, object?> top) => new(layers.Prepend(top));

    public bool ContainsKey(string key) => layers.Any(l => l.ContainsKey(key));

    public bool TryGetValue(string key, out object? value)
    {
        foreach (var layer in layers)
        {
            if (layer.TryGetValue(key, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        Keys.Select(k => new KeyValuePair<string, object?>(k, this[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
