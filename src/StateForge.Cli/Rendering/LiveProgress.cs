using System.Collections.Concurrent;
using Spectre.Console;
using StateForge.Execution;
using StateForge.Model;

namespace StateForge.Cli.Rendering;

/// <summary>
/// On a terminal: a live line per running host (its current task and counts) while the run
/// goes; the full log and the recap are printed when it ends. Forwards every event to the log.
/// </summary>
internal sealed class LiveProgress(IRunObserver log) : IRunObserver
{
    private readonly ConcurrentDictionary<string, HostLine> hosts = new(StringComparer.Ordinal);
    private volatile string play = "";

    public async Task<T> RunAsync<T>(IAnsiConsole console, Func<Task<T>> work)
    {
        var table = new Table().Border(TableBorder.None).HideHeaders().AddColumn("host").AddColumn("task").AddColumn("counts");
        T result = default!;
        await console.Live(table).AutoClear(true).StartAsync(async ctx =>
        {
            var running = work();
            while (!running.IsCompleted)
            {
                Render(table);
                ctx.Refresh();
                await Task.WhenAny(running, Task.Delay(150)).ConfigureAwait(false);
            }

            result = await running.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }

    public void PlayStarted(Play play, IReadOnlyList<string> hostNames)
    {
        this.play = play.Name;
        foreach (var h in hostNames)
        {
            hosts.TryAdd(h, new HostLine());
        }

        log.PlayStarted(play, hostNames);
    }

    public void TaskStarted(string task, bool handler) => log.TaskStarted(task, handler);

    public void HostTaskStarted(string host, string task)
    {
        hosts.GetOrAdd(host, _ => new HostLine()).Task = task;
        log.HostTaskStarted(host, task);
    }

    public void TaskCompleted(TaskResult result)
    {
        var line = hosts.GetOrAdd(result.Host, _ => new HostLine());
        lock (line)
        {
            line.Done++;
            if (result.Status == ResultStatus.Changed)
            {
                line.Changed++;
            }

            if (result.Status is ResultStatus.Failed or ResultStatus.Unreachable && !result.IgnoredError)
            {
                line.Failed = true;
            }
        }

        log.TaskCompleted(result);
    }

    public void Warning(string? host, string message) => log.Warning(host, message);

    private void Render(Table table)
    {
        table.Rows.Clear();
        table.AddRow(new Markup($"[bold]{Markup.Escape(play)}[/]"), new Text(""), new Text(""));
        foreach (var (name, line) in hosts.OrderBy(h => h.Key, StringComparer.Ordinal).Take(40))
        {
            var colour = line.Failed ? "red" : line.Changed > 0 ? "yellow" : "green";
            table.AddRow(
                new Markup($"[{colour}]{Markup.Escape(name)}[/]"),
                new Text(line.Task ?? "connecting"),
                new Text($"{line.Done} done, {line.Changed} changed{(line.Failed ? ", FAILED" : "")}"));
        }

        if (hosts.Count > 40)
        {
            table.AddRow(new Text($"… and {hosts.Count - 40} more hosts"), new Text(""), new Text(""));
        }
    }

    private sealed class HostLine
    {
        public string? Task { get; set; }

        public int Done { get; set; }

        public int Changed { get; set; }

        public bool Failed { get; set; }
    }
}
