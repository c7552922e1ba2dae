using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StateForge.KubeApiServer.Storage;

namespace StateForge.KubeApiServer.Controllers;

/// <summary>
/// Runs the in-server controllers (PV binder, protection finalizers, namespace lifecycle) in the
/// background, as the real controller manager does: woken by every store change and by deadlines.
/// </summary>
internal sealed class ControllerLoop(ObjectStore store, IReadOnlyList<IController> controllers, ILogger logger)
{
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
            }

            // Our own writes wake us once more; that pass finds nothing to do, so the loop settles.
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (next is { } due)
            {
                timer.CancelAfter(due - store.Clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1));
            }

            try
            {
                await _wake.Reader.ReadAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A deadline passed.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
