using Spectre.Console;

namespace StateForge.Cli.Rendering;

internal static class Consoles
{
    /// <summary>A Spectre console over a writer: colour only on a colour terminal, never ANSI into a pipe.</summary>
    public static IAnsiConsole For(TextWriter writer, CliEnvironment env)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = env.Color ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = env.Color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = env.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!env.Interactive)
        {
            // Pipes and files get whole lines: wrapping would break diffs and baselines.
            console.Profile.Width = 4096;
        }

        return console;
    }
}
