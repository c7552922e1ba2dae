using System.Collections.Immutable;
using StateForge.Model;
using StateForge.Variables;

namespace StateForge.Execution;

/// <summary>
/// Builds the variables a task sees on a host, with Ansible's precedence (lowest last):
/// extra vars, role params, registered and set_fact values, task/block/include vars, role vars,
/// vars_files, play vars, facts, inventory host and group vars, role defaults.
/// </summary>
internal static class ScopeBuilder
{
    public static VariableScope For(RunContext run, HostState host, Frame frame, TaskNode? task)
    {
        var play = run.Play!;
        var layers = new List<IReadOnlyDictionary<string, object?>>(12)
        {
            run.Options.ExtraVars,
            Magic(run, host, task),
        };
        if (task?.Role is { } role)
        {
            layers.Add(role.Params);
        }

        layers.Add(host.RuntimeVars);
        if (task is not null && task.Vars.Count > 0)
        {
            layers.Add(task.Vars);
        }

        layers.AddRange(frame.VarLayers);
        if (task?.Role is { } r)
        {
            layers.Add(r.Vars);
        }

        layers.Add(play.VarsFiles);
        layers.Add(play.Vars);
        layers.Add(FactVars(host));
        layers.Add(host.Host.Vars);
        layers.Add(play.RoleDefaults);
        return new VariableScope(layers);
    }

    /// <summary>What `hostvars[name]` shows: a host's variables outside any task.</summary>
    public static VariableScope HostVars(RunContext run, HostState host) =>
        new([host.RuntimeVars, run.Play?.VarsFiles ?? ImmutableDictionary<string, object?>.Empty, run.Play?.Vars ?? ImmutableDictionary<string, object?>.Empty, FactVars(host), host.Host.Vars]);

    private static Dictionary<string, object?> FactVars(HostState host)
    {
        var facts = new Dictionary<string, object?>(host.GatheredFacts.Count * 2 + 1, StringComparer.Ordinal)
        {
            ["ansible_facts"] = host.GatheredFacts,
        };
        foreach (var (k, v) in host.GatheredFacts)
        {
            facts["ansible_" + k] = v;
        }

        return facts;
    }

    private static Dictionary<string, object?> Magic(RunContext run, HostState host, TaskNode? task)
    {
        var magic = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["inventory_hostname"] = host.Name,
            ["group_names"] = run.Inventory.GroupNamesOf(host.Name).Cast<object?>().ToList(),
            ["groups"] = run.GroupsVariable,
            ["hostvars"] = new LazyDictionary(run.HostNames, name =>
                run.Inventory.FindHost(name) is { } h ? HostVars(run, run.StateOf(h)) : null),
            ["playbook_dir"] = Path.GetFullPath(run.PlaybookDir),
            ["ansible_check_mode"] = run.Options.Check,
            ["ansible_play_hosts"] = run.PlayHosts.Cast<object?>().ToList(),
            ["ansible_play_batch"] = run.PlayHosts.Cast<object?>().ToList(),
        };
        if (task?.Role is { } role)
        {
            magic["role_name"] = role.Name;
            magic["role_path"] = Path.GetFullPath(role.Path);
        }

        return magic;
    }
}
