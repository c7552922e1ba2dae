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
        try
        {
            var execution = command.ExecuteAsync(timeout.Token);
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
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HostUnreachableException(HostName, $"command timed out after {commandTimeout.TotalSeconds:0.#} s");
        }
        catch (Renci.SshNet.Common.SshConnectionException e)
        {
            throw new HostUnreachableException(HostName, $"connection lost: {e.Message}", e);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new HostUnreachableException(HostName, $"connection lost: {e.Message}", e);
        }

        return new CommandResult(command.ExitStatus ?? 255, command.Result, command.Error);
    }

    public ValueTask DisposeAsync()
    {
        using var span = RunTrace.Begin(HostName, "ssh close");
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
