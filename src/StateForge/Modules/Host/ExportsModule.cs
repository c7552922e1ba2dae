using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using StateForge.Facts;
using StateForge.Modules.Host.Exports;
using StateForge.Planning;
using StateForge.Transport;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Modules.Host;

[Module("exports", Description = "Manages one NFS export: its line in /etc/exports (or /etc/exports.d/NAME.exports) and, separately, the live export table (exportfs -v, exportfs -ra).")]
public sealed partial class ExportsModule : Module<ExportsParams>
{
    private const string Reexport = "exportfs -ra";

    public override string Examples => """
        - name: The registry's volume, writable by everyone as the anonymous user
          exports:
            path: /srv/regvol
            clients: "*(rw,sync,all_squash)"

        - name: Two networks with their own options, in OpenShift's exports file
          exports:
            path: /exports/registry
            file: /etc/exports.d/openshift-ansible.exports
            clients:
              - 10.0.0.0/24(rw,sync,no_root_squash)
              - host: 192.168.10.0/24
                options: [ro, sync, all_squash, anonuid=1000, anongid=1000]

        - name: Not exported any more (and gone from the live table)
          exports:
            path: /srv/old
            state: absent
        """;

    protected override IEnumerable<string> Validate(ExportsParams p)
    {
        if (!p.Path.StartsWith('/') || p.Path.Any(c => char.IsControl(c) || c is '"' or '\\'))
        {
            yield return $"path must be an absolute path without quotes, backslashes or control characters, not '{p.Path}'";
        }

        if (!ExportsFileName().IsMatch(p.File))
        {
            yield return $"file must be /etc/exports or /etc/exports.d/NAME.exports (exportfs reads no other), not '{p.File}'";
        }

        var (clients, errors) = ExportsClient.FromParameter(p.Clients);
        foreach (var error in errors)
        {
            yield return error;
        }

        if (p.State == ExportsState.Present && errors.Count == 0 && clients.Length == 0)
        {
            yield return "clients is required with state present";
        }
    }

    protected override IEnumerable<FactProbe> Probes(ExportsParams p)
    {
        yield return new FileProbe(p.File, WithContent: true);
        if (p.Reload)
        {
            yield return LiveProbe;
        }
    }

    private static CommandProbe LiveProbe => new("exportfs", ["exportfs", "-v"]);

    protected override async ValueTask<TaskPlan> PlanAsync(ExportsParams p, PlanContext context, CancellationToken cancellationToken)
    {
        var (clients, errors) = ExportsClient.FromParameter(p.Clients);
        if (errors.Count > 0)
        {
            return TaskPlan.Fail(string.Join("; ", errors));
        }

        var changes = ImmutableArray.CreateBuilder<ResourceChange>();
        var steps = ImmutableArray.CreateBuilder<RemoteStep>();
        var present = p.State == ExportsState.Present;
        var line = present ? ExportsFile.Line(p.Path, clients) : null;
        var (fileChanged, fileError) = await PlanFileAsync(p, clients, line, context, changes, steps, cancellationToken).ConfigureAwait(false);
        if (fileError is not null)
        {
            return TaskPlan.Fail(fileError);
        }

        if (p.Reload)
        {
            var live = await context.Facts.GetAsync<CommandResult>(LiveProbe, cancellationToken).ConfigureAwait(false);
            if (!live.Succeeded)
            {
                return TaskPlan.Fail(live.ExitCode == 127
                    ? $"exportfs is not installed on {context.Host} (packages nfs-utils, nfs-kernel-server)"
                    : $"exportfs -v failed on {context.Host} (rc {live.ExitCode}): {live.Stderr.Trim()}");
            }

            var table = ExportsLiveTable.Parse(live.Stdout);
            var mine = table.Where(e => ExportsFile.SamePath(e.Path, p.Path)).ToList();
            var problems = present
                ? ExportsLiveTable.Differences(table, p.Path, clients)
                : [.. mine.Select(e => $"{e.Client.Host} is still exported")];
            var resource = $"exports {p.Path} live export table";
            if (problems.Count > 0)
            {
                var wanted = present ? clients.Select(c => new ExportsLiveEntry(p.Path, c)).ToList() : [];
                changes.Add(new ResourceChange(resource, mine.Count == 0 ? ChangeAction.Create : present ? ChangeAction.Modify : ChangeAction.Delete,
                    string.Join("; ", problems), present ? string.Join(' ', clients) : "not exported",
                    TextDiff.Unified(Describe(mine), Describe(wanted), "live export table (before)", "live export table (after)")));
            }
            else
            {
                changes.Add(ResourceChange.NoChange(resource));
            }

            if (problems.Count > 0 || fileChanged)
            {
                steps.Add(new RemoteStep(Reexport, Shell.Command("exportfs", "-ra")));
                var rest = table.Where(e => !ExportsFile.SamePath(e.Path, p.Path));
                var next = present ? rest.Concat(clients.Select(c => new ExportsLiveEntry(p.Path, c))) : rest;
                context.Facts.Simulate(LiveProbe, new CommandResult(0, ExportsLiveTable.Render(next), ""));
            }
        }

        return new TaskPlan
        {
            Changes = changes.ToImmutable(),
            Steps = steps.ToImmutable(),
            Result = ImmutableDictionary<string, object?>.Empty
                .Add("path", p.Path)
                .Add("clients", clients.Select(c => (object?)c.ToString()).ToList())
                .Add("state", present ? "present" : "absent")
                .Add("file", p.File)
                .Add("line", line),
        };
    }

    /// <summary>A failed `exportfs -ra` reports exportfs's own errors, without its subtree_check notices.</summary>
    protected override TaskPlan Complete(ExportsParams parameters, TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        var completed = base.Complete(parameters, plan, results);
        var index = results.ToList().FindIndex(r => !r.Succeeded);
        if (!completed.Failed || index < 0 || index >= plan.Steps.Length || plan.Steps[index].Description != Reexport)
        {
            return completed;
        }

        var errors = results[index].Stderr.Split('\n')
            .Where(l => l.StartsWith("exportfs: ", StringComparison.Ordinal) && !l.Contains("Neither 'subtree_check' or 'no_subtree_check'", StringComparison.Ordinal))
            .ToList();
        return completed with { Message = $"{Reexport} failed (rc {results[index].ExitCode}): {string.Join("; ", errors.Count > 0 ? errors : [results[index].Stderr.Trim()])}" };
    }

    private static async ValueTask<(bool Changed, string? Error)> PlanFileAsync(
        ExportsParams p, ImmutableArray<ExportsClient> clients, string? line, PlanContext context,
        ImmutableArray<ResourceChange>.Builder changes, ImmutableArray<RemoteStep>.Builder steps, CancellationToken cancellationToken)
    {
        var path = p.File;
        var state = await context.Facts.GetAsync<FileState>(new FileProbe(path, WithContent: true), cancellationToken).ConfigureAwait(false);
        (path, state) = await FileAttributes.FollowAsync(context.Facts, path, state, withContent: true, cancellationToken).ConfigureAwait(false);
        if (state.Exists && (state.Kind != FileKind.File || state.Content is null))
        {
            return (false, $"{path} is not a regular file of at most {FileProbe.ContentLimit} bytes; cannot edit it");
        }

        var text = state.Text ?? "";
        var file = ExportsFile.Parse(text);
        var entries = file.EntriesFor(p.Path);
        var resource = $"exports {p.Path} file {path}";
        if (line is null)
        {
            file.Remove(p.Path);
        }
        else if (entries.Count != 1 || entries[0].Key != string.Join(' ', clients.Select(c => c.Key)))
        {
            file.Set(p.Path, line);
        }

        var after = file.Render();
        if (after == text)
        {
            changes.Add(ResourceChange.NoChange(resource));
            return (false, null);
        }

        var content = Encoding.UTF8.GetBytes(after);
        if (!state.Exists)
        {
            steps.Add(new RemoteStep("create directory of " + path, Shell.Command("mkdir", "-p", "--", FileAttributes.Parent(path))));
        }

        steps.Add(AtomicWrite.Build(path, content, owner: null, group: null, mode: state.Exists ? null : "0644", backup: false));
        changes.Add(new ResourceChange(
            resource,
            entries.Count == 0 ? ChangeAction.Create : line is null ? ChangeAction.Delete : ChangeAction.Modify,
            entries.Count == 0 ? null : ExportsFile.Describe(entries).TrimEnd('\n'),
            line,
            TextDiff.Unified(text, after, "before: " + path, "after: " + path)));
        context.Facts.Simulate(new FileProbe(path, WithContent: true), state.Rewritten(content));
        return (true, null);
    }

    private static string Describe(IEnumerable<ExportsLiveEntry> entries) =>
        string.Concat(entries.Select(e => $"{e.Path} {e.Client}\n").Order(StringComparer.Ordinal));

    [GeneratedRegex(@"^(/etc/exports|/etc/exports\.d/[A-Za-z0-9_.@+-]+\.exports)\z")]
    private static partial Regex ExportsFileName();
}
