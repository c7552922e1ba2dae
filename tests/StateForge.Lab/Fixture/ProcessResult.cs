namespace StateForge.Lab;

/// <summary>What a finished process left: its exit code and everything it printed.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command, exit code and output when the process failed.</summary>
    public ProcessResult EnsureSuccess(string what)
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException(
                $"{what} failed with exit code {ExitCode}.\nstdout:\n{StdOut}\nstderr:\n{StdErr}");
        }

        return this;
    }
}
