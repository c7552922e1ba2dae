using System.Threading.Channels;

namespace StateForge.KubeApiServer.Storage;

/// <summary>
/// Fans store changes out to watchers and keeps a window of recent events so a watch can resume
/// from a resourceVersion. <see cref="ObjectStore"/> publishes under its gate, so events arrive in order.
/// </summary>
internal sealed class WatchHub
{
    private const int HistoryLimit = 10_000;
    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly Queue<WatchEvent> _history = new();
    private long _forgottenUpTo = 1000;

    public void Publish(WatchEvent change)
    {
        lock (_gate)
        {
            _history.Enqueue(change);
            while (_history.Count > HistoryLimit)
            {
                _forgottenUpTo = _history.Dequeue().ResourceVersion;
            }

            foreach (var subscription in _subscriptions)
            {
                subscription.Offer(change);
            }
        }
    }

    /// <summary>Events after <paramref name="resourceVersion"/>, or null when they are no longer kept.</summary>
    public IReadOnlyList<WatchEvent>? Since(long resourceVersion)
    {
        lock (_gate)
        {
            return resourceVersion < _forgottenUpTo
                ? null
                : _history.Where(e => e.ResourceVersion > resourceVersion).ToList();
        }
    }

    public Subscription Subscribe(Func<WatchEvent, bool> filter)
    {
        var subscription = new Subscription(filter, this);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    internal sealed class Subscription(Func<WatchEvent, bool> filter, WatchHub hub) : IDisposable
    {
        private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(
            new UnboundedChannelOptions { SingleReader = true });

        public ChannelReader<WatchEvent> Events => _events.Reader;

        public void Offer(WatchEvent change)
        {
            if (filter(change))
            {
                _events.Writer.TryWrite(change);
            }
        }

        public void Dispose()
        {
            hub.Unsubscribe(this);
            _events.Writer.TryComplete();
        }
    }
}
