using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Facts;
using StateForge.Model;
using StateForge.Templating;
using StateForge.Transport;

namespace StateForge.Execution;

/// <summary>
/// Runs one play: gathers each host's facts in one batch, then walks the tasks (linear: each task
/// on every host before the next; free: each host at its own pace), then the notified handlers.
/// </summary>
internal sealed class PlayRunner(RunContext run)
{
    private readonly TaskExecutor executor = new(run);

    public async Task RunAsync(Play play, CancellationToken cancellationToken)
    {
        EnsureThreads(run.Options.Forks);
        RunTrace.Mark("", $"play '{play.Name}' starts");
        run.Play = play;
        run.PlayEnded = false;
        var matched = run.Inventory.Match(play.Hosts, play.Span, new DiagnosticBag());
        if (run.Options.Limit is { } limit)
        {
            var allowed = run.Inventory.Match(limit, SourceSpan.None, new DiagnosticBag()).Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
            matched = matched.Where(h => allowed.Contains(h.Name)).ToList();
        }

        var hosts = matched.Select(run.StateOf).Where(h => !h.Unreachable).ToList();
        foreach (var h in hosts)
        {
            h.Failed = false;
            h.Ended = false;
        }

        run.PlayHosts = hosts.Select(h => h.Name).ToList();
        run.Observer.PlayStarted(play, run.PlayHosts);
        if (hosts.Count == 0)
        {
            run.Observer.Warning(null, $"no hosts matched '{play.Hosts}'{(run.Options.Limit is null ? "" : $" with limit '{run.Options.Limit}'")}");
            return;
        }

        var root = Frame.Root with { Tags = play.Tags.ToImmutableHashSet(), NoLog = false };
        await GatherAsync(play, hosts, cancellationToken).ConfigureAwait(false);
        if (play.Strategy == "free")
        {
            await Task.WhenAll(hosts.Select(async h =>
            {
                await RunNodesAsync(play.Tasks, [h], root, cancellationToken).ConfigureAwait(false);
                await RunHandlersAsync([h], cancellationToken).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
        else
        {
            await RunNodesAsync(play.Tasks, hosts, root, cancellationToken).ConfigureAwait(false);
            await RunHandlersAsync(hosts, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs every host's batched steps so failures are known (before a rescue, a handler, a meta, the end).</summary>
    private Task FlushAsync(IEnumerable<HostState> hosts, CancellationToken cancellationToken) =>
        Task.WhenAll(hosts.Where(h => h.Pending.Count > 0).Select(async h =>
        {
            await run.Forks.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await executor.FlushAsync(h, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                run.Forks.Release();
            }
        }));

    private async Task GatherAsync(Play play, List<HostState> hosts, CancellationToken cancellationToken)
    {
        var needsHost = PlaybookDefinitions(play).Any(t => !t.Module.RunsOnController);
        if (!play.GatherFacts && !needsHost)
        {
            return;
        }

        if (play.GatherFacts)
        {
            run.Observer.TaskStarted("Gathering Facts", handler: false);
        }

        await ForEachHostAsync(hosts, async host =>
        {
            using var span = RunTrace.Begin(host.Name, "gather (connect + facts)");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            host.FactsBecome = play.Become == true ? new BecomeSpec(true, play.BecomeUser ?? "root") : BecomeSpec.None;

            // The SSH handshake and login (the longest wait) go on while the probes are collected.
            var connecting = host.ConnectAsync(cancellationToken);
            try
            {
                var probes = new List<FactProbe>();
                var lockProbe = !run.Options.Check && needsHost && !host.HoldsLock ? new HostLockProbe(run.RunId, run.Holder) : null;
                if (lockProbe is not null)
                {
                    probes.Add(lockProbe);
                }

                var system = new SystemFactsProbe();
                if (play.GatherFacts)
                {
                    probes.Add(system);
                }

                probes.AddRange(ProbeCollector.ForPlay(run, host));
                await connecting.ConfigureAwait(false);
                await host.Facts.PrefetchAsync(probes, cancellationToken).ConfigureAwait(false);
                if (lockProbe is not null && !await LockedAsync(host, lockProbe, play, clock, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                if (play.GatherFacts)
                {
                    foreach (var (k, v) in await host.Facts.GetAsync<Dictionary<string, object?>>(system, cancellationToken).ConfigureAwait(false))
                    {
                        host.GatheredFacts[k] = v;
                    }

                    // Tasks whose arguments needed the facts just gathered: their facts in a second batch.
                    await host.Facts.PrefetchAsync(ProbeCollector.ForPlay(run, host), cancellationToken).ConfigureAwait(false);
                    run.Report(new TaskResult { Host = host.Name, Task = "Gathering Facts", Module = "gather_facts", Status = ResultStatus.Ok, Span = play.Span, Duration = clock.Elapsed });
                }
            }
            catch (HostUnreachableException e)
            {
                host.Unreachable = true;
                host.UnreachableReason = e.Reason;
                run.Report(new TaskResult { Host = host.Name, Task = "Gathering Facts", Module = "gather_facts", Status = ResultStatus.Unreachable, Message = e.Reason, Span = play.Span, Duration = clock.Elapsed });
            }
            catch (RemoteScriptException e)
            {
                host.Failed = true;
                run.Report(new TaskResult { Host = host.Name, Task = "Gathering Facts", Module = "gather_facts", Status = ResultStatus.Failed, Message = e.Message, Span = play.Span, Duration = clock.Elapsed });
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the lock step's answer: false (and the host failed) when another run holds it.</summary>
    private async Task<bool> LockedAsync(HostState host, HostLockProbe probe, Play play, System.Diagnostics.Stopwatch clock, CancellationToken cancellationToken)
    {
        var state = await host.Facts.GetAsync<HostLockState>(probe, cancellationToken).ConfigureAwait(false);
        if (!state.Acquired && run.Options.LockTimeout > TimeSpan.Zero)
        {
            state = await WaitForLockAsync(host, probe, state, clock, cancellationToken).ConfigureAwait(false);
        }

        if (state.Unavailable)
        {
            run.Observer.Warning(host.Name, $"cannot take the run lock {HostLockProbe.LockDirectory} (no permission); another run could apply at the same time");
            return true;
        }

        if (state.Acquired)
        {
            host.HoldsLock = true;
            if (state.TookOverStale)
            {
                run.Observer.Warning(host.Name, $"took over a stale lock left by {state.Holder} (since {state.Since:u}), whose run is gone");
            }

            return true;
        }

        host.Failed = true;
        run.Report(new TaskResult
        {
            Host = host.Name,
            Task = "Lock host",
            Module = "lock",
            Status = ResultStatus.Failed,
            Span = play.Span,
            Duration = clock.Elapsed,
            Message = $"another StateForge run is applying to this host: {state.Holder}, since {state.Since:u} (lock {HostLockProbe.LockDirectory})" +
                      (run.Options.LockTimeout > TimeSpan.Zero ? $"; still held after waiting {run.Options.LockTimeout.TotalSeconds:0.#} s (--lock-timeout)" : "; --lock-timeout SECONDS waits for it"),
        });
        return false;
    }

    /// <summary>Asks for the lock again, one small command every half second or so, until it is
    /// taken or <see cref="RunOptions.LockTimeout"/> has passed since the host's first ask.</summary>
    private async Task<HostLockState> WaitForLockAsync(HostState host, HostLockProbe probe, HostLockState state, System.Diagnostics.Stopwatch clock, CancellationToken cancellationToken)
    {
        run.Observer.HostTaskStarted(host.Name, $"waiting for the run lock ({state.Holder})");
        var deadline = clock.Elapsed + run.Options.LockTimeout;
        while (!state.Acquired && clock.Elapsed < deadline)
        {
            var pause = TimeSpan.FromMilliseconds(400 + Random.Shared.Next(200));
            var left = deadline - clock.Elapsed;
            await Task.Delay(pause < left ? pause : left, cancellationToken).ConfigureAwait(false);
            host.Facts.Forget(probe.Key);
            state = await host.Facts.GetAsync<HostLockState>(probe, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    private static IEnumerable<TaskDefinition> PlaybookDefinitions(Play play) =>
        Validation.PlaybookLoader.Flatten(play.Tasks).Concat(play.Handlers);

    private async Task RunNodesAsync(ImmutableArray<TaskNode> nodes, List<HostState> hosts, Frame frame, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var active = hosts.Where(h => h.Active).ToList();
            if (active.Count == 0 || run.PlayEnded)
            {
                return;
            }

            switch (node)
            {
                case TaskDefinition task:
                    var tags = frame.Tags.Union(task.Tags);
                    if (!TagsSelect(tags))
                    {
                        continue;
                    }

                    run.Observer.TaskStarted(task.DisplayName, handler: false);
                    await ForEachHostAsync(active, h => executor.RunAsync(task, h, frame, handler: false, cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                case BlockDefinition block:
                    await RunBlockAsync(block, active, frame, cancellationToken).ConfigureAwait(false);
                    break;
                case IncludeDefinition include:
                    await RunIncludeAsync(include, active, frame, cancellationToken).ConfigureAwait(false);
                    break;
                case MetaDefinition meta:
                    await RunMetaAsync(meta, active, frame, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task RunBlockAsync(BlockDefinition block, List<HostState> hosts, Frame frame, CancellationToken cancellationToken)
    {
        var inner = frame.Enter(block);
        var entered = hosts.Where(h => When(block, h, frame)).ToList();
        await RunNodesAsync(block.Block, entered, inner, cancellationToken).ConfigureAwait(false);
        await FlushAsync(entered, cancellationToken).ConfigureAwait(false);
        var failed = entered.Where(h => h.Failed && !h.Unreachable).ToList();
        if (block.Rescue.Length > 0 && failed.Count > 0)
        {
            foreach (var h in failed)
            {
                h.Failed = false;
            }

            await RunNodesAsync(block.Rescue, failed, inner, cancellationToken).ConfigureAwait(false);
            await FlushAsync(failed, cancellationToken).ConfigureAwait(false);
        }

        if (block.Always.Length > 0)
        {
            var stillFailed = entered.Where(h => h.Failed).ToList();
            foreach (var h in stillFailed)
            {
                h.Failed = false;
            }

            await RunNodesAsync(block.Always, entered.Where(h => !h.Unreachable).ToList(), inner, cancellationToken).ConfigureAwait(false);
            await FlushAsync(entered, cancellationToken).ConfigureAwait(false);
            foreach (var h in stillFailed)
            {
                h.Failed = true;
            }
        }
    }

    private async Task RunIncludeAsync(IncludeDefinition include, List<HostState> hosts, Frame frame, CancellationToken cancellationToken)
    {
        var entered = hosts.Where(h => When(include, h, frame)).ToList();
        if (include.Loop is null)
        {
            await RunNodesAsync(include.Tasks, entered, frame.Enter(include), cancellationToken).ConfigureAwait(false);
            return;
        }

        // A looped include runs the file once per item, host by host (items may differ per host).
        await Task.WhenAll(entered.Select(async h =>
        {
            var scope = ScopeBuilder.For(run, h, frame, include);
            if (run.Templates.Render(include.Loop, scope) is not IList<object?> items)
            {
                throw new TemplateException($"{include.Span}: loop of include '{include.File}' must be a list");
            }

            foreach (var item in items)
            {
                var itemFrame = frame.Enter(include, new Dictionary<string, object?> { [include.LoopVar] = item });
                await RunNodesAsync(include.Tasks, [h], itemFrame, cancellationToken).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
    }

    private async Task RunMetaAsync(MetaDefinition meta, List<HostState> hosts, Frame frame, CancellationToken cancellationToken)
    {
        await FlushAsync(hosts, cancellationToken).ConfigureAwait(false);
        var selected = hosts.Where(h => h.Active && When(meta, h, frame)).ToList();
        switch (meta.Action)
        {
            case "flush_handlers":
                await RunHandlersAsync(hosts, cancellationToken).ConfigureAwait(false);
                break;
            case "end_host":
                selected.ForEach(h => h.Ended = true);
                break;
            case "end_play":
                run.PlayEnded = selected.Count > 0;
                break;
            case "clear_host_errors":
                foreach (var h in run.Hosts.Values.Where(h => h.Failed))
                {
                    h.Failed = false;
                }

                break;
        }
    }

    private async Task RunHandlersAsync(List<HostState> hosts, CancellationToken cancellationToken)
    {
        var play = run.Play!;
        await FlushAsync(hosts, cancellationToken).ConfigureAwait(false);
        bool ran;
        do
        {
            ran = false;
            foreach (var handler in play.Handlers)
            {
                var topics = handler.Listen.Append(handler.Name ?? "").ToHashSet(StringComparer.Ordinal);
                var targets = new List<HostState>();
                foreach (var h in hosts.Where(h => h.Active))
                {
                    lock (h.Notified)
                    {
                        if (h.Notified.Overlaps(topics))
                        {
                            h.Notified.ExceptWith(topics);
                            targets.Add(h);
                        }
                    }
                }

                if (targets.Count == 0)
                {
                    continue;
                }

                ran = true;
                run.Observer.TaskStarted(handler.DisplayName, handler: true);
                await ForEachHostAsync(targets, h => executor.RunAsync(handler, h, Frame.Root, handler: true, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            await FlushAsync(hosts, cancellationToken).ConfigureAwait(false);
        }
        while (ran);
    }

    private bool When(TaskNode node, HostState host, Frame frame)
    {
        if (node.When.Length == 0)
        {
            return true;
        }

        try
        {
            var scope = ScopeBuilder.For(run, host, frame, node);
            return node.When.All(w => run.Templates.EvaluateCondition(w, scope));
        }
        catch (TemplateException e)
        {
            host.Failed = true;
            var what = node is IncludeDefinition i ? $"include {i.File}" : node.Name ?? "block";
            run.Report(new TaskResult
            {
                Host = host.Name,
                Task = what,
                Module = node is IncludeDefinition ? "include_tasks" : "block",
                Status = ResultStatus.Failed,
                Span = node.Span,
                Message = e.Variable is null ? $"{node.Span}: template error in 'when': {e.Message}" : $"{node.Span}: undefined variable '{e.Variable}' in 'when' of '{what}'",
            });
            return false;
        }
    }

    private bool TagsSelect(ImmutableHashSet<string> tags)
    {
        var options = run.Options;
        if (options.SkipTags.Any(tags.Contains) || (tags.Contains("never") && !options.Tags.Any(tags.Contains)))
        {
            return false;
        }

        if (options.Tags.Length == 0 || options.Tags.Contains("all") || tags.Contains("always"))
        {
            return true;
        }

        return options.Tags.Any(tags.Contains) || (options.Tags.Contains("tagged") && tags.Count > 0) || (options.Tags.Contains("untagged") && tags.Count == 0);
    }

    /// <summary>
    /// SSH.NET blocks a thread for each connection's key exchange and login (and briefly for each
    /// channel it opens), even through its async methods. The thread pool starts with one thread
    /// per core and adds more slowly, so 20 hosts' logins went out one after another: on 2 cores
    /// the last of 20 connected 3.3-3.8 s into a check instead of 1.9 s. One thread per fork
    /// (plus the cores) from the start lets every fork's login proceed at once.
    /// </summary>
    private static void EnsureThreads(int forks)
    {
        var wanted = Math.Min(Math.Max(forks, 1) + Environment.ProcessorCount, 1024);
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, io);
        }
    }

    private async Task ForEachHostAsync(List<HostState> hosts, Func<HostState, Task> action, CancellationToken cancellationToken)
    {
        await Task.WhenAll(hosts.Select(async h =>
        {
            await run.Forks.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await action(h).ConfigureAwait(false);
            }
            finally
            {
                run.Forks.Release();
            }
        })).ConfigureAwait(false);
    }
}
