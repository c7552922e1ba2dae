using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StateForge.Facts;
using StateForge.Modules.Host.Iptables;
using StateForge.Planning;
using StateForge.Transport;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Modules.Host;

[Module("iptables_state", "community.general.iptables_state",
    Description = "Saves the runtime iptables tables to a rules file (iptables-save, normalised), or restores them from one (iptables-restore), planned from facts: only what differs changes.")]
public sealed class IptablesStateModule : Module<IptablesStateParams>
{
    public override string Examples => """
        - name: Save the rules after the iptables tasks (a no-op when the file already matches iptables-save)
          iptables_state:
            state: saved
            path: /etc/iptables/rules.v4

        - name: Save only the filter table, with its counters
          iptables_state:
            state: saved
            path: /etc/sysconfig/iptables
            table: filter
            counters: true

        - name: The runtime tables as the file says (iptables-restore runs only when a table differs)
          iptables_state:
            state: restored
            path: /etc/sysconfig/iptables

        - name: Add the file's rules to the running ones (nothing runs when none is missing)
          iptables_state:
            state: restored
            path: /etc/iptables/extra.v4
            table: filter
            noflush: true
            wait: 5

        - name: IPv6 rules
          iptables_state:
            state: saved
            path: /etc/iptables/rules.v6
            ip_version: ipv6
        """;

    protected override IEnumerable<string> Validate(IptablesStateParams p)
    {
        if (p.Path.Length == 0 || !p.Path.StartsWith('/') || p.Path.EndsWith('/'))
        {
            yield return $"path must be an absolute file path, not '{p.Path}'";
        }

        if (p.Modprobe is { } modprobe && (!modprobe.StartsWith('/') || modprobe.Any(char.IsControl)))
        {
            yield return $"modprobe must be an absolute path, not '{modprobe}'";
        }

        if (p.Wait is < 0)
        {
            yield return $"wait must be a number of seconds (0 or more), not {p.Wait}";
        }
    }

    protected override IEnumerable<FactProbe> Probes(IptablesStateParams p)
    {
        yield return InitialProbe(p);
        if (p.State == IptablesStateState.Saved)
        {
            yield return SaveProbe(p);
        }

        yield return new FileProbe(p.Path, WithContent: true);
        if (p.State == IptablesStateState.Restored && p.IpVersion == IptablesIpVersion.Ipv4)
        {
            yield return new IptablesSshProbe();
        }
    }

    protected override ValueTask<TaskPlan> PlanAsync(IptablesStateParams p, PlanContext context, CancellationToken cancellationToken) =>
        p.State == IptablesStateState.Saved ? PlanSavedAsync(p, context, cancellationToken) : PlanRestoredAsync(p, context, cancellationToken);

    /// <summary>A save whose output already was the file's content wrote nothing: the task did not change it.</summary>
    protected override TaskPlan Complete(IptablesStateParams p, TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        var done = base.Complete(p, plan, results);
        if (done.Failed || p.State != IptablesStateState.Saved || results.Count == 0 || results[^1].Stdout.Trim() != AtomicWrite.Unchanged)
        {
            return done;
        }

        return done with { Changes = [.. done.Changes.Select(c => ResourceChange.NoChange(c.Resource))] };
    }

    private static async ValueTask<TaskPlan> PlanSavedAsync(IptablesStateParams p, PlanContext context, CancellationToken cancellationToken)
    {
        var table = TableName(p);
        var save = await context.Facts.GetAsync<CommandResult>(SaveProbe(p), cancellationToken).ConfigureAwait(false);
        if (!save.Succeeded)
        {
            return TaskPlan.Fail($"{Shell.Command(SaveArgv(p))} failed (rc {save.ExitCode}): {(save.Stderr + save.Stdout).Trim()}");
        }

        var initial = await context.Facts.GetAsync<CommandResult>(InitialProbe(p), cancellationToken).ConfigureAwait(false);
        var text = Overlay(p, context, save.Stdout, table);

        // A predicted output (earlier tasks' planned rules, a table not loaded yet) lacks the header
        // comments iptables-save prints: the save then always runs, and reports a change only if the file differs.
        var predicted = text != save.Stdout;

        // iptables-save prints nothing for a table not yet used; the save step loads it first, as iptables_state does.
        var needed = table ?? (text.Trim().Length == 0 ? "filter" : null);
        if (needed is not null && !IptablesSaveState.HasTable(text, needed))
        {
            text = IptablesSaveState.ReplaceSection(text, needed, IptablesTable.Parse("", needed).Render());
            predicted = true;
        }

        var lines = IptablesSaveState.Normalise(text, p.Counters);
        var want = IptablesSaveState.Render(lines);
        var path = p.Path;
        var state = await context.Facts.GetAsync<FileState>(new FileProbe(path, WithContent: true), cancellationToken).ConfigureAwait(false);
        (path, state) = await FileAttributes.FollowAsync(context.Facts, path, state, withContent: true, cancellationToken).ConfigureAwait(false);
        if (state.Exists && state.Kind != FileKind.File)
        {
            return TaskPlan.Fail($"{path} is not a regular file; cannot save the rules in it");
        }

        if (state.Exists && state.Content is null)
        {
            return TaskPlan.Fail($"{path} is larger than {FileProbe.ContentLimit} bytes; refusing to replace it");
        }

        var result = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        result["cmd"] = string.Join(' ', SaveArgv(p));
        result["saved"] = lines;
        result["initial_state"] = IptablesSaveState.Normalise(Overlay(p, context, initial.Stdout, null), p.Counters);
        result["tables"] = IptablesSaveState.PerTable(lines);
        var resource = $"iptables_state saved {path}";
        if (state.Exists && state.Text == want && !predicted)
        {
            return TaskPlan.Ok(result.ToImmutable(), ResourceChange.NoChange(resource));
        }

        var steps = ImmutableArray.CreateBuilder<RemoteStep>();
        if (!state.Exists)
        {
            steps.Add(new RemoteStep("create directory of " + path, Shell.Command("mkdir", "-p", "--", FileAttributes.Parent(path))));
        }

        var produce = IptablesSaveState.SaveScript(SaveArgv(p), ListArgv(p, needed ?? "filter"), needed, p.Counters);
        steps.Add(AtomicWrite.BuildProduced(path, produce, state.Exists ? null : "0600", $"save {string.Join(' ', SaveArgv(p))} to {path}"));
        var content = Encoding.UTF8.GetBytes(want);
        context.Facts.Simulate(new FileProbe(path, WithContent: true), state.Rewritten(content, "0600"));
        return new TaskPlan
        {
            Changes = [new ResourceChange(resource, state.Exists ? ChangeAction.Modify : ChangeAction.Create, null, path,
                TextDiff.Unified(state.Text ?? "", want, "before: " + path, "after: " + path))],
            Steps = steps.ToImmutable(),
            Result = result.ToImmutable(),
        };
    }

    private static async ValueTask<TaskPlan> PlanRestoredAsync(IptablesStateParams p, PlanContext context, CancellationToken cancellationToken)
    {
        var table = TableName(p);
        var path = p.Path;
        var state = await context.Facts.GetAsync<FileState>(new FileProbe(path, WithContent: true), cancellationToken).ConfigureAwait(false);
        (_, state) = await FileAttributes.FollowAsync(context.Facts, path, state, withContent: true, cancellationToken).ConfigureAwait(false);
        if (!state.Exists)
        {
            return TaskPlan.Fail($"Source {path} not found");
        }

        if (state.Kind != FileKind.File)
        {
            return TaskPlan.Fail($"Source {path} not a file");
        }

        if (state.Text is not { } text)
        {
            return TaskPlan.Fail($"Source {path} is larger than {FileProbe.ContentLimit} bytes; refusing to compare it");
        }

        if (table is not null && !IptablesSaveState.HasTable(text, table))
        {
            return TaskPlan.Fail($"Table {table} to restore not defined in {path}");
        }

        var save = await context.Facts.GetAsync<CommandResult>(InitialProbe(p), cancellationToken).ConfigureAwait(false);
        if (!save.Succeeded)
        {
            return TaskPlan.Fail($"{Shell.Command(InitialArgv(p))} failed (rc {save.ExitCode}): {(save.Stderr + save.Stdout).Trim()}");
        }

        var before = Overlay(p, context, save.Stdout, null);
        var after = before;
        var changes = ImmutableArray.CreateBuilder<ResourceChange>();
        var warnings = ImmutableArray.CreateBuilder<string>();
        var restored = new List<string>();
        foreach (var t in table is null ? IptablesSaveState.TablesIn(text) : [table])
        {
            var runtime = IptablesTable.Parse(before, t);
            var section = IptablesSaveState.Section(text, t)!;
            var resource = $"iptables_state {t} runtime from {path}";
            var differences = IptablesSaveState.Differences(runtime, section, t, p.Noflush);
            if (differences.Count == 0)
            {
                changes.Add(ResourceChange.NoChange(resource));
                continue;
            }

            var restoredTable = IptablesSaveState.Restored(runtime, section, t, p.Noflush);
            if (t == "filter" && p.IpVersion == IptablesIpVersion.Ipv4)
            {
                var ssh = await context.Facts.GetAsync<IptablesSshSession>(new IptablesSshProbe(), cancellationToken).ConfigureAwait(false);
                var (lockout, unsure) = IptablesLockout.Check(runtime, restoredTable, ssh);
                if (lockout is not null && !p.AllowLockout)
                {
                    return TaskPlan.Fail(lockout.Replace("after this change", $"after restoring {path}", StringComparison.Ordinal));
                }

                if (unsure is not null && !p.AllowLockout)
                {
                    warnings.Add(unsure);
                }
            }

            changes.Add(new ResourceChange(resource, ChangeAction.Modify, differences[0], differences.Count.ToString(CultureInfo.InvariantCulture) + " difference(s)",
                TextDiff.Unified(IptablesSaveState.Listing(runtime), IptablesSaveState.Listing(restoredTable), $"{t} (runtime, before)", $"{t} (runtime, after)")));
            if (p.Noflush && AppendedAgain(runtime, section, t) is var again and > 0)
            {
                warnings.Add($"iptables-restore --noflush appends every rule of {path} to the {t} table: {again} of them already there are appended again");
            }

            restored.Add(t);
            after = IptablesSaveState.ReplaceSection(after, t, restoredTable.Render());
            if (p.IpVersion == IptablesIpVersion.Ipv4)
            {
                context.Facts.Simulate(IptablesPlanner.RuntimeProbe(t), new CommandResult(0, restoredTable.Render(), ""));
            }
        }

        var result = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        result["initial_state"] = IptablesSaveState.Normalise(before, p.Counters);
        result["restored"] = IptablesSaveState.Normalise(after, p.Counters);
        result["tables"] = IptablesSaveState.PerTable(IptablesSaveState.Normalise(before, p.Counters));
        result["applied"] = restored.Count > 0;
        if (restored.Count == 0)
        {
            return new TaskPlan { Changes = changes.ToImmutable(), Result = result.ToImmutable() };
        }

        context.Facts.Simulate(InitialProbe(p), new CommandResult(0, after, ""));
        var options = RestoreOptions(p);
        var source = Shell.Quote(path);
        var script = $"{Shell.Command([Restore(p), "--test", .. options])} < {source} && {Shell.Command([Restore(p), .. options])} < {source}";
        return new TaskPlan
        {
            Changes = changes.ToImmutable(),
            Steps = [new RemoteStep($"restore {string.Join(", ", restored)} from {path}", script)],
            Warnings = warnings.ToImmutable(),
            Result = result.ToImmutable(),
        };
    }

    /// <summary>
    /// The output as it stands after the tasks planned so far: a table an earlier iptables task
    /// changed (it simulates that table's iptables-save) replaces the fetched section.
    /// </summary>
    private static string Overlay(IptablesStateParams p, PlanContext context, string text, string? table)
    {
        if (p.IpVersion != IptablesIpVersion.Ipv4)
        {
            return text;
        }

        foreach (var t in table is null ? IptablesSaveState.TableNames : [table])
        {
            if (!context.Facts.TryGetSimulated<CommandResult>(IptablesPlanner.RuntimeProbe(t), out var simulated))
            {
                continue;
            }

            var planned = IptablesTable.Parse(simulated.Stdout, t);
            var fetched = IptablesTable.Parse(text, t);
            if (!IptablesSaveState.Equivalent(planned, fetched))
            {
                text = IptablesSaveState.ReplaceSection(text, t, planned.Render());
            }
        }

        return text;
    }

    /// <summary>Rules of the file for chains --noflush keeps that the runtime already has.</summary>
    private static int AppendedAgain(IptablesTable runtime, RulesSection file, string table)
    {
        var emptied = file.Declared.Where(d => !IptablesTable.IsBuiltIn(table, d.Name)).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        return file.Rules.Count(r => !emptied.Contains(r.Chain) && runtime.Find(r.Chain) is { } c && c.Rules.Any(x => x.Key == r.Rule.Key));
    }

    private static string? TableName(IptablesStateParams p) => p.Table is { } t ? ParameterSchema.SnakeCase(t.ToString()) : null;

    private static string Save(IptablesStateParams p) => p.IpVersion == IptablesIpVersion.Ipv6 ? "ip6tables-save" : "iptables-save";

    private static string Restore(IptablesStateParams p) => p.IpVersion == IptablesIpVersion.Ipv6 ? "ip6tables-restore" : "iptables-restore";

    /// <summary>What iptables_state saves: iptables-save [--counters] [--table T] [--modprobe M].</summary>
    private static List<string> SaveArgv(IptablesStateParams p)
    {
        List<string> argv = [Save(p)];
        if (p.Counters)
        {
            argv.Add("--counters");
        }

        if (TableName(p) is { } table)
        {
            argv.AddRange(["--table", table]);
        }

        if (p.Modprobe is { } modprobe)
        {
            argv.AddRange(["--modprobe", modprobe]);
        }

        return argv;
    }

    /// <summary>Every table, as iptables_state's initial_state: iptables-save [--modprobe M].</summary>
    private static List<string> InitialArgv(IptablesStateParams p) => p.Modprobe is { } modprobe ? [Save(p), "--modprobe", modprobe] : [Save(p)];

    private static List<string> ListArgv(IptablesStateParams p, string table)
    {
        List<string> argv = [p.IpVersion == IptablesIpVersion.Ipv6 ? "ip6tables" : "iptables", "-L", "-n", "-t", table];
        if (p.Modprobe is { } modprobe)
        {
            argv.AddRange(["--modprobe", modprobe]);
        }

        return argv;
    }

    private static List<string> RestoreOptions(IptablesStateParams p)
    {
        var options = new List<string>();
        if (TableName(p) is { } table)
        {
            options.AddRange(["--table", table]);
        }

        if (p.Noflush)
        {
            options.Add("--noflush");
        }

        if (p.Counters)
        {
            options.Add("--counters");
        }

        if (p.Wait is { } wait)
        {
            options.AddRange(["--wait", wait.ToString(CultureInfo.InvariantCulture)]);
        }

        if (p.Modprobe is { } modprobe)
        {
            options.AddRange(["--modprobe", modprobe]);
        }

        return options;
    }

    private static CommandProbe SaveProbe(IptablesStateParams p) => new(Save(p), SaveArgv(p));

    private static CommandProbe InitialProbe(IptablesStateParams p) => new(Save(p), InitialArgv(p));
}
