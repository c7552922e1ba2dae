using StateForge.Model;

namespace StateForge.Execution;

/// <summary>Receives progress as a run goes, for live display. Calls may come from several threads.</summary>
public interface IRunObserver
{
    void PlayStarted(Play play, IReadOnlyList<string> hosts);

    void TaskStarted(string task, bool handler);

    void HostTaskStarted(string host, string task);

    void TaskCompleted(TaskResult result);

    void Warning(string? host, string message);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullRunObserver : IRunObserver
{
    public static readonly NullRunObserver Instance = new();

    public void PlayStarted(Play play, IReadOnlyList<string> hosts)
    {
    }

    public void TaskStarted(string task, bool handler)
    {
    }

    public void HostTaskStarted(string host, string task)
    {
    }

    public void TaskCompleted(TaskResult result)
    {
    }

    public void Warning(string? host, string message)
    {
    }
}
