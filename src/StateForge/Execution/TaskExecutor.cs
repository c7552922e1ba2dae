using System.Collections.Immutable;
using System.Diagnostics;
using StateForge.Model;
using StateForge.Planning;
using StateForge.Templating;
using StateForge.Transport;
using StateForge.Validation;
using StateForge.Variables;

namespace StateForge.Execution;

/// <summary>Runs one task on one host: conditions, loop, render, bind, plan, apply, register, notify.</summary>
internal sealed class TaskExecutor(RunContext run)
{
    private static readonly ImmutableDictionary<string, object?> Empty = ImmutableDictionary<string, object?>.Empty;
    private readonly DeferredChanges deferred = new(run);

    public async Task RunAsync(TaskDefinition task, HostState host, Frame frame, bool handler, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        run.Observer.HostTaskStarted(host.Name, task.DisplayName);
        var noLog = frame.NoLog || task.NoLog;
        var scope = ScopeBuilder.For(run, host, frame, task);
        host.CurrentItems.Clear();
        TaskResult result;
        try
        {
            result = await ExecuteAsync(task, host, frame, scope, cancellationToken).ConfigureAwait(false);
        }
        catch (HostStoppedException)
        {
            return;
        }
        catch (HostUnreachableException e)
        {
            host.Unreachable = true;
            host.UnreachableReason = e.Reason;
            result = NewResult(task, host, ResultStatus.Unreachable) with { Message = e.Reason };
        }
        catch (TemplateException e)
        {
            result = NewResult(task, host, ResultStatus.Failed) with { Message = TemplateMessage(e, task) };
        }
        catch (RemoteScriptException e)
        {
            result = NewResult(task, host, ResultStatus.Failed) with { Message = e.Message };
        }

        result = result with { Duration = clock.Elapsed, Handler = handler, NoLog = noLog };
        if (result.Status == ResultStatus.Failed)
        {
            if (frame.IgnoreErrors || task.IgnoreErrors)
            {
                result = result with { IgnoredError = true };
            }
            else
            {
                host.Failed = true;
            }
        }

        result = noLog ? Censor(result) : result;
        if (host.CurrentItems.Count > 0 || host.Pending.Count > 0)
        {
            host.Pending.Add(new DeferredTask(result, [.. host.CurrentItems]));
            host.CurrentItems.Clear();
        }
        else
        {
            run.Report(result);
        }
    }

    /// <summary>Runs the host's batched steps and reports the waiting tasks (see <see cref="DeferredChanges"/>).</summary>
    public Task<bool> FlushAsync(HostState host, CancellationToken cancellationToken) =>
        deferred.FlushAsync(host, cancellationToken);

    private async Task<TaskResult> ExecuteAsync(TaskDefinition task, HostState host, Frame frame, VariableScope scope, CancellationToken cancellationToken)
    {
        if (task.Loop is null)
        {
            if (!Conditions(task, scope))
            {
                return NewResult(task, host, ResultStatus.Skipped) with { Message = "conditional result was False" };
            }

            var (res, registered) = await RunItemAsync(task, host, frame, scope, cancellationToken).ConfigureAwait(false);
            Register(task, host, registered);
            return res;
        }

        var items = run.Templates.Render(task.Loop, scope) switch
        {
            IList<object?> list => list,
            var other => throw new TemplateException($"loop must be a list, not {Describe(other)}"),
        };
        var itemResults = new List<TaskResult>();
        var registeredItems = new List<object?>();
        foreach (var item in items)
        {
            var itemScope = scope.With(new Dictionary<string, object?> { [task.LoopVar] = item, ["ansible_loop_var"] = task.LoopVar });
            var label = task.LoopLabel is null ? Label(item) : Convert.ToString(run.Templates.Render(task.LoopLabel, itemScope), System.Globalization.CultureInfo.InvariantCulture);
            if (!Conditions(task, itemScope))
            {
                itemResults.Add(NewResult(task, host, ResultStatus.Skipped) with { Item = label });
                registeredItems.Add(new Dictionary<string, object?> { ["skipped"] = true, ["changed"] = false, [task.LoopVar] = item });
                continue;
            }

            var (res, registered) = await RunItemAsync(task, host, frame, itemScope, cancellationToken).ConfigureAwait(false);
            registered[task.LoopVar] = item;
            registeredItems.Add(registered);
            itemResults.Add(res with { Item = label });
            if (res.Status is ResultStatus.Failed or ResultStatus.Unreachable)
            {
                break;
            }
        }

        var status = itemResults.Any(r => r.Status == ResultStatus.Unreachable) ? ResultStatus.Unreachable
            : itemResults.Any(r => r.Status == ResultStatus.Failed) ? ResultStatus.Failed
            : itemResults.Any(r => r.Status == ResultStatus.Changed) ? ResultStatus.Changed
            : itemResults.Count > 0 && itemResults.All(r => r.Status == ResultStatus.Skipped) ? ResultStatus.Skipped
            : ResultStatus.Ok;
        Register(task, host, new Dictionary<string, object?>
        {
            ["results"] = registeredItems,
            ["changed"] = status == ResultStatus.Changed,
            ["failed"] = status == ResultStatus.Failed,
            ["skipped"] = status == ResultStatus.Skipped,
            ["msg"] = status == ResultStatus.Failed ? itemResults.Last().Message : "All items completed",
        });
        return NewResult(task, host, status) with
        {
            Changes = [.. itemResults.SelectMany(r => r.Changes)],
            Message = itemResults.LastOrDefault(r => r.Status is ResultStatus.Failed or ResultStatus.Unreachable)?.Message,
            Warnings = [.. itemResults.SelectMany(r => r.Warnings)],
            Result = ImmutableDictionary<string, object?>.Empty.Add("results", registeredItems),
        };
    }

    private async Task<(TaskResult Result, Dictionary<string, object?> Registered)> RunItemAsync(
        TaskDefinition task, HostState host, Frame frame, VariableScope scope, CancellationToken cancellationToken)
    {
        var rendered = run.Templates.Render(task.Args.ToPlain(), scope) as IDictionary<string, object?> ?? new Dictionary<string, object?>();
        var errors = new List<ConversionError>();
        var parameters = ValueConverter.BindRecord(task.Module.ParametersType, rendered.AsReadOnly(), "", errors, lenient: false);
        var problems = errors.Select(e => e.Kind == ConversionErrorKind.Unknown ? $"unknown parameter '{e.Path}'" : $"{e.Path}: {e.Message}")
            .Concat(errors.Count == 0 ? task.Module.Validate(parameters!) : [])
            .ToList();
        if (problems.Count > 0)
        {
            var message = $"invalid arguments for '{task.ModuleName}': {string.Join("; ", problems)}";
            return (NewResult(task, host, ResultStatus.Failed) with { Message = message }, Failure(message));
        }

        var check = frame.CheckMode ?? run.Options.Check;
        if (task.CheckMode is { } taskCheck)
        {
            check = taskCheck;
        }

        var become = Become(task, frame, host);
        var attempts = task.Until is null ? 1 : (task.Retries ?? 3) + 1;
        TaskPlan plan = TaskPlan.Fail("not run");
        Dictionary<string, object?> registered = [];
        var executed = false;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                ForgetProbes(task, host, parameters!);
                await Task.Delay(TimeSpan.FromSeconds(task.Delay), cancellationToken).ConfigureAwait(false);
            }

            var deferrable = attempts == 1 && task.ChangedWhen is null && task.FailedWhen is null && !frame.IgnoreErrors && !task.IgnoreErrors;
            (plan, executed) = await PlanAndApplyAsync(task, host, parameters!, scope, check, become, deferrable, cancellationToken).ConfigureAwait(false);
            registered = Registered(plan);
            if (task.Until is null || (check && !executed && plan.NeedsExecution))
            {
                break;
            }

            if (run.Templates.EvaluateCondition(task.Until, WithResult(scope, task, registered)))
            {
                break;
            }

            if (attempt == attempts)
            {
                plan = plan with { Failed = true, Message = plan.Message ?? $"retries exhausted: '{task.Until}' still false after {attempts} attempts" };
                registered["failed"] = true;
            }

            registered["attempts"] = (long)attempt;
        }

        var changed = plan.Changed;
        var failed = plan.Failed;
        var evaluateResultConditions = !(check && plan.NeedsExecution && !executed);
        if (evaluateResultConditions && task.ChangedWhen is not null)
        {
            changed = run.Templates.EvaluateCondition(task.ChangedWhen, WithResult(scope, task, registered));
        }

        if (evaluateResultConditions && task.FailedWhen is not null)
        {
            failed = run.Templates.EvaluateCondition(task.FailedWhen, WithResult(scope, task, registered));
        }

        registered["changed"] = changed;
        registered["failed"] = failed;
        var status = failed ? ResultStatus.Failed : plan.Skipped ? ResultStatus.Skipped : changed ? ResultStatus.Changed : ResultStatus.Ok;
        if (changed && task.Notify.Length > 0 && !failed)
        {
            lock (host.Notified)
            {
                host.Notified.UnionWith(task.Notify);
            }
        }

        if (plan.Result.TryGetValue("ansible_facts", out var facts) && facts is IDictionary<string, object?> newFacts)
        {
            foreach (var (k, v) in newFacts)
            {
                host.RuntimeVars[k] = v;
            }
        }

        // The result carries its warnings; the renderer prints them with it (once, in order).
        var result = NewResult(task, host, status) with
        {
            Changes = changed || !plan.Changed ? plan.Changes : [.. plan.Changes.Select(c => c with { Action = ChangeAction.None })],
            Message = failed ? plan.Message ?? (plan.Failed ? "failed" : $"failed_when: {task.FailedWhen}") : plan.Message,
            Warnings = plan.Warnings,
            Result = plan.Result,
        };
        return (result, registered);
    }

    private async Task<(TaskPlan Plan, bool Executed)> PlanAndApplyAsync(
        TaskDefinition task, HostState host, object parameters, VariableScope scope, bool check, BecomeSpec become, bool deferrable, CancellationToken cancellationToken)
    {
        IHostConnection? connection = null;
        if (!task.Module.RunsOnController)
        {
            connection = await host.ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (host.FactsStale)
            {
                host.FactsStale = false;
                host.Facts.Forget("");
                await host.Facts.PrefetchAsync(ProbeCollector.Remaining(run, host), cancellationToken).ConfigureAwait(false);
            }
        }

        var context = new PlanContext
        {
            Host = host.Name,
            Facts = host.Facts,
            CheckMode = check,
            Variables = scope,
            Templates = run.Templates,
            SearchPaths = SearchPaths(task),
            Services = run.Services,
        };
        var planSpan = RunTrace.Begin(host.Name, $"plan {task.ModuleName} '{task.DisplayName}'");
        var plan = await task.Module.PlanAsync(parameters, context, cancellationToken).ConfigureAwait(false);
        planSpan.End();
        if (task.Module.RunsOnController && !check && !plan.Failed && (plan.Changed || plan.NeedsExecution))
        {
            return (await task.Module.ApplyAsync(parameters, plan, context, cancellationToken).ConfigureAwait(false), true);
        }

        if (check || plan.Failed || plan.Steps.Length == 0 || connection is null)
        {
            return (plan, false);
        }

        if (deferrable && !plan.NeedsExecution && run.Options.Batch)
        {
            // Nothing waits on this outcome: its steps join the host's next batch.
            host.CurrentItems.Add(new DeferredItem(task.Module, parameters, plan, become));
            return (plan, false);
        }

        if ((host.Pending.Count > 0 || host.CurrentItems.Count > 0) && !await FlushPendingFirstAsync(task, host, cancellationToken).ConfigureAwait(false))
        {
            throw new HostStoppedException();
        }

        var steps = plan.Steps.Select((s, i) => new ScriptStep("s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Script)).ToList();
        var results = await ScriptBatch.RunAsync(connection, become, steps, stopOnFailure: true, cancellationToken).ConfigureAwait(false);
        if (plan.NeedsExecution)
        {
            host.FactsStale = true;
        }

        var completed = task.Module.Complete(parameters, plan, results);
        if (completed.Failed)
        {
            // What the plan simulated never happened: later tasks (ignore_errors, handlers) read the host again.
            ForgetProbes(task, host, parameters);
        }

        return (completed, true);
    }

    private async Task<bool> FlushPendingFirstAsync(TaskDefinition task, HostState host, CancellationToken cancellationToken)
    {
        // Items an earlier loop iteration of this very task deferred run first; only a failure of theirs is reported.
        if (host.CurrentItems.Count > 0)
        {
            host.Pending.Add(new DeferredTask(NewResult(task, host, ResultStatus.Ok), [.. host.CurrentItems], Silent: true));
            host.CurrentItems.Clear();
        }

        return await FlushAsync(host, cancellationToken).ConfigureAwait(false);
    }

    private IReadOnlyList<string> SearchPaths(TaskDefinition task)
    {
        var paths = new List<string>(3);
        if (task.Role is { } role)
        {
            paths.Add(role.Path);
        }

        paths.Add(run.PlaybookDir);
        paths.Add(Directory.GetCurrentDirectory());
        return paths;
    }

    private void ForgetProbes(TaskDefinition task, HostState host, object parameters)
    {
        foreach (var probe in task.Module.Probes(parameters))
        {
            host.Facts.Forget(probe.Key);
        }
    }

    private BecomeSpec Become(TaskDefinition task, Frame frame, HostState host)
    {
        var enabled = task.Become ?? frame.Become ?? run.Play!.Become ?? (host.Host.Get("ansible_become") is { } b && Parsing.ScalarResolver.TryBool(b, out var hb) && hb);
        var user = task.BecomeUser ?? frame.BecomeUser ?? run.Play!.BecomeUser ?? host.Host.Get("ansible_become_user") ?? "root";
        return enabled ? new BecomeSpec(true, user, host.Host.Get("ansible_become_method") ?? "sudo", host.Host.Get("ansible_become_password")) : BecomeSpec.None;
    }

    private bool Conditions(TaskNode task, VariableScope scope) =>
        task.When.All(w => run.Templates.EvaluateCondition(w, scope));

    private static VariableScope WithResult(VariableScope scope, TaskDefinition task, Dictionary<string, object?> registered)
    {
        var top = new Dictionary<string, object?>(registered, StringComparer.Ordinal);
        if (task.Register is not null)
        {
            top[task.Register] = registered;
        }

        return scope.With(top);
    }

    private static void Register(TaskDefinition task, HostState host, Dictionary<string, object?> registered)
    {
        if (task.Register is not null)
        {
            host.RuntimeVars[task.Register] = registered;
        }
    }

    private static Dictionary<string, object?> Registered(TaskPlan plan)
    {
        var d = new Dictionary<string, object?>(plan.Result, StringComparer.Ordinal)
        {
            ["changed"] = plan.Changed,
            ["failed"] = plan.Failed,
        };
        if (plan.Message is not null)
        {
            d["msg"] = plan.Message;
        }

        if (plan.Skipped)
        {
            d["skipped"] = true;
        }

        return d;
    }

    private static Dictionary<string, object?> Failure(string message) => new() { ["failed"] = true, ["changed"] = false, ["msg"] = message };

    private static TaskResult NewResult(TaskDefinition task, HostState host, ResultStatus status) => new()
    {
        Host = host.Name,
        Task = task.DisplayName,
        Module = task.ModuleName,
        Status = status,
        Span = task.Span,
        Result = Empty,
    };

    private static string TemplateMessage(TemplateException e, TaskDefinition task) =>
        e.Variable is not null
            ? $"{task.Span}: undefined variable '{e.Variable}' in task '{task.DisplayName}'"
            : $"{task.Span}: template error in task '{task.DisplayName}': {e.Message}";

    private static string Label(object? item) => item switch
    {
        null => "",
        string s => s,
        IDictionary<string, object?> or IList<object?> => System.Text.Json.JsonSerializer.Serialize(item),
        _ => Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string => "a string",
        IDictionary<string, object?> => "a mapping",
        _ => value.GetType().Name,
    };

    private static TaskResult Censor(TaskResult r) => r with
    {
        Changes = [.. r.Changes.Select(c => c with { Resource = "(hidden: no_log)", Before = null, After = null, Diff = c.Diff is null ? null : "(diff hidden: no_log)" })],
        Message = r.Status == ResultStatus.Failed ? "(output hidden: no_log)" : null,
        Item = r.Item is null ? null : "(hidden)",
        Result = ImmutableDictionary<string, object?>.Empty.Add("censored", "the output has been hidden due to the fact that 'no_log: true' was specified for this result"),
    };
}
