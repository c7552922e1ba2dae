using System.Text;
using Renci.SshNet;

namespace StateForge.Transport.Ssh;

/// <summary>One SSH connection to a host for the whole run; every remote command is a channel on it.</summary>
public sealed class SshConnection : IHostConnection
{
    private readonly SshClient client;
    private readonly TimeSpan commandTimeout;
    private readonly TimeSpan aliveInterval;
    private readonly TimeSpan aliveTimeout;
    private int commands;

    /// <param name="aliveInterval">How often a running command's host is checked for answers (zero: never).</param>
    /// <param name="aliveTimeout">How long the host has to answer a check.</param>
    internal SshConnection(string hostName, string user, SshClient client, TimeSpan commandTimeout, TimeSpan aliveInterval = default, TimeSpan aliveTimeout = default)
    {
        HostName = hostName;
        User = user;
        this.client = client;
        this.commandTimeout = commandTimeout;
        this.aliveInterval = aliveInterval;
        this.aliveTimeout = aliveTimeout > TimeSpan.Zero ? aliveTimeout : TimeSpan.FromSeconds(10);
    }

    public string HostName { get; }

    public string User { get; }

    public int CommandCount => commands;

    public int TransferCount => 0;

    public async Task<CommandResult> RunAsync(string script, byte[]? stdin, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref commands);
        var span = RunTrace.Begin(HostName, $"command {number}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (commandTimeout > TimeSpan.Zero)
        {
            timeout.CancelAfter(commandTimeout);
        }

        using var command = client.CreateCommand(script, Encoding.UTF8);
        OutputCapture? stdout = null;
        ConnectionWatchdog? watchdog = null;
        try
        {
            // ExecuteAsync opens the channel and sends the exec request before it returns, so stdin
            // can be opened at once. Its output is read here as it arrives (never through Result or
            // EndExecute, which drain the same stream and would take part of it from the capture).
            var execution = command.ExecuteAsync(CancellationToken.None);
            stdout = new OutputCapture(command.OutputStream);
            if (aliveInterval > TimeSpan.Zero)
            {
                watchdog = new ConnectionWatchdog(client, aliveInterval, aliveTimeout);
                _ = watchdog.WatchAsync(execution, timeout);
            }

            await SendInputAsync(command, stdin, execution, timeout.Token).ConfigureAwait(false);

            using (timeout.Token.Register(() => CancelQuietly(command)))
            {
                await execution.ConfigureAwait(false);
            }

            timeout.Token.ThrowIfCancellationRequested();
            span.End(RunTrace.Enabled ? $"stdin {stdin?.Length ?? 0} B, rc {command.ExitStatus}" : null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Lost(
                watchdog is { HostSilent: true }
                    ? $"connection lost: the host stopped answering (no answer within {aliveTimeout.TotalSeconds:0.#} s while a command ran)"
                    : $"command timed out after {commandTimeout.TotalSeconds:0.#} s",
                e,
                stdout);
        }
        catch (OperationCanceledException e)
        {
            throw new CommandInterruptedException(HostName, stdout?.Received() ?? "", cancellationToken, e);
        }
        catch (Renci.SshNet.Common.SshOperationTimeoutException e)
        {
            // A channel could not even be opened in time: the connection hangs (host gone, link down).
            throw Lost($"connection timed out: {e.Message}", e, stdout);
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or System.Net.Sockets.SocketException or ObjectDisposedException
            || (e is InvalidOperationException && !client.IsConnected))
        {
            throw Lost($"connection lost: {e.Message}", e, stdout);
        }

        return new CommandResult(command.ExitStatus ?? 255, await stdout.AllAsync().ConfigureAwait(false), command.Error);
    }

    /// <summary>
    /// Writes stdin (if any) and closes it, so the command sees its end. A command that ends
    /// without reading it (`hostname`) may close its channel first: that is no error, and what the
    /// command did is in its result.
    /// </summary>
    private static async Task SendInputAsync(SshCommand command, byte[]? stdin, Task execution, CancellationToken cancellationToken)
    {
        try
        {
            using var input = command.CreateInputStream();
            if (stdin is not null)
            {
                await input.WriteAsync(stdin, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
            // The channel is closed: either the command ended (then execution completes, and the
            // input did not matter) or the connection did (then awaiting execution throws that).
            await execution.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void CancelQuietly(SshCommand command)
    {
        try
        {
            command.CancelAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
            // The command already ended, or the connection did: nothing left to cancel.
        }
    }

    private HostUnreachableException Lost(string reason, Exception inner, OutputCapture? stdout) =>
        new(HostName, reason, inner) { PartialOutput = stdout?.Received() ?? "" };

    public ValueTask DisposeAsync()
    {
        using var span = RunTrace.Begin(HostName, "ssh close");
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
