using System.Collections.Immutable;
using System.Globalization;
using StateForge.Planning;

namespace StateForge.Modules.Controller;

public sealed record FailParams
{
    [Param("The failure message; any value. Defaults to 'Failed as requested from task'.")]
    public object? Msg { get; init; } = "Failed as requested from task";
}

[Module("fail", "ansible.builtin.fail", Description = "Fails the task with a message, usually under a `when:` condition.")]
public sealed class FailModule : Module<FailParams>
{
    public override bool RunsOnController => true;

    public override string Examples => """
        - name: Refuse unsupported systems
          fail:
            msg: "{{ ansible_facts.distribution }} is not supported"
          when: ansible_facts.os_family not in ['Debian', 'RedHat']
        """;

    protected override ValueTask<TaskPlan> PlanAsync(FailParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        var message = parameters.Msg as string ?? Convert.ToString(parameters.Msg, CultureInfo.InvariantCulture) ?? "";
        return ValueTask.FromResult(new TaskPlan
        {
            Failed = true,
            Message = message,
            Result = ImmutableDictionary<string, object?>.Empty.Add("msg", parameters.Msg),
        });
    }
}
