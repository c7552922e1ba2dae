using System.Collections.Immutable;
using System.Text.RegularExpressions;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules.Host;

[Module("seboolean", "ansible.posix.seboolean", Description =
    "Sets an SELinux boolean with setsebool, comparing BOTH its runtime value (getsebool) and, with persistent: true, " +
    "the value kept in the policy store (semanage boolean -l): either one differing is drift, so a boolean switched off " +
    "by hand is repaired even when the persisted value is right (unlike Ansible's seboolean). setsebool without -P fixes " +
    "a runtime-only difference; -P when the store differs. With SELinux disabled (getsebool says so, or is missing): " +
    "persistent: true manages the store alone, with a warning, and reports the runtime value as not applicable; " +
    "persistent: false fails, naming the host, as does a missing policy store (semanage missing or failing) — both " +
    "are skipped instead with ignore_selinux_state: true. An undefined boolean always fails.")]
public sealed partial class SeBooleanModule : Module<SeBooleanParams>
{
    private const string NotApplicable = "SELinux is disabled: runtime value not applicable";

    public override string Examples => """
        - name: Let containers use NFS volumes, now and after reboots
          seboolean:
            name: virt_use_nfs
            state: true
            persistent: true

        - name: Only while this boot lasts
          ansible.posix.seboolean:
            name: httpd_can_network_connect
            state: true

        - name: Hosts without SELinux skip it
          seboolean:
            name: virt_sandbox_use_nfs
            state: true
            persistent: true
            ignore_selinux_state: true
        """;

    [GeneratedRegex("^[A-Za-z0-9_]{1,128}$")]
    private static partial Regex NamePattern();

    protected override IEnumerable<string> Validate(SeBooleanParams parameters)
    {
        if (!NamePattern().IsMatch(parameters.Name))
        {
            yield return $"name: '{PackageSpec.Printable(parameters.Name)}' is not an SELinux boolean name (letters, digits and _ only)";
        }
    }

    /// <summary>Nothing for arguments that do not validate: no value of theirs reaches a host.</summary>
    protected override IEnumerable<FactProbe> Probes(SeBooleanParams parameters) =>
        Validate(parameters).Any() ? [] : [new SeBooleanProbe(parameters.Name, parameters.Persistent)];

    protected override async ValueTask<TaskPlan> PlanAsync(SeBooleanParams p, PlanContext context, CancellationToken cancellationToken)
    {
        var probe = new SeBooleanProbe(p.Name, p.Persistent);
        var s = await context.Facts.GetAsync<SeBooleanState>(probe, cancellationToken).ConfigureAwait(false);
        var host = context.Host;
        if (!s.SelinuxEnabled && !p.Persistent)
        {
            return Refuse(p, $"{host}: {s.SelinuxProblem}: the runtime value of boolean '{p.Name}' cannot be set " +
                             "(persistent: true manages the policy store; ignore_selinux_state: true skips this task)");
        }

        if (s.SelinuxEnabled && s.Runtime is null)
        {
            return TaskPlan.Fail($"{host}: SELinux boolean '{p.Name}' is not defined ({s.RuntimeError})");
        }

        if (p.Persistent && s.StoreProblem is { } storeProblem)
        {
            return s.SelinuxEnabled
                ? TaskPlan.Fail($"{host}: cannot read the persisted value of SELinux boolean '{p.Name}': {storeProblem}")
                : Refuse(p, $"{host}: {s.SelinuxProblem} and there is no SELinux policy store to manage boolean '{p.Name}' ({storeProblem})");
        }

        if (p.Persistent && s.Persisted is null)
        {
            return TaskPlan.Fail($"{host}: SELinux boolean '{p.Name}' is not defined in the policy store (semanage boolean -l does not list it)");
        }

        return Plan(p, s, context, probe);
    }

    private static TaskPlan Plan(SeBooleanParams p, SeBooleanState s, PlanContext context, SeBooleanProbe probe)
    {
        var changes = new List<ResourceChange>();
        var runtimeDiffers = s.SelinuxEnabled && s.Runtime != p.State;
        var persistedDiffers = p.Persistent && s.Persisted != p.State;
        changes.Add(s.SelinuxEnabled
            ? Change($"seboolean {p.Name} (runtime)", s.Runtime, p.State)
            : ResourceChange.NoChange($"seboolean {p.Name} (runtime: {NotApplicable})"));
        if (p.Persistent)
        {
            changes.Add(Change($"seboolean {p.Name} (persistent)", s.Persisted, p.State));
        }

        var steps = ImmutableArray<RemoteStep>.Empty;
        if (persistedDiffers || runtimeDiffers)
        {
            // -P writes the store (and the runtime value when SELinux is on): only when the store differs, it is slow.
            var argv = persistedDiffers ? new[] { "setsebool", "-P", p.Name, OnOff(p.State) } : ["setsebool", p.Name, OnOff(p.State)];
            steps = [new RemoteStep(string.Join(' ', argv), Shell.Command(argv))];
        }

        var warnings = !s.SelinuxEnabled
            ? ImmutableArray.Create($"{s.SelinuxProblem} on {context.Host}: only the persisted value of '{p.Name}' is managed; it applies once SELinux is enabled")
            : [];
        context.Facts.Simulate(probe, s with
        {
            Runtime = s.SelinuxEnabled ? p.State : s.Runtime,
            Persisted = p.Persistent ? p.State : s.Persisted,
        });
        var changed = persistedDiffers || runtimeDiffers;
        var verb = context.CheckMode ? "would set" : "set";
        var message = changed
            ? $"{verb} {p.Name} to {OnOff(p.State)}{(persistedDiffers ? " (persistent)" : " (runtime only)")}"
            : $"{p.Name} is {OnOff(p.State)}";
        var result = ImmutableDictionary<string, object?>.Empty
            .Add("name", p.Name)
            .Add("state", p.State)
            .Add("persistent", p.Persistent)
            .Add("selinux", s.SelinuxEnabled ? "enabled" : "disabled")
            .Add("runtime", s.SelinuxEnabled ? p.State : NotApplicable)
            .Add("persisted", p.Persistent ? p.State : s.Persisted)
            .Add("msg", message);
        return new TaskPlan { Changes = [.. changes], Steps = steps, Warnings = warnings, Result = result, Message = message };
    }

    /// <summary>A failure naming the host, or a skip when ignore_selinux_state says so.</summary>
    private static TaskPlan Refuse(SeBooleanParams p, string message) => p.IgnoreSelinuxState
        ? new TaskPlan { Skipped = true, Message = message + " — skipped (ignore_selinux_state)", Result = ImmutableDictionary<string, object?>.Empty.Add("msg", message) }
        : TaskPlan.Fail(message);

    private static ResourceChange Change(string resource, bool? before, bool after) => before == after
        ? ResourceChange.NoChange(resource)
        : new ResourceChange(resource, ChangeAction.Modify, before is { } b ? OnOff(b) : null, OnOff(after), $"- {OnOff(before)}\n+ {OnOff(after)}");

    private static string OnOff(bool? value) => value switch { true => "on", false => "off", null => "(unknown)" };
}
