using System.Collections.Immutable;
using System.Text.RegularExpressions;
using StateForge.Planning;

namespace StateForge.Modules.Controller;

public sealed record SetFactParams
{
    /// <summary>Every key of the task other than `cacheable` (the binder's free-form dictionary).</summary>
    [FreeForm]
    [Param("The variables to set, as key: value pairs given directly under set_fact; values are rendered before they are set.")]
    public IReadOnlyDictionary<string, object?> Values { get; init; } = ImmutableDictionary<string, object?>.Empty;

    [Param("Also keep the facts in the host's fact cache, so later plays (and `ansible_facts`) see them.")]
    public bool Cacheable { get; init; }
}

[Module("set_fact", "ansible.builtin.set_fact", Description = "Sets host variables for the rest of the run from values computed on the controller.")]
public sealed partial class SetFactModule : Module<SetFactParams>
{
    public override bool RunsOnController => true;

    public override string Examples => """
        - name: Derive values once
          set_fact:
            app_port: "{{ app_base_port | int + 1 }}"
            app_hosts: "{{ groups['app'] | map('extract', hostvars, 'ansible_host') | list }}"

        - name: Remember for later plays
          set_fact:
            deployed_version: "{{ release.version }}"
            cacheable: true
        """;

    protected override IEnumerable<string> Validate(SetFactParams parameters)
    {
        if (parameters.Values.Count == 0)
        {
            yield return "No key/value pairs provided, at least one is required for this action to succeed";
        }

        foreach (var name in parameters.Values.Keys.Where(k => !Identifier().IsMatch(k)))
        {
            yield return $"The variable name '{name}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.";
        }
    }

    protected override ValueTask<TaskPlan> PlanAsync(SetFactParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        var facts = parameters.Values.ToImmutableDictionary(StringComparer.Ordinal);
        var result = ImmutableDictionary<string, object?>.Empty
            .Add("ansible_facts", facts)
            .Add("_ansible_facts_cacheable", parameters.Cacheable);
        return ValueTask.FromResult(TaskPlan.Ok(result));
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
