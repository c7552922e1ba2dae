using System.Collections.Immutable;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules.Host;

/// <summary>
/// What the package module and its apt, dnf and yum forms share: validation, probes, planning
/// against installed and candidate versions, and the outcome of the package manager's run.
/// </summary>
internal static class PackagePlanner
{
    private static readonly PlannedPackagesProbe PlannedProbe = new();

    public static IEnumerable<string> Validate(PackageParams p, PackageManager? forced)
    {
        if (p.Name.Count == 0)
        {
            yield return "name must name at least one package";
        }

        var specs = new List<PackageSpec>();
        foreach (var text in p.Name)
        {
            if (PackageSpec.TryParse(text, out var error) is { } spec)
            {
                specs.Add(spec);
            }
            else
            {
                yield return $"name: {error}";
            }
        }

        if (IsLatest(p.State) && specs.FirstOrDefault(s => s.Version is not null) is { } pinned)
        {
            yield return $"name: '{pinned}' pins a version, which state latest cannot honour; use state present";
        }

        foreach (var group in specs.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Select(s => s.Version).Distinct().Count() > 1))
        {
            yield return $"name: '{group.Key}' is given with different versions ({string.Join(", ", group)})";
        }

        if (forced is { } f && p.Use != PackageManager.Auto && p.Use != f)
        {
            yield return $"use: {Snake(p.Use)} contradicts this module, which always uses {Snake(f)}";
        }

        if (p.InstallRecommends && (forced ?? p.Use) is PackageManager.Dnf or PackageManager.Yum)
        {
            yield return "install_recommends applies to apt only";
        }
    }

    /// <summary>Nothing for arguments that do not validate: no value of theirs reaches a host, even quoted.</summary>
    public static IEnumerable<FactProbe> Probes(PackageParams p, PackageManager? forced)
    {
        if (Validate(p, forced).Any())
        {
            return [];
        }

        var use = forced ?? p.Use;
        var names = Specs(p).Select(s => s.Name).ToList();
        var probes = new List<FactProbe> { PackageQueryProbe.For(use, names), PlannedProbe };
        if (IsLatest(p.State) && use is PackageManager.Dnf or PackageManager.Yum)
        {
            probes.Add(PackageUpgradesProbe.For(PackageCommands.Program(use), names));
        }

        return probes;
    }

    public static async ValueTask<TaskPlan> PlanAsync(PackageParams p, PackageManager? forced, PlanContext context, CancellationToken cancellationToken)
    {
        var specs = Specs(p);
        var names = specs.Select(s => s.Name).ToList();
        var use = forced ?? p.Use;
        var probe = PackageQueryProbe.For(use, names);
        var facts = await context.Facts.GetAsync<PackageFacts>(probe, cancellationToken).ConfigureAwait(false);
        var (manager, problem) = ResolveManager(use, facts.Manager, AnsibleFact(context, "pkg_mgr"));
        if (manager is not { } m)
        {
            return TaskPlan.Fail($"{context.Host}: {problem}");
        }

        if (Manager(facts.Manager) != m)
        {
            // The facts name another manager than the host's first one: ask that one.
            probe = PackageQueryProbe.For(m, names);
            facts = await context.Facts.GetAsync<PackageFacts>(probe, cancellationToken).ConfigureAwait(false);
            if (Manager(facts.Manager) != m)
            {
                return TaskPlan.Fail($"{context.Host}: {PackageCommands.Program(m)} was not found on the host (pkg_mgr {Snake(m)})");
            }
        }

        var planned = await context.Facts.GetAsync<PlannedPackages>(PlannedProbe, cancellationToken).ConfigureAwait(false);
        string? Current(string name) => planned.Find(name) is { } pp ? (pp.Installed ? pp.Version : null) : facts.InstalledVersion(name);

        PackageUpgrades? upgrades = null;
        if (IsLatest(p.State) && m != PackageManager.Apt && specs.Any(s => Current(s.Name) is not null))
        {
            upgrades = await context.Facts.GetAsync<PackageUpgrades>(PackageUpgradesProbe.For(PackageCommands.Program(m), names), cancellationToken).ConfigureAwait(false);
            if (upgrades.Error is { } error)
            {
                return TaskPlan.Fail($"{context.Host}: {PackageCommands.Program(m)} check-update failed: {error}");
            }
        }

        var decisions = specs.Select(s => Decide(s, p.State, m, Current(s.Name), facts, upgrades)).ToList();
        var (problems, warnings) = CheckAvailability(decisions, facts, planned, p.UpdateCache, context.Host);
        if (context.CheckMode && problems.Count > 0)
        {
            return TaskPlan.Fail(string.Join("; ", problems));
        }

        Simulate(context.Facts, probe, facts, planned, decisions);
        return BuildPlan(p, m, decisions, context.CheckMode) with { Warnings = [.. warnings] };
    }

    public static TaskPlan Complete(TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        if (results.Count == 0)
        {
            return plan;
        }

        var failed = results.FirstOrDefault(r => !r.Succeeded);
        var shown = failed ?? results[^1];
        var stdout = string.Concat(results.Select(r => r.Stdout));
        var stderr = string.Concat(results.Select(r => r.Stderr));
        var result = plan.Result
            .SetItem("rc", (long)shown.ExitCode)
            .SetItem("stdout", stdout)
            .SetItem("stderr", stderr)
            .SetItem("stdout_lines", Lines(stdout))
            .SetItem("stderr_lines", Lines(stderr));
        if (plan.Steps.Length > 0 && plan.Steps[0].Description.EndsWith(" (update_cache)", StringComparison.Ordinal))
        {
            result = result.SetItem("cache_updated", results[0].Succeeded);
        }

        if (failed is null)
        {
            return plan with { Result = result };
        }

        var index = results.ToList().IndexOf(failed);
        var step = index < plan.Steps.Length ? plan.Steps[index].Description : failed.Id;
        var message = $"{step} failed (rc {failed.ExitCode}): {ErrorText(failed)}";
        return plan with { Failed = true, Message = message, Result = result.SetItem("msg", message) };
    }

    private static List<PackageSpec> Specs(PackageParams p) =>
        [.. p.Name.Select(n => PackageSpec.TryParse(n, out _)).OfType<PackageSpec>().DistinctBy(s => s.Name, StringComparer.Ordinal)];

    private static bool IsLatest(PackageState state) => state == PackageState.Latest;

    private static bool IsAbsent(PackageState state) => state is PackageState.Absent or PackageState.Removed;

    private static string Snake(PackageManager m) => ParameterSchema.SnakeCase(m.ToString());

    private static PackageManager? Manager(string probed) => probed switch
    {
        "apt" => PackageManager.Apt,
        "dnf" => PackageManager.Dnf,
        "yum" => PackageManager.Yum,
        _ => null,
    };

    private static (PackageManager? Manager, string? Problem) ResolveManager(PackageManager use, string probed, string? fact)
    {
        if (use != PackageManager.Auto)
        {
            return Manager(probed) == use ? (use, null) : (null, $"{PackageCommands.Program(use)} was not found on the host (use: {Snake(use)})");
        }

        if (!string.IsNullOrEmpty(fact))
        {
            return fact switch
            {
                "apt" => (PackageManager.Apt, null),
                "dnf" or "dnf5" => (PackageManager.Dnf, null),
                "yum" => (PackageManager.Yum, null),
                _ => (null, $"package manager '{fact}' (ansible_facts.pkg_mgr) is not supported; supported: apt, dnf, yum"),
            };
        }

        return Manager(probed) is { } m ? (m, null) : (null, "no supported package manager found (looked for dnf, yum, apt-get)");
    }

    internal static string? AnsibleFact(PlanContext context, string key) =>
        context.Variables.TryGetValue("ansible_facts", out var facts) ? facts switch
        {
            IReadOnlyDictionary<string, object?> d => d.GetValueOrDefault(key) as string,
            IDictionary<string, object?> d => d.TryGetValue(key, out var v) ? v as string : null,
            _ => null,
        }
        : null;

    private static PackageDecision Decide(PackageSpec spec, PackageState state, PackageManager m, string? current, PackageFacts facts, PackageUpgrades? upgrades)
    {
        var candidate = facts.Candidates.GetValueOrDefault(spec.Name);
        if (IsAbsent(state))
        {
            return current is not null && spec.Accepts(current, m)
                ? new PackageDecision(spec, ChangeAction.Delete, current, null)
                : new PackageDecision(spec, ChangeAction.None, current, current);
        }

        if (current is null)
        {
            var after = spec.Version ?? candidate ?? (m == PackageManager.Apt && facts.CandidatesKnown ? "(no candidate)" : "(latest available)");
            return new PackageDecision(spec, ChangeAction.Create, null, after.TrimEnd('*'));
        }

        if (IsLatest(state))
        {
            var newer = m == PackageManager.Apt ? candidate : upgrades?.Versions.GetValueOrDefault(spec.Name);
            return newer is not null && newer != current
                ? new PackageDecision(spec, ChangeAction.Modify, current, newer)
                : new PackageDecision(spec, ChangeAction.None, current, current);
        }

        return spec.Accepts(current, m)
            ? new PackageDecision(spec, ChangeAction.None, current, current)
            : new PackageDecision(spec, ChangeAction.Modify, current, spec.Version!.TrimEnd('*'));
    }

    /// <summary>
    /// apt's candidates show, before anything runs, a package or version that apt-get would not
    /// find. In check mode that fails the task with apt's own words (unless update_cache may
    /// still bring it); when applying, apt-get runs and fails with its own message.
    /// </summary>
    private static (List<string> Problems, List<string> Warnings) CheckAvailability(
        List<PackageDecision> decisions, PackageFacts facts, PlannedPackages planned, bool updateCache, string host)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        if (!facts.CandidatesKnown)
        {
            return (problems, warnings);
        }

        foreach (var d in decisions.Where(d => d.Action is ChangeAction.Create or ChangeAction.Modify && planned.Find(d.Spec.Name) is null))
        {
            string? problem = null;
            if (!facts.Candidates.ContainsKey(d.Spec.Name))
            {
                problem = $"{host}: No package matching '{d.Spec.Name}' is available (E: Unable to locate package {d.Spec.Name})";
            }
            else if (d.Spec.Version is not null && facts.Available.TryGetValue(d.Spec.Name, out var versions) && !versions.Any(v => d.Spec.Accepts(v, PackageManager.Apt)))
            {
                problem = $"{host}: E: Version '{d.Spec.Version}' for '{d.Spec.Name}' was not found";
            }
            else if (d.Spec.Version is null && facts.Candidates[d.Spec.Name] is null)
            {
                warnings.Add($"{d.Spec.Name} has no installation candidate of its own (a virtual package?); apt-get decides what provides it");
            }

            if (problem is not null)
            {
                (updateCache ? warnings : problems).Add(updateCache ? problem + "; update_cache may still bring it" : problem);
            }
        }

        return (problems, warnings);
    }

    private static void Simulate(HostFacts hostFacts, PackageQueryProbe probe, PackageFacts facts, PlannedPackages planned, List<PackageDecision> decisions)
    {
        foreach (var d in decisions.Where(d => d.Action != ChangeAction.None))
        {
            facts = facts.WithInstalled(d.Spec.Name, d.After);
            planned = planned.With(new PlannedPackage(d.Spec.Name, d.After is not null, d.After));
        }

        hostFacts.Simulate(probe, facts);
        hostFacts.Simulate(PlannedProbe, planned);
    }

    private static TaskPlan BuildPlan(PackageParams p, PackageManager m, List<PackageDecision> decisions, bool check)
    {
        var install = decisions.Where(d => d.Action == ChangeAction.Create || (d.Action == ChangeAction.Modify && !IsLatest(p.State))).ToList();
        var upgrade = decisions.Where(d => d.Action == ChangeAction.Modify && IsLatest(p.State)).ToList();
        var remove = decisions.Where(d => d.Action == ChangeAction.Delete).ToList();
        var steps = new List<RemoteStep>();
        var program = PackageCommands.Program(m);
        if (p.UpdateCache)
        {
            steps.Add(Step($"{program} {(m == PackageManager.Apt ? "update" : "makecache")} (update_cache)", PackageCommands.UpdateCache(m)));
        }

        if (m == PackageManager.Apt && install.Count + upgrade.Count > 0)
        {
            var all = install.Concat(upgrade).ToList();
            steps.Add(Step($"apt-get install {Names(all, m)}", PackageCommands.Install(m, all.Select(d => d.Spec.Argument(m)), p.InstallRecommends)));
        }
        else
        {
            if (install.Count > 0)
            {
                steps.Add(Step($"{program} install {Names(install, m)}", PackageCommands.Install(m, install.Select(d => d.Spec.Argument(m)), p.InstallRecommends)));
            }

            if (upgrade.Count > 0)
            {
                steps.Add(Step($"{program} upgrade {Names(upgrade, m)}", PackageCommands.Upgrade(m, upgrade.Select(d => d.Spec.Name), p.InstallRecommends)));
            }
        }

        if (remove.Count > 0)
        {
            steps.Add(Step($"{program} remove {Names(remove, m)}", PackageCommands.Remove(m, remove.Select(d => d.Spec.Name))));
        }

        var changes = decisions.Select(d => d.Change).ToImmutableArray();
        var result = ImmutableDictionary<string, object?>.Empty
            .Add("pkg_mgr", Snake(m))
            .Add("packages", decisions.ToDictionary(d => d.Spec.Name, d => (object?)d.After, StringComparer.Ordinal))
            .Add("installed", NameList(install.Where(d => d.Action == ChangeAction.Create)))
            .Add("upgraded", NameList(upgrade.Concat(install.Where(d => d.Action == ChangeAction.Modify))))
            .Add("removed", NameList(remove))
            .Add("cache_updated", false);
        var message = Summary(install, upgrade, remove, check);
        return new TaskPlan
        {
            Changes = changes,
            Steps = [.. steps],
            Result = result.Add("msg", message),
            Message = message,
            NeedsExecution = !check && steps.Count > 0,
        };
    }

    private static RemoteStep Step(string description, IReadOnlyList<string> argv) =>
        new(description, "LC_ALL=C; export LC_ALL\n" + Shell.Command(argv));

    private static string Names(IEnumerable<PackageDecision> decisions, PackageManager m) => string.Join(' ', decisions.Select(d => d.Spec.Argument(m)));

    private static List<object?> NameList(IEnumerable<PackageDecision> decisions) => [.. decisions.Select(d => (object?)d.Spec.Name)];

    private static List<object?> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (object?)l.TrimEnd('\r'))];

    private static string Summary(List<PackageDecision> install, List<PackageDecision> upgrade, List<PackageDecision> remove, bool check)
    {
        var parts = new List<string>();
        void Add(string verb, IEnumerable<PackageDecision> ds)
        {
            var list = ds.ToList();
            if (list.Count > 0)
            {
                parts.Add($"{(check ? "would " : "")}{verb} " + string.Join(", ", list.Select(d => d.After is null ? d.Spec.Name : $"{d.Spec.Name} {d.After}")));
            }
        }

        Add(check ? "install" : "installed", install.Where(d => d.Action == ChangeAction.Create));
        Add(check ? "upgrade" : "upgraded", upgrade.Concat(install.Where(d => d.Action == ChangeAction.Modify)));
        Add(check ? "remove" : "removed", remove);
        if (parts.Count == 0)
        {
            return "nothing to do: every package is in the requested state";
        }

        return string.Join("; ", parts);
    }

    /// <summary>The package manager's own words: apt's "E:" lines when there are any, else its stderr, else the end of its output.</summary>
    private static string ErrorText(StepResult r)
    {
        var errors = r.Stderr.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("Error: ", StringComparison.Ordinal)).ToList();
        if (errors.Count > 0)
        {
            return string.Join("; ", errors);
        }

        var text = r.Stderr.Trim().Length > 0 ? r.Stderr.Trim() : string.Join('\n', r.Stdout.Trim().Split('\n').TakeLast(5));
        return text.Length > 0 ? text : "no output";
    }
}

/// <summary>What planning decided for one named package.</summary>
internal sealed record PackageDecision(PackageSpec Spec, ChangeAction Action, string? Before, string? After)
{
    public ResourceChange Change => new(
        $"package {Spec.Name}",
        Action,
        Before,
        After,
        Action == ChangeAction.None ? null : $"- {Spec.Name} {Before ?? "(not installed)"}\n+ {Spec.Name} {After ?? "(not installed)"}");
}
