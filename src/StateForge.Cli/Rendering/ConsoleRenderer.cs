using Spectre.Console;
using StateForge.Diagnostics;
using StateForge.Execution;
using StateForge.Model;
using StateForge.Planning;
using StateForge.Reporting;

namespace StateForge.Cli.Rendering;

/// <summary>
/// Prints a run the way Ansible users read one (PLAY, TASK, per-host status, PLAY RECAP), with
/// each change as `+ ~ - =` and, with --diff, the diff. Plain text when not a terminal.
/// </summary>
internal sealed class ConsoleRenderer(IAnsiConsole console, bool check, bool diff) : IRunObserver
{
    private const int Width = 80;
    private readonly Lock gate = new();

    public void PlayStarted(Play play, IReadOnlyList<string> hosts)
    {
        lock (gate)
        {
            Header($"PLAY [{play.Name}]");
            lastHeader = null;
        }
    }

    // Results can arrive after later tasks started (a host's changes run as one batch), so a
    // task's header is printed with its first result, and again when another task's came between.
    private string? lastHeader;

    public void TaskStarted(string task, bool handler)
    {
    }

    public void HostTaskStarted(string host, string task)
    {
    }

    public void TaskCompleted(TaskResult result)
    {
        lock (gate)
        {
            var header = result.Handler ? $"RUNNING HANDLER [{result.Task}]" : $"TASK [{result.Task}]";
            if (header != lastHeader)
            {
                Header(header);
                lastHeader = header;
            }

            var (word, colour) = result.Status switch
            {
                ResultStatus.Ok => ("ok", "green"),
                ResultStatus.Changed => (check ? "would change" : "changed", "yellow"),
                ResultStatus.Failed => (result.IgnoredError ? "failed (ignored)" : "failed", "red"),
                ResultStatus.Skipped => ("skipping", "cyan"),
                _ => ("unreachable", "red"),
            };
            var item = result.Item is null ? "" : $" => (item={result.Item})";
            var message = result.Status is ResultStatus.Failed or ResultStatus.Unreachable && result.Message is not null ? $" => {result.Message}" : "";
            console.MarkupLine($"[{colour}]{Markup.Escape($"{word}: [{result.Host}]{item}{message}")}[/]");
            foreach (var change in result.Changes.Where(c => c.IsChange))
            {
                var (sign, c) = change.Action switch
                {
                    ChangeAction.Create => ("+", "green"),
                    ChangeAction.Delete => ("-", "red"),
                    ChangeAction.Run => ("!", "yellow"),
                    _ => ("~", "yellow"),
                };
                console.MarkupLine($"  [{c}]{sign}[/] {Markup.Escape(change.Resource)}");
                if (diff && change.Diff is { Length: > 0 } text)
                {
                    DiffLines(text);
                }
            }

            foreach (var warning in result.Warnings)
            {
                console.MarkupLine($"[purple]{Markup.Escape($"[WARNING]: {result.Host}: {warning}")}[/]");
            }
        }
    }

    public void Warning(string? host, string message)
    {
        lock (gate)
        {
            console.MarkupLine($"[purple]{Markup.Escape($"[WARNING]: {(host is null ? "" : host + ": ")}{message}")}[/]");
        }
    }

    public void Recap(RunReport report)
    {
        lock (gate)
        {
            if (report.Interrupted)
            {
                console.MarkupLine("[red]Interrupted: no new task was started; the recap below is partial.[/]");
            }

            Header("PLAY RECAP");
            foreach (var (host, s) in report.Hosts.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                var colour = s.Failed > 0 || s.Unreachable > 0 ? "red" : s.Changed > 0 ? "yellow" : "green";
                var changedWord = check ? "would_change" : "changed";
                console.MarkupLine(
                    $"[{colour}]{Markup.Escape(host.PadRight(26))}[/] : ok={s.Ok,-4} {changedWord}={s.Changed,-4} unreachable={s.Unreachable,-4} " +
                    $"failed={s.Failed,-4} skipped={s.Skipped,-4} rescued={s.Rescued,-4} ignored={s.Ignored,-4}");
            }

            console.WriteLine();
            if (report.Check)
            {
                console.MarkupLine(report.Drift
                    ? $"[yellow]Drift: {report.Tasks.Count(t => t.Status == ResultStatus.Changed)} task(s) would change (exit {report.ExitCode}).[/]"
                    : $"[green]In sync: nothing would change (exit {report.ExitCode}).[/]");
            }
        }
    }

    public static void Diagnostics(IAnsiConsole console, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            console.MarkupLine(d.IsError ? $"[red]{Markup.Escape(d.ToString())}[/]" : $"[purple]{Markup.Escape(d.ToString())}[/]");
        }
    }

    private void DiffLines(string text)
    {
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            var colour = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "bold"
                : line.StartsWith('+') ? "green"
                : line.StartsWith('-') ? "red"
                : line.StartsWith("@@", StringComparison.Ordinal) ? "cyan"
                : "default";
            console.MarkupLine($"    [{colour}]{Markup.Escape(line)}[/]");
        }
    }

    private void Header(string title)
    {
        console.WriteLine();
        console.MarkupLine($"[bold]{Markup.Escape(title)} {new string('*', Math.Max(3, Width - title.Length - 1))}[/]");
    }
}
