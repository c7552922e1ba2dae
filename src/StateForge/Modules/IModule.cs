using System.Reflection;
using StateForge.Facts;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Modules;

/// <summary>The unit of extension: turns desired state and facts into a plan, and finishes it once its steps ran.</summary>
public interface IModule
{
    ModuleAttribute Info { get; }

    Type ParametersType { get; }

    /// <summary>Runs on the controller with no connection to the host (debug, set_fact, cluster modules).</summary>
    bool RunsOnController { get; }

    /// <summary>YAML examples shown by `stateforge doc`.</summary>
    string Examples { get; }

    IEnumerable<FactProbe> Probes(object parameters);

    IEnumerable<string> Validate(object parameters);

    ValueTask<TaskPlan> PlanAsync(object parameters, PlanContext context, CancellationToken cancellationToken);

    TaskPlan Complete(object parameters, TaskPlan plan, IReadOnlyList<StepResult> results);

    /// <summary>
    /// Carries out a controller module's plan (an API call, an HTTP request) when not in check
    /// mode. Host modules change hosts through their plan's steps instead.
    /// </summary>
    ValueTask<TaskPlan> ApplyAsync(object parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken);
}

/// <summary>Base of every module: typed parameters, sensible defaults for the optional parts.</summary>
public abstract class Module<TParams> : IModule
    where TParams : class, new()
{
    protected Module() =>
        Info = GetType().GetCustomAttribute<ModuleAttribute>() ?? throw new InvalidOperationException($"{GetType().Name} lacks [Module]");

    public ModuleAttribute Info { get; }

    public Type ParametersType => typeof(TParams);

    public virtual bool RunsOnController => false;

    public abstract string Examples { get; }

    public IEnumerable<FactProbe> Probes(object parameters) => Probes((TParams)parameters);

    public IEnumerable<string> Validate(object parameters) => Validate((TParams)parameters);

    public ValueTask<TaskPlan> PlanAsync(object parameters, PlanContext context, CancellationToken cancellationToken) =>
        PlanAsync((TParams)parameters, context, cancellationToken);

    public TaskPlan Complete(object parameters, TaskPlan plan, IReadOnlyList<StepResult> results) =>
        Complete((TParams)parameters, plan, results);

    public ValueTask<TaskPlan> ApplyAsync(object parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken) =>
        ApplyAsync((TParams)parameters, plan, context, cancellationToken);

    /// <summary>The facts this task needs; the engine fetches all of a play's in one batch.</summary>
    protected virtual IEnumerable<FactProbe> Probes(TParams parameters) => [];

    /// <summary>Checks across parameters that attributes cannot say; each string is one error.</summary>
    protected virtual IEnumerable<string> Validate(TParams parameters) => [];

    protected abstract ValueTask<TaskPlan> PlanAsync(TParams parameters, PlanContext context, CancellationToken cancellationToken);

    /// <summary>Carries out the plan of a module that runs on the controller; nothing to do by default.</summary>
    protected virtual ValueTask<TaskPlan> ApplyAsync(TParams parameters, TaskPlan plan, PlanContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(plan);

    /// <summary>Turns step results into the task's outcome; by default the first failed step fails the task.</summary>
    protected virtual TaskPlan Complete(TParams parameters, TaskPlan plan, IReadOnlyList<StepResult> results)
    {
        var failed = results.FirstOrDefault(r => !r.Succeeded);
        if (failed is null)
        {
            return plan;
        }

        var index = results.ToList().IndexOf(failed);
        var step = index < plan.Steps.Length ? plan.Steps[index].Description : failed.Id;
        var detail = (failed.Stderr.Trim().Length > 0 ? failed.Stderr : failed.Stdout).Trim();
        return plan with { Failed = true, Message = $"{step} failed (rc {failed.ExitCode}): {detail}" };
    }
}
