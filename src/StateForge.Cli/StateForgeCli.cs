using System.CommandLine;
using StateForge.Cli.Commands;
using StateForge.Reporting;

namespace StateForge.Cli;

/// <summary>The `stateforge` command line: parses arguments, calls the engine, renders, picks the exit code.</summary>
public static class StateForgeCli
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment env)
    {
        var root = new RootCommand("StateForge: declarative desired state for Linux hosts and Kubernetes/OpenShift clusters.")
        {
            RunCommands.Apply(env),
            RunCommands.Check(env),
            RunCommands.Validate(env),
            DocCommand.Create(env),
            InventoryCommand.Create(env),
            VaultCommand.Create(env),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await env.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await env.Error.WriteLineAsync("Run 'stateforge --help' for usage.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        // ProcessTerminationTimeout = null: the environment owns SIGINT/SIGTERM. System.CommandLine's
        // own handling would return 130/143 two seconds after the signal, while the engine is still
        // winding down: the process would exit with no recap, no report and locks held.
        var config = new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        return await parsed.InvokeAsync(config, env.Cancellation).ConfigureAwait(false);
    }
}
