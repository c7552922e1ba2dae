using System.Runtime.InteropServices;
using StateForge.KubeApiServer.Hosting;

namespace StateForge.KubeApiServer;

/// <summary>Runs the test server by hand: prints its URL, writes a kubeconfig, serves until SIGINT or SIGTERM.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await using var server = await KubeApiTestServer.StartAsync(commandLine.Options);
        if (commandLine.KubeconfigOut is { } path)
        {
            server.WriteKubeconfig(path);
        }

        await Console.Out.WriteLineAsync(server.BaseUri.ToString().TrimEnd('/'));
        await Console.Out.FlushAsync();
        await stop.Task;
        return 0;
    }
}
