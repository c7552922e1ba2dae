using System.Text.RegularExpressions;

namespace StateForge.Cli.Tests;

/// <summary>Runs `stateforge` in-process in a working directory and returns what it printed, scrubbed.</summary>
internal static partial class CliRunner
{
    private static readonly SemaphoreSlim CurrentDirectoryGate = new(1, 1);

    public sealed record Result(int ExitCode, string Out, string Error)
    {
        /// <summary>Asserts the exit code, showing what the run printed when it differs.</summary>
        public Result ExpectExit(int expected)
        {
            ExitCode.Should().Be(expected, $"the run printed:\n{Out}\n{Error}");
            return this;
        }
    }

    public static async Task<Result> RunAsync(string workDir, params string[] args)
    {
        // The CLI resolves paths against the current directory, as a shell user's would be.
        await CurrentDirectoryGate.WaitAsync();
        var previous = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(workDir);
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await StateForgeCli.RunAsync(args, CliEnvironment.Plain(output, error));
            return new Result(code, Scrub(output.ToString(), workDir), Scrub(error.ToString(), workDir));
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
            CurrentDirectoryGate.Release();
        }
    }

    /// <summary>Removes what changes between runs: durations, the temp directory, timestamps.</summary>
    public static string Scrub(string text, string workDir) =>
        Durations().Replace(
            Timestamps().Replace(text.Replace(workDir, "<work>", StringComparison.Ordinal), "<time>"),
            "\"duration_ms\": 0");

    [GeneratedRegex(@"""duration_ms"": \d+")]
    private static partial Regex Durations();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}@\d{2}:\d{2}:\d{2}")]
    private static partial Regex Timestamps();
}
