using Renci.SshNet;

namespace StateForge.Transport.Ssh;

/// <summary>
/// While a command runs, checks every <c>interval</c> that the host still answers (a channel
/// opened and `true` run within <c>probeTimeout</c>), as OpenSSH's ServerAliveInterval does. Without
/// it, a link that goes down mid-command hangs the run until the kernel gives up on the TCP
/// connection (about 15 minutes), however long the command was meant to take.
/// </summary>
internal sealed class ConnectionWatchdog(SshClient client, TimeSpan interval, TimeSpan probeTimeout)
{
    private volatile bool silent;

    /// <summary>The host stopped answering and the command was abandoned.</summary>
    public bool HostSilent => silent;

    public TimeSpan ProbeTimeout => probeTimeout;

    /// <summary>Runs until <paramref name="execution"/> ends; cancels <paramref name="abort"/> when the host is silent.</summary>
    public async Task WatchAsync(Task execution, CancellationTokenSource abort)
    {
        try
        {
            while (true)
            {
                await Task.WhenAny(execution, Task.Delay(interval, abort.Token)).ConfigureAwait(false);
                if (execution.IsCompleted || abort.IsCancellationRequested)
                {
                    return;
                }

                if (!await AnswersAsync(execution).ConfigureAwait(false) && !execution.IsCompleted)
                {
                    silent = true;
                    await abort.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The command ended (and its cancellation source went) while a probe ran.
        }
    }

    private async Task<bool> AnswersAsync(Task execution)
    {
        var probe = client.CreateCommand("true");

        // Opening a channel blocks (up to the connect timeout): off the caller's thread.
        var run = Task.Run(() => probe.ExecuteAsync());
        _ = run.ContinueWith(_ => probe.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        var first = await Task.WhenAny(run, execution, Task.Delay(probeTimeout)).ConfigureAwait(false);
        return first == execution || (first == run && run.IsCompletedSuccessfully);
    }
}
