using StateForge.Modules;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Execution;

/// <summary>A planned item whose steps wait to run in the host's next batch.</summary>
internal sealed record DeferredItem(IModule Module, object Parameters, TaskPlan Plan, BecomeSpec Become);

/// <summary>A task whose result is reported once the batch it belongs to has run.</summary>
internal sealed record DeferredTask(TaskResult Result, IReadOnlyList<DeferredItem> Items, bool Silent = false);

/// <summary>The host stopped (an earlier batched step failed) before this task could run.</summary>
internal sealed class HostStoppedException : Exception
{
    public HostStoppedException()
        : base("the host stopped: an earlier step failed")
    {
    }
}
