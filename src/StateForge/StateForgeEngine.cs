using System.Collections.Immutable;
using System.Diagnostics;
using StateForge.Diagnostics;
using StateForge.Execution;
using StateForge.Inventory;
using StateForge.Model;
using StateForge.Modules;
using StateForge.Reporting;
using StateForge.Templating;
using StateForge.Transport;
using StateForge.Validation;

namespace StateForge;

/// <summary>
/// The one entry point that runs the pipeline: load and validate a playbook against an
/// inventory, then run it (gather facts, plan, apply or check, report). The CLI only parses
/// arguments, calls this, renders the results and picks the exit code.
/// </summary>
public sealed class StateForgeEngine(ModuleCatalog modules, ITemplateEngine templates, IConnectionFactory connections)
{
    public ModuleCatalog Modules { get; } = modules;

    /// <summary>Loads and validates everything; nothing is contacted. Problems go to <paramref name="diagnostics"/>.</summary>
    public Playbook Load(string playbookPath, IInventory inventory, DiagnosticBag diagnostics)
    {
        var playbook = new PlaybookLoader(Modules, diagnostics).Load(playbookPath);
        foreach (var play in playbook.Plays)
        {
            var matched = inventory.Match(play.Hosts, play.Span, diagnostics);
            if (matched.Count == 0 && !diagnostics.HasErrors)
            {
                diagnostics.Add(DiagnosticCatalog.NoHostsMatched(play.Span, play.Hosts));
            }
        }

        return playbook;
    }

    /// <summary>Runs a validated playbook. Cancellation stops new tasks and returns a partial, interrupted report.</summary>
    public async Task<RunReport> RunAsync(Playbook playbook, IInventory inventory, RunOptions options, IRunObserver observer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = new RunContext
        {
            Options = options,
            Inventory = inventory,
            Templates = templates,
            Connections = connections,
            Observer = observer,
            PlaybookDir = Path.GetDirectoryName(Path.GetFullPath(playbook.Path)) ?? ".",
            Forks = new SemaphoreSlim(Math.Max(1, options.Forks)),
        };
        var interrupted = false;
        var runner = new PlayRunner(run);
        try
        {
            foreach (var play in playbook.Plays)
            {
                await runner.RunAsync(play, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        finally
        {
            await Task.WhenAll(run.Hosts.Values.Select(h => h.ReleaseLockAsync(run.RunId))).ConfigureAwait(false);
            foreach (var host in run.Hosts.Values)
            {
                await host.CloseAsync().ConfigureAwait(false);
            }

            await run.Services.DisposeAsync().ConfigureAwait(false);
        }

        var results = run.Results.ToImmutableArray();
        return new RunReport
        {
            Check = options.Check,
            Tasks = results,
            Hosts = run.Hosts.Values.ToImmutableDictionary(h => h.Name, h => Stats(h, results), StringComparer.Ordinal),
            Duration = clock.Elapsed,
            Interrupted = interrupted,
        };
    }

    private static HostStats Stats(HostState host, ImmutableArray<TaskResult> results)
    {
        var mine = results.Where(r => r.Host == host.Name).ToList();
        return new HostStats(
            Ok: mine.Count(r => r.Status is ResultStatus.Ok or ResultStatus.Changed),
            Changed: mine.Count(r => r.Status == ResultStatus.Changed),
            Failed: mine.Count(r => r.Status == ResultStatus.Failed && !r.IgnoredError),
            Skipped: mine.Count(r => r.Status == ResultStatus.Skipped),
            Unreachable: mine.Count(r => r.Status == ResultStatus.Unreachable),
            Rescued: mine.Count(r => r.Rescued),
            Ignored: mine.Count(r => r.IgnoredError),
            RemoteCommands: host.Commands,
            FileTransfers: host.Transfers);
    }
}
