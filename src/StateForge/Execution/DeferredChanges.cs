using StateForge.Transport;

namespace StateForge.Execution;

/// <summary>
/// A host's changes whose tasks need nothing of their outcome, batched: their steps run as one
/// remote command per become user when something needs the outcome (a later task's facts, a
/// handler, the end of the play), and the waiting tasks are reported then, in order.
/// </summary>
internal sealed class DeferredChanges(RunContext run)
{
    /// <summary>
    /// Runs the host's batched steps — as few remote commands as the become users allow — and
    /// reports the waiting tasks in order. A failed step fails its task; the tasks after it never
    /// ran and are not reported. Returns false when the host stopped.
    /// </summary>
    public async Task<bool> FlushAsync(HostState host, CancellationToken cancellationToken)
    {
        if (host.Pending.Count == 0)
        {
            return !host.Failed && !host.Unreachable;
        }

        var entries = host.Pending.ToList();
        host.Pending.Clear();
        var items = entries.SelectMany(e => e.Items).ToList();
        var results = new List<StepResult>();
        string? unreachable = null;
        CommandInterruptedException? interrupted = null;
        try
        {
            var connection = items.Count > 0 ? await host.ConnectAsync(cancellationToken).ConfigureAwait(false) : null;
            foreach (var segment in Segments(items))
            {
                var steps = segment.SelectMany(i => i.Plan.Steps)
                    .Select((s, n) => new ScriptStep("s" + (results.Count + n).ToString(System.Globalization.CultureInfo.InvariantCulture), s.Script))
                    .ToList();
                var ran = await ScriptBatch.RunAsync(connection!, segment[0].Become, steps, stopOnFailure: true, cancellationToken).ConfigureAwait(false);
                results.AddRange(ran);
                if (ran.Count < steps.Count || ran.Any(r => !r.Succeeded))
                {
                    break;
                }
            }
        }
        catch (HostUnreachableException e)
        {
            // The tasks whose steps finished before the connection was lost are reported as done;
            // the task whose step was running is the one that is UNREACHABLE.
            results.AddRange(e.CompletedSteps);
            host.Unreachable = true;
            host.UnreachableReason = e.Reason;
            unreachable = e.Reason;
        }
        catch (RemoteScriptException e)
        {
            unreachable = null;
            results.Add(new StepResult("script", e.Result.ExitCode, e.Result.Stdout, e.Result.Stderr));
        }
        catch (CommandInterruptedException e)
        {
            // Ctrl-C: the tasks whose steps finished are reported (the partial recap must show
            // what changed); the rest were abandoned and are not.
            results.AddRange(e.CompletedSteps);
            interrupted = e;
        }

        var offset = 0;
        foreach (var entry in entries)
        {
            var result = entry.Result;
            foreach (var item in entry.Items)
            {
                var count = item.Plan.Steps.Length;
                var slice = results.Skip(offset).Take(count).ToList();
                offset += count;
                if (interrupted is not null && slice.Count < count)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(interrupted);
                }

                if (unreachable is not null && (slice.Count < count || slice.Any(r => !r.Succeeded)))
                {
                    run.Report(result with { Status = ResultStatus.Unreachable, Message = unreachable });
                    return false;
                }

                var completed = item.Module.Complete(item.Parameters, item.Plan, slice);
                if (slice.Count < count && !completed.Failed)
                {
                    completed = completed with { Failed = true, Message = "the batch stopped before this step ran" };
                }

                if (completed.Failed)
                {
                    host.Failed = true;
                    run.Report(result with { Status = ResultStatus.Failed, Message = completed.Message });
                    return false;
                }
            }

            if (result.Status == ResultStatus.Failed && !result.IgnoredError)
            {
                host.Failed = true;
            }

            if (!entry.Silent)
            {
                run.Report(result);
            }
        }

        if (interrupted is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(interrupted);
        }

        return !host.Failed && !host.Unreachable;
    }

    private static IEnumerable<List<DeferredItem>> Segments(List<DeferredItem> items)
    {
        var current = new List<DeferredItem>();
        foreach (var item in items.Where(i => i.Plan.Steps.Length > 0))
        {
            if (current.Count > 0 && current[0].Become != item.Become)
            {
                yield return current;
                current = [];
            }

            current.Add(item);
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }
}
