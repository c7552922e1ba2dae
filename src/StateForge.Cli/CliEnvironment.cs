using System.Runtime.InteropServices;

namespace StateForge.Cli;

/// <summary>
/// What the CLI takes from its surroundings, so tests can run it in-process: writers, whether
/// output is a terminal with colour, and the cancellation that Ctrl-C triggers.
/// </summary>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, bool Interactive, bool Color, CancellationToken Cancellation)
{
    // Kept alive for the life of the process: a collected registration stops handling the signal.
    private static PosixSignalRegistration? terminate;

    public static CliEnvironment FromProcess()
    {
        var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl-C: stop starting tasks and print a partial recap; a second one kills.
            if (!cts.IsCancellationRequested)
            {
                e.Cancel = true;
                _ = cts.CancelAsync();
            }
        };

        // SIGTERM (kill, a service manager, a CI runner's timeout) winds down like the first Ctrl-C.
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (!cts.IsCancellationRequested)
            {
                context.Cancel = true;
                _ = cts.CancelAsync();
            }
        });
        var terminal = !Console.IsOutputRedirected;
        var noColor = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        var dumb = Environment.GetEnvironmentVariable("TERM") is null or "dumb";
        return new CliEnvironment(Console.Out, Console.Error, terminal && !dumb, terminal && !noColor && !dumb, cts.Token);
    }

    /// <summary>Plain output to the given writers (tests, pipes).</summary>
    public static CliEnvironment Plain(TextWriter output, TextWriter error, CancellationToken cancellation = default) =>
        new(output, error, false, false, cancellation);
}
