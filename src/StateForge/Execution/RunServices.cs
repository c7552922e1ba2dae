using System.Collections.Concurrent;

namespace StateForge.Execution;

/// <summary>
/// Services that live for one run and are shared by every task in it (e.g. one Kubernetes
/// client per cluster, objects read once). Modules ask for them by type; they are disposed
/// when the run ends.
/// </summary>
public sealed class RunServices : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Type, object> services = new();

    public T Get<T>()
        where T : class, new() => (T)services.GetOrAdd(typeof(T), _ => new T());

    public async ValueTask DisposeAsync()
    {
        foreach (var service in services.Values)
        {
            switch (service)
            {
                case IAsyncDisposable a:
                    await a.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }

        services.Clear();
    }
}
