using System.Text;

namespace StateForge.Transport;

public sealed record ScriptStep(string Id, string Script);

public sealed record StepResult(string Id, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs many steps in ONE remote command: each step's stdout, stderr and exit code come back
/// delimited and base64-encoded, so nothing a step prints can break the framing. This is how a
/// host's facts cost one round trip and consecutive changes cost one more.
/// </summary>
public static class ScriptBatch
{
    private const string Marker = "@@SF";

    public static string Build(IReadOnlyList<ScriptStep> steps, bool stopOnFailure)
    {
        var sb = new StringBuilder();
        sb.Append("sf_d=$(mktemp -d) || exit 97\n");
        sb.Append("trap 'rm -rf \"$sf_d\"' EXIT\n");

        // A lost connection (the controller gone: SIGPIPE at the next result line, or SIGHUP) or
        // a TERM ends the script between steps, and through exit, so the EXIT trap still cleans up.
        sb.Append("trap 'exit 141' PIPE; trap 'exit 129' HUP; trap 'exit 143' TERM\n");

        // base64 only what is not empty (stderr rarely is not): two processes fewer per step.
        sb.Append("sf_emit() { printf '").Append(Marker).Append(" %s %s ' \"$1\" \"$2\"; [ ! -s \"$sf_d/o\" ] || base64 -w0 <\"$sf_d/o\"; printf ' '; [ ! -s \"$sf_d/e\" ] || base64 -w0 <\"$sf_d/e\"; printf '\\n'; }\n");
        foreach (var step in steps)
        {
            sb.Append("(\n").Append(step.Script).Append("\n) >\"$sf_d/o\" 2>\"$sf_d/e\" </dev/null\n");
            sb.Append("sf_rc=$?; sf_emit ").Append(Shell.Quote(step.Id)).Append(" $sf_rc\n");
            if (stopOnFailure)
            {
                sb.Append("[ $sf_rc -eq 0 ] || exit 0\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>Results in step order; a step that did not run (after a failure) has no result.</summary>
    public static IReadOnlyList<StepResult> Parse(string output)
    {
        var results = new List<StepResult>();
        foreach (var line in output.Split('\n'))
        {
            if (!line.StartsWith(Marker + " ", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts.Length < 5 || !int.TryParse(parts[2], out var rc))
            {
                continue;
            }

            results.Add(new StepResult(parts[1], rc, Decode(parts[3]), Decode(parts[4])));
        }

        return results;
    }

    /// <summary>Runs the steps as one command and pairs results with steps.</summary>
    public static async Task<IReadOnlyList<StepResult>> RunAsync(
        IHostConnection connection, BecomeSpec become, IReadOnlyList<ScriptStep> steps, bool stopOnFailure, CancellationToken cancellationToken)
    {
        if (steps.Count == 0)
        {
            return [];
        }

        // The script goes on stdin, not the command line: no length limit, and nothing of it
        // needs quoting for a second shell.
        var stdin = Encoding.UTF8.GetBytes(become.StdinPrefix(connection.User) + Build(steps, stopOnFailure));
        CommandResult result;
        try
        {
            result = await connection.RunAsync(become.ShellCommand(connection.User), stdin, cancellationToken).ConfigureAwait(false);
        }
        catch (HostUnreachableException e) when (e.PartialOutput.Contains('\n', StringComparison.Ordinal))
        {
            throw new HostUnreachableException(e.Host, e.Reason, e) { CompletedSteps = ParseWholeLines(e.PartialOutput) };
        }
        catch (CommandInterruptedException e) when (e.PartialOutput.Contains('\n', StringComparison.Ordinal))
        {
            throw new CommandInterruptedException(e.Host, e.PartialOutput, e.CancellationToken, e) { CompletedSteps = ParseWholeLines(e.PartialOutput) };
        }

        var parsed = Parse(result.Stdout);
        if (parsed.Count == 0 && result.ExitCode != 0)
        {
            throw new RemoteScriptException(connection.HostName, result);
        }

        return parsed;
    }

    /// <summary>The steps whose result lines arrived whole did run; the one after them was running.</summary>
    private static IReadOnlyList<StepResult> ParseWholeLines(string partialOutput) =>
        Parse(partialOutput[..(partialOutput.LastIndexOf('\n') + 1)]);

    private static string Decode(string b64) => b64.Length == 0 ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(b64));
}

/// <summary>The batch script itself failed before any step ran (no shell, sudo refused, …).</summary>
public sealed class RemoteScriptException(string host, CommandResult result)
    : Exception($"{host}: remote script failed (rc {result.ExitCode}): {result.Stderr.Trim()}")
{
    public CommandResult Result { get; } = result;
}
