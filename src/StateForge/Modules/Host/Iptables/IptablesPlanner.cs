using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Modules.Host.Iptables;

/// <summary>
/// Plans one iptables task: the runtime table (from iptables-save) and the rules file are
/// converged separately, each reporting its own drift; both are simulated for later tasks.
/// </summary>
internal sealed class IptablesPlanner(IptablesParams p, PlanContext context)
{
    private readonly string table = Modules.ParameterSchema.SnakeCase(p.Table.ToString());
    private readonly List<string> warnings = [];

    private readonly record struct Done(string Chain, string What, object? Before, object? After);

    public static CommandProbe RuntimeProbe(string table) => new("iptables-save", ["iptables-save", "-t", table]);

    public static IEnumerable<FactProbe> Probes(IptablesParams p)
    {
        var table = Modules.ParameterSchema.SnakeCase(p.Table.ToString());
        yield return RuntimeProbe(table);
        if (table == "filter")
        {
            yield return new IptablesSshProbe();
        }

        if (!p.Persist)
        {
            yield break;
        }

        foreach (var probe in IptablesPersistFile.Probes(p))
        {
            yield return probe;
        }
    }

    public async ValueTask<TaskPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var facts = context.Facts;
        var probe = RuntimeProbe(table);
        var saved = await facts.GetAsync<CommandResult>(probe, cancellationToken).ConfigureAwait(false);
        if (!saved.Succeeded)
        {
            return TaskPlan.Fail($"iptables-save -t {table} failed (rc {saved.ExitCode}): {(saved.Stderr + saved.Stdout).Trim()}");
        }

        var before = IptablesTable.Parse(saved.Stdout, table);
        var runtime = new IptablesRuntimeStore(table, before.Clone());
        var runtimeDone = new List<Done>();
        if (Converge(runtime, runtimeDone) is { } runtimeError)
        {
            return TaskPlan.Fail(runtimeError);
        }

        if (table == "filter" && runtimeDone.Count > 0)
        {
            var ssh = await facts.GetAsync<IptablesSshSession>(new IptablesSshProbe(), cancellationToken).ConfigureAwait(false);
            var (lockout, unsure) = IptablesLockout.Check(before, runtime.Model, ssh);
            if (lockout is not null && !p.AllowLockout)
            {
                return TaskPlan.Fail(lockout);
            }

            if (unsure is not null && !p.AllowLockout)
            {
                warnings.Add(unsure);
            }
        }

        var changes = ImmutableArray.CreateBuilder<ResourceChange>();
        changes.AddRange(runtimeDone.Count == 0
            ? [ResourceChange.NoChange(Resource(p.Chain, "runtime", Subject()))]
            : runtimeDone.Select(d => new ResourceChange(
                Resource(d.Chain, "runtime", d.What), ActionOf(d), d.Before, d.After,
                TextDiff.Unified(Listing(before, d.Chain), Listing(runtime.Model, d.Chain), $"{table}/{d.Chain} (runtime, before)", $"{table}/{d.Chain} (runtime, after)"))));
        var steps = ImmutableArray.CreateBuilder<RemoteStep>();
        steps.AddRange(runtime.Steps);

        string? persistFile = null;
        if (p.Persist)
        {
            var (file, fileError) = await PlanFileAsync(runtime.Model, changes, steps, cancellationToken).ConfigureAwait(false);
            if (fileError is not null)
            {
                return TaskPlan.Fail(fileError);
            }

            persistFile = file;
        }

        facts.Simulate(probe, new CommandResult(0, runtime.Model.Render(), ""));
        return new TaskPlan
        {
            Changes = changes.ToImmutable(),
            Steps = steps.ToImmutable(),
            Warnings = [.. warnings.Distinct()],
            Result = Result(persistFile),
        };
    }

    private async ValueTask<(string? File, string? Error)> PlanFileAsync(
        IptablesTable runtime, ImmutableArray<ResourceChange>.Builder changes, ImmutableArray<RemoteStep>.Builder steps, CancellationToken cancellationToken)
    {
        var path = await IptablesPersistFile.ResolveAsync(p, context, cancellationToken).ConfigureAwait(false);
        var state = await context.Facts.GetAsync<FileState>(new FileProbe(path, WithContent: true), cancellationToken).ConfigureAwait(false);
        (path, state) = await FileAttributes.FollowAsync(context.Facts, path, state, withContent: true, cancellationToken).ConfigureAwait(false);
        if (state.Exists && state.Kind != FileKind.File)
        {
            return (path, $"{path} is not a regular file; cannot keep rules in it");
        }

        if (state.Exists && state.Content is null)
        {
            return (path, $"{path} is larger than {FileProbe.ContentLimit} bytes; refusing to edit it");
        }

        var text = state.Text ?? "";
        var file = IptablesRulesFile.Parse(text);
        var done = new List<Done>();
        var store = new IptablesFileStore(table, file, chain => runtime.Find(chain)?.Policy is { } policy && policy != "-" ? policy : "ACCEPT");
        if (Converge(store, done) is { } error)
        {
            return (path, $"in {path}: {error}");
        }

        var after = file.Render();
        if (after == text)
        {
            changes.Add(ResourceChange.NoChange(Resource(p.Chain, "file " + path, Subject())));
            return (path, null);
        }

        var content = Encoding.UTF8.GetBytes(after);
        if (!state.Exists)
        {
            steps.Add(new RemoteStep("create directory of " + path, Shell.Command("mkdir", "-p", "--", FileAttributes.Parent(path))));
        }

        steps.Add(AtomicWrite.Build(path, content, owner: null, group: null, mode: state.Exists ? null : "0600", backup: false));
        var first = done.Count > 0 ? done[0] : new Done(p.Chain, Subject(), null, null);
        changes.Add(new ResourceChange(
            Resource(first.Chain, "file " + path, first.What),
            state.Exists ? ChangeAction.Modify : ChangeAction.Create,
            first.Before,
            first.After,
            TextDiff.Unified(text, after, "before: " + path, "after: " + path)));
        context.Facts.Simulate(new FileProbe(path, WithContent: true), state.Rewritten(content, "0600"));
        return (path, null);
    }

    /// <summary>Makes one store hold what the task asks; returns an error, or records what changed.</summary>
    private string? Converge(IIptablesStore s, List<Done> done)
    {
        var where = $"{table}/{p.Chain}";
        if (p.Policy is { } policy)
        {
            var current = s.Policy(p.Chain);
            if (current != policy)
            {
                s.SetPolicy(p.Chain, policy);
                done.Add(new Done(p.Chain, "policy " + policy, current ?? "undeclared", policy));
            }

            return null;
        }

        var custom = !IptablesTable.IsBuiltIn(table, p.Chain);
        var hasRule = IptablesRuleSpec.HasRule(p);
        var want = hasRule ? IptablesRuleSpec.Build(p) : null;
        if (p.State == IptablesState.Absent)
        {
            return want is not null ? Remove(s, p.Chain, want, done) : p.ChainManagement && custom ? RemoveChain(s, done) : null;
        }

        if (custom && !s.HasChain(p.Chain))
        {
            if (s.IsRuntime && !p.ChainManagement)
            {
                return $"chain {p.Chain} does not exist in the {table} table; set chain_management: true to create it";
            }

            s.CreateChain(p.Chain);
            done.Add(new Done(p.Chain, "chain", "absent", "present"));
        }

        if (p.ChainManagement && custom && p.JumpFrom is { } from)
        {
            if (!s.HasChain(from) && s.IsRuntime)
            {
                return $"jump_from chain {from} does not exist in the {table} table";
            }

            var jump = IptablesRuleSpec.JumpTo(p.Chain);
            var edit = IptablesPlacement.Present(s.Rules(from), jump, new IptablesPosition.BeforeFinal(), $"{table}/{from}");
            Record(s, from, jump, edit, done);
        }

        if (want is null)
        {
            return null;
        }

        IptablesPosition position = p.Action == IptablesAction.Append ? new IptablesPosition.Append()
            : p.RuleNumber is { } n ? new IptablesPosition.At(n) : new IptablesPosition.Top();
        var ruleEdit = IptablesPlacement.Present(s.Rules(p.Chain), want, position, where);
        if (ruleEdit.Error is not null)
        {
            return ruleEdit.Error;
        }

        if (ruleEdit.Warning is not null)
        {
            warnings.Add(ruleEdit.Warning);
        }

        Record(s, p.Chain, want, ruleEdit, done);
        return null;
    }

    private static string? Remove(IIptablesStore s, string chain, IptablesRule want, List<Done> done)
    {
        if (s.HasChain(chain))
        {
            Record(s, chain, want, IptablesPlacement.Absent(s.Rules(chain), want), done);
        }

        return null;
    }

    private string? RemoveChain(IIptablesStore s, List<Done> done)
    {
        if (!s.HasChain(p.Chain))
        {
            return null;
        }

        if (p.JumpFrom is { } from && s.HasChain(from))
        {
            var jump = IptablesRuleSpec.JumpTo(p.Chain);
            Record(s, from, jump, IptablesPlacement.Absent(s.Rules(from), jump), done);
        }

        var rules = s.Rules(p.Chain);
        if (rules.Count > 0)
        {
            return $"chain {p.Chain} is not empty ({rules.Count} rule{(rules.Count == 1 ? "" : "s")}, first: {rules[0].Text}); remove its rules first";
        }

        var references = s.AllRules().Where(r => r.Rule.Target == p.Chain).Select(r => IptablesChain.Line(r.Chain, r.Rule)).ToList();
        if (references.Count > 0)
        {
            return $"chain {p.Chain} is still the target of: {string.Join("; ", references)}";
        }

        s.DeleteChain(p.Chain);
        done.Add(new Done(p.Chain, "chain", "present", "absent"));
        return null;
    }

    private static void Record(IIptablesStore s, string chain, IptablesRule rule, IptablesEdit edit, List<Done> done)
    {
        if (!edit.IsChange)
        {
            return;
        }

        var before = Position(s.Rules(chain), rule);
        s.Apply(chain, edit, rule);
        done.Add(new Done(chain, rule.Text, before, Position(s.Rules(chain), rule)));
    }

    private static string Position(IReadOnlyList<IptablesRule> rules, IptablesRule rule)
    {
        var numbers = Enumerable.Range(0, rules.Count).Where(i => rules[i].Key == rule.Key).Select(i => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return numbers.Count == 0 ? "absent" : $"rule {string.Join(", ", numbers)} of {rules.Count}";
    }

    private static ChangeAction ActionOf(Done d) => (d.Before, d.After) switch
    {
        ("absent" or "undeclared", _) => ChangeAction.Create,
        (_, "absent") => ChangeAction.Delete,
        _ => ChangeAction.Modify,
    };

    private static string Listing(IptablesTable t, string chain) => t.Find(chain)?.Listing() ?? "";

    private string Resource(string chain, string place, string what) => $"iptables {table}/{chain} {place}: {what}";

    private string Subject() =>
        p.Policy is { } policy ? "policy " + policy
        : IptablesRuleSpec.HasRule(p) ? IptablesRuleSpec.Build(p).Text
        : "chain";

    private ImmutableDictionary<string, object?> Result(string? persistFile)
    {
        var r = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        r["table"] = table;
        r["chain"] = p.Chain;
        r["state"] = p.State == IptablesState.Present ? "present" : "absent";
        r["ip_version"] = "ipv4";
        r["rule"] = IptablesRuleSpec.HasRule(p) ? IptablesRuleSpec.Build(p).Text : null;
        r["policy"] = p.Policy;
        r["persist_file"] = persistFile;
        return r.ToImmutable();
    }
}
