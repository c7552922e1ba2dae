using System.Text;
using Renci.SshNet;

namespace StateForge.Transport.Ssh;

/// <summary>One SSH connection to a host for the whole run; every remote command is a channel on it.</summary>
public sealed class SshConnection : IHostConnection
{
    private readonly SshClient client;
    private readonly TimeSpan commandTimeout;
    private int commands;

    internal SshConnection(string hostName, string user, SshClient client, TimeSpan commandTimeout)
    {
        HostName = hostName;
        User = user;
        this.client = client;
        this.commandTimeout = commandTimeout;
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
        try
        {
            var execution = command.ExecuteAsync(timeout.Token);
            stdout = new OutputCapture(command.OutputStream);
            using (var input = command.CreateInputStream())
            {
                if (stdin is not null)
                {
                    await input.WriteAsync(stdin, timeout.Token).ConfigureAwait(false);
                }
            }

            await execution.ConfigureAwait(false);
            span.End(RunTrace.Enabled ? $"stdin {stdin?.Length ?? 0} B, stdout {command.Result.Length} chars, rc {command.ExitStatus}" : null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Lost($"command timed out after {commandTimeout.TotalSeconds:0.#} s", e, stdout);
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

    private HostUnreachableException Lost(string reason, Exception inner, OutputCapture? stdout) =>
        new(HostName, reason, inner) { PartialOutput = stdout?.Received() ?? "" };

    public ValueTask DisposeAsync()
    {
        using var span = RunTrace.Begin(HostName, "ssh close");
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
