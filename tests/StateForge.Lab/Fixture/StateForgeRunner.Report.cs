using System.Collections.Immutable;
using System.Text.Json;

namespace StateForge.Lab;

/// <summary>One host's line of the JSON report (the PLAY RECAP counts and the round trips).</summary>
public sealed record ReportHost(int Ok, int Changed, int Failed, int Skipped, int Unreachable, int RemoteCommands, int FileTransfers);

/// <summary>One task result of the JSON report.</summary>
public sealed record ReportTask(string Host, string Task, string Module, string Status, string? Message, int Changes)
{
    /// <summary>The task's changes: what, how, and the diff.</summary>
    public ImmutableArray<ReportChange> ChangeList { get; init; } = [];
}

/// <summary>One change of a task in the JSON report.</summary>
public sealed record ReportChange(string Resource, string Action, string? Diff);

/// <summary>`stateforge --json` as the tests read it (README: stable field names).</summary>
public sealed record StateForgeReport(
    string Mode,
    int ExitCode,
    bool Interrupted,
    ImmutableDictionary<string, ReportHost> Hosts,
    ImmutableArray<ReportTask> Tasks)
{
    public static StateForgeReport Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var hosts = root.GetProperty("hosts").EnumerateObject().ToImmutableDictionary(
            h => h.Name,
            h => new ReportHost(
                h.Value.GetProperty("ok").GetInt32(),
                h.Value.GetProperty("changed").GetInt32(),
                h.Value.GetProperty("failed").GetInt32(),
                h.Value.GetProperty("skipped").GetInt32(),
                h.Value.GetProperty("unreachable").GetInt32(),
                h.Value.GetProperty("remote_commands").GetInt32(),
                h.Value.GetProperty("file_transfers").GetInt32()),
            StringComparer.Ordinal);
        var tasks = root.GetProperty("tasks").EnumerateArray().Select(t => new ReportTask(
            t.GetProperty("host").GetString()!,
            t.GetProperty("task").GetString()!,
            t.GetProperty("module").GetString()!,
            t.GetProperty("status").GetString()!,
            t.TryGetProperty("message", out var m) ? m.GetString() : null,
            t.GetProperty("changes").GetArrayLength())
        {
            ChangeList = [.. t.GetProperty("changes").EnumerateArray().Select(c => new ReportChange(
                c.GetProperty("resource").GetString()!,
                c.GetProperty("action").GetString()!,
                c.TryGetProperty("diff", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null))],
        }).ToImmutableArray();
        return new StateForgeReport(
            root.GetProperty("mode").GetString()!,
            root.GetProperty("exit_code").GetInt32(),
            root.GetProperty("interrupted").GetBoolean(),
            hosts,
            tasks);
    }

    /// <summary>The host's results in the order they were reported.</summary>
    public IReadOnlyList<ReportTask> On(string host) => Tasks.Where(t => t.Host == host).ToList();

    /// <summary>The host's result for the named task; null when it was never reported.</summary>
    public ReportTask? Find(string host, string task) => Tasks.FirstOrDefault(t => t.Host == host && t.Task == task);

    /// <summary>"task=status" per result of the host, for readable assertions.</summary>
    public IReadOnlyList<string> Outline(string host) => On(host).Select(t => $"{t.Task}={t.Status}").ToList();
}
