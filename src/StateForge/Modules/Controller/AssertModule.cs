using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using StateForge.Planning;
using StateForge.Templating;

namespace StateForge.Modules.Controller;

public sealed record AssertParams
{
    [Param("A condition or a list of conditions, written like `when:` (bare expressions, no braces); all must hold.", Required = true)]
    public object? That { get; init; }

    [Param("The message when an assertion fails (a string or a list).", Aliases = ["msg"])]
    public object? FailMsg { get; init; }

    [Param("The message when every assertion holds.")]
    public object? SuccessMsg { get; init; }

    [Param("Record less output on success.")]
    public bool Quiet { get; init; }
}

[Module("assert", "ansible.builtin.assert", Description = "Checks that conditions hold and fails the task, naming the first that does not.")]
public sealed class AssertModule : Module<AssertParams>
{
    public override bool RunsOnController => true;

    public override string Examples => """
        - name: The inventory gives what the role needs
          assert:
            that:
              - app_port is defined
              - app_port | int > 1024
              - app_env in ['dev', 'prod']
            fail_msg: "app_port must be set above 1024 and app_env must be dev or prod"
            success_msg: inventory is complete
        """;

    protected override IEnumerable<string> Validate(AssertParams parameters)
    {
        if (Conditions(parameters.That).Count == 0)
        {
            yield return "that must be a condition or a non-empty list of conditions";
        }
    }

    protected override ValueTask<TaskPlan> PlanAsync(AssertParams parameters, PlanContext context, CancellationToken cancellationToken)
    {
        foreach (var condition in Conditions(parameters.That))
        {
            bool holds;
            try
            {
                holds = condition switch
                {
                    bool b => b,
                    string s => context.Templates.EvaluateCondition(s, context.Variables),
                    var other => context.Templates.EvaluateCondition(Convert.ToString(other, CultureInfo.InvariantCulture) ?? "", context.Variables),
                };
            }
            catch (TemplateException e)
            {
                return Done(TaskPlan.Fail($"The conditional check '{condition}' failed. The error was: {e.Message}"));
            }

            if (!holds)
            {
                var message = Text(parameters.FailMsg) ?? "Assertion failed";
                return Done(new TaskPlan
                {
                    Failed = true,
                    Message = message,
                    Result = ImmutableDictionary<string, object?>.Empty
                        .Add("assertion", condition)
                        .Add("evaluated_to", false)
                        .Add("msg", message),
                });
            }
        }

        var success = Text(parameters.SuccessMsg) ?? "All assertions passed";
        return Done(TaskPlan.Ok(ImmutableDictionary<string, object?>.Empty.Add("msg", success)));
    }

    private static ValueTask<TaskPlan> Done(TaskPlan plan) => ValueTask.FromResult(plan);

    // `that` arrives rendered: a string, a list of strings, or a boolean a `{{ }}` produced.
    private static List<object> Conditions(object? that) => that switch
    {
        null => [],
        string s => s.Trim().Length == 0 ? [] : [s],
        bool b => [b],
        IEnumerable e => e.Cast<object?>().Where(x => x is not null).Select(x => x!).ToList(),
        var other => [other],
    };

    private static string? Text(object? message) => message switch
    {
        null => null,
        string s => s,
        IEnumerable e => string.Join("\n", e.Cast<object?>().Select(x => Convert.ToString(x, CultureInfo.InvariantCulture))),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };
}
