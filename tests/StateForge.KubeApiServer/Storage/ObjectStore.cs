using System.Globalization;
using System.Text.Json.Nodes;
using StateForge.KubeApiServer.Json;
using StateForge.KubeApiServer.Resources;

namespace StateForge.KubeApiServer.Storage;

/// <summary>
/// Every object the server holds, as JSON, with one resourceVersion counter bumped on every write.
/// Callers that read, decide and write hold <see cref="Gate"/> so the three steps are atomic.
/// </summary>
internal sealed class ObjectStore(WatchHub watches, TimeProvider clock)
{
    private readonly Dictionary<ObjectKey, JsonObject> _objects = [];
    private readonly Dictionary<ObjectKey, Dictionary<string, JsonObject>> _applied = [];
    private long _resourceVersion = 1000;

    public Lock Gate { get; } = new();

    public TimeProvider Clock { get; } = clock;

    /// <summary>Raised after each write, outside no lock guarantees; controllers use it to wake up.</summary>
    public event Action<WatchEvent>? Changed;

    public long ResourceVersion
    {
        get
        {
            lock (Gate)
            {
                return _resourceVersion;
            }
        }
    }

    public static ObjectKey KeyOf(ResourceType type, string? ns, string name) =>
        new(type.StoreKey, type.Namespaced ? ns ?? "" : "", name);

    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (Gate)
        {
            return _objects.TryGetValue(KeyOf(type, ns, name), out var found) ? found.Clone() : null;
        }
    }

    public (IReadOnlyList<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns)
    {
        lock (Gate)
        {
            var items = _objects
                .Where(p => p.Key.Resource == type.StoreKey && (ns is null || p.Key.Namespace == ns))
                .OrderBy(p => p.Key.Namespace, StringComparer.Ordinal)
                .ThenBy(p => p.Key.Name, StringComparer.Ordinal)
                .Select(p => p.Value.Clone())
                .ToList();
            return (items, _resourceVersion);
        }
    }

    /// <summary>Stores a created or changed object, giving it the next resourceVersion.</summary>
    public JsonObject Put(ResourceType type, JsonObject obj)
    {
        WatchEvent change;
        JsonObject result;
        lock (Gate)
        {
            var key = KeyOf(type, obj.Namespace(), obj.Name() ?? "");
            var stored = obj.WithEnvelopeOrder();
            stored.Metadata()["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            var eventType = _objects.ContainsKey(key) ? WatchEvent.Modified : WatchEvent.Added;
            _objects[key] = stored;
            change = new WatchEvent(eventType, type, stored.Clone(), _resourceVersion);
            watches.Publish(change);
            result = stored.Clone();
        }

        Changed?.Invoke(change);
        return result;
    }

    /// <summary>Removes an object for good; watchers see it with a fresh resourceVersion.</summary>
    public JsonObject Remove(ResourceType type, string? ns, string name)
    {
        WatchEvent change;
        JsonObject removed;
        lock (Gate)
        {
            var key = KeyOf(type, ns, name);
            if (!_objects.Remove(key, out var found))
            {
                throw new InvalidOperationException($"{key} is not stored");
            }

            _applied.Remove(key);
            found.Metadata()["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            change = new WatchEvent(WatchEvent.Deleted, type, found.Clone(), _resourceVersion);
            watches.Publish(change);
            removed = found.Clone();
        }

        Changed?.Invoke(change);
        return removed;
    }

    /// <summary>The configurations each server-side-apply manager last applied to an object.</summary>
    public Dictionary<string, JsonObject> AppliedConfigs(ResourceType type, string? ns, string name)
    {
        lock (Gate)
        {
            var key = KeyOf(type, ns, name);
            if (!_applied.TryGetValue(key, out var configs))
            {
                configs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
                _applied[key] = configs;
            }

            return configs;
        }
    }

    public IReadOnlyList<(ResourceType Type, JsonObject Object)> All(IEnumerable<ResourceType> types)
    {
        lock (Gate)
        {
            var byKey = types.ToDictionary(t => t.StoreKey);
            return _objects
                .Where(p => byKey.ContainsKey(p.Key.Resource))
                .Select(p => (byKey[p.Key.Resource], p.Value.Clone()))
                .ToList();
        }
    }
}
