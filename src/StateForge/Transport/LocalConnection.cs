using System.Diagnostics;

namespace StateForge.Transport;

/// <summary>Runs scripts on the controller itself (connection `local`), with /bin/sh like a remote host.</summary>
public sealed class LocalConnection(string hostName) : IHostConnection
{
    private int commands;

    public string HostName { get; } = hostName;

    public string User { get; } = Environment.UserName;

    public int CommandCount => commands;

    public int TransferCount => 0;

    public async Task<CommandResult> RunAsync(string script, byte[]? stdin, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref commands);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /bin/sh");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
