using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StateForge.KubeApiServer.Storage;

namespace StateForge.KubeApiServer.Controllers;

/// <summary>
/// Runs the in-server controllers (PV binder, protection finalizers, namespace lifecycle) in the
/// background, as the real controller manager does: woken by every store change and by deadlines.
/// </summary>
internal sealed class ControllerLoop(ObjectStore store, IReadOnlyList<IController> controllers, ILogger logger, Action<string>? log)
{
    private static readonly TimeSpan ResyncPeriod = TimeSpan.FromMilliseconds(200);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        store.Changed += _ => Wake();
        Wake();
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                lock (store.Gate)
                {
                    var now = store.Clock.GetUtcNow();
                    foreach (var controller in controllers)
                    {
                        var wanted = controller.Sync(now);
                        next = wanted is null ? next : next is null || wanted < next ? wanted : next;
                    }
                }
            }
            catch (Exception e)
            {
                logger.LogError(e, "controller pass failed");
                log?.Invoke($"controller pass failed: {e}");
            }

            // Our own writes wake us once more; that pass finds nothing to do, so the loop settles.
            // Like the real controller manager, resync periodically too, so no missed wake-up leaves work undone.
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var wait = next is { } due ? due - store.Clock.GetUtcNow() : ResyncPeriod;
            timer.CancelAfter(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > ResyncPeriod ? ResyncPeriod : wait);

            try
            {
                await _wake.Reader.ReadAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A deadline or the resync period passed.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
