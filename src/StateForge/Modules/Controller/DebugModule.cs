using System.Collections.Immutable;
using StateForge.Planning;
using StateForge.Templating;

namespace StateForge.Modules.Controller;

[MutuallyExclusive("msg", "var")]
public sealed record DebugParams
{
    [Param("The message to print; any value (a string, a list, a dictionary). Defaults to 'Hello world!'.")]
    public object? Msg { get; init; } = "Hello world!";

    [Param("A variable name or expression (no braces) whose value to print under its name, e.g. `ansible_facts.os_family`.")]
    public string? Var { get; init; }

    [Param("The verbosity level from which the message is meant to be shown (accepted for compatibility; messages are always recorded).")]
    public int Verbosity { get; init; }
}

[Module("debug", "ansible.builtin.debug", Description = "Prints a message or a variable's value while a play runs, without changing anything.")]
public sealed class DebugModule : Module<DebugParams>
{
    /// <summary>What Ansible prints for a `var` that is not defined.</summary>
    public const string NotDefined = "VARIABLE IS NOT DEFINED!";

    public override bool RunsOnController => true;

    public override string Examples => """
        - name: Say where we are
          debug:
            msg: "{{ inventory_hostname }} runs {{ ansible_facts.distribution }} {{ ansible_facts.distribution_version }}"

        - name: Show a registered result
          debug:
            var: result.stdout_lines

        - name: Only with -vv
          debug:
            msg: "{{ hostvars[inventory_hostname] }}"
            verbosity: 2
        """;

    protected override IEnumerable<string> Validate(DebugParams parameters)
    {
        if (parameters.Verbosity < 0)
        {
            yield return "verbosity must be 0 or more";
        }
    }

    protected override ValueTask<TaskPlan> PlanAsync(DebugParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        if (parameters.Var is not { } name)
        {
            return ValueTask.FromResult(TaskPlan.Ok(ImmutableDictionary<string, object?>.Empty.Add("msg", parameters.Msg)));
        }

        object? value;
        try
        {
            value = context.Templates.Evaluate(name, context.Variables);
        }
        catch (TemplateException e) when (e.Variable is not null)
        {
            value = NotDefined;
        }
        catch (TemplateException e)
        {
            return ValueTask.FromResult(TaskPlan.Fail($"debug: cannot evaluate '{name}': {e.Message}"));
        }

        return ValueTask.FromResult(TaskPlan.Ok(ImmutableDictionary<string, object?>.Empty.Add(name, value)));
    }
}
