using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using StateForge.Execution;
using StateForge.Planning;

namespace StateForge.Reporting;

/// <summary>The machine-readable report (`--json`): documented in the README, stable field names.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(RunReport report)
    {
        var hosts = new JsonObject();
        foreach (var (name, s) in report.Hosts.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            hosts[name] = new JsonObject
            {
                ["ok"] = s.Ok,
                ["changed"] = s.Changed,
                ["failed"] = s.Failed,
                ["skipped"] = s.Skipped,
                ["unreachable"] = s.Unreachable,
                ["rescued"] = s.Rescued,
                ["ignored"] = s.Ignored,
                ["remote_commands"] = s.RemoteCommands,
                ["file_transfers"] = s.FileTransfers,
            };
        }

        var tasks = new JsonArray();
        foreach (var t in report.Tasks)
        {
            var changes = new JsonArray();
            foreach (var c in t.Changes.Where(c => c.IsChange))
            {
                changes.Add(new JsonObject
                {
                    ["resource"] = c.Resource,
                    ["action"] = ActionName(c.Action),
                    ["before"] = ToNode(c.Before),
                    ["after"] = ToNode(c.After),
                    ["diff"] = c.Diff,
                });
            }

            var task = new JsonObject
            {
                ["host"] = t.Host,
                ["task"] = t.Task,
                ["module"] = t.Module,
                ["status"] = StatusName(t.Status, report.Check),
                ["changes"] = changes,
                ["duration_ms"] = (long)t.Duration.TotalMilliseconds,
                ["location"] = t.Span.IsNone ? null : t.Span.ToString(),
            };
            if (t.Message is not null)
            {
                task["message"] = t.Message;
            }

            if (t.Handler)
            {
                task["handler"] = true;
            }

            tasks.Add(task);
        }

        var root = new JsonObject
        {
            ["mode"] = report.Mode,
            ["exit_code"] = report.ExitCode,
            ["drift"] = report.Drift,
            ["interrupted"] = report.Interrupted,
            ["hosts"] = hosts,
            ["tasks"] = tasks,
            ["duration_ms"] = (long)report.Duration.TotalMilliseconds,
        };
        return root.ToJsonString(Options);
    }

    public static string StatusName(ResultStatus status, bool check) => status switch
    {
        ResultStatus.Ok => "ok",
        ResultStatus.Changed => check ? "would_change" : "changed",
        ResultStatus.Failed => "failed",
        ResultStatus.Skipped => "skipped",
        ResultStatus.Unreachable => "unreachable",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string ActionName(ChangeAction action) => action.ToString().ToLowerInvariant();

    /// <summary>Values as JSON with mapping keys in a stable order, so reports of the same run compare equal.</summary>
    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        IEnumerable<KeyValuePair<string, object?>> map => new JsonObject(map.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, ToNode(kv.Value)))),
        System.Collections.IEnumerable list and not string => new JsonArray([.. list.Cast<object?>().Select(ToNode)]),
        _ => JsonSerializer.SerializeToNode(value, Options),
    };
}
