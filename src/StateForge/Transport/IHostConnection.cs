namespace StateForge.Transport;

/// <summary>
/// One open connection to one host for the whole run. Every remote action is a POSIX sh script
/// run through <see cref="RunAsync"/>; the connection counts them for the report.
/// </summary>
public interface IHostConnection : IAsyncDisposable
{
    string HostName { get; }

    /// <summary>The user the connection logs in as (become wraps scripts for another).</summary>
    string User { get; }

    /// <summary>Remote commands run so far on this connection.</summary>
    int CommandCount { get; }

    /// <summary>File transfers made so far on this connection.</summary>
    int TransferCount { get; }

    /// <summary>Runs a POSIX sh script on the host, optionally feeding stdin.</summary>
    Task<CommandResult> RunAsync(string script, byte[]? stdin, CancellationToken cancellationToken);
}

/// <summary>Opens connections; a failure to connect is a <see cref="HostUnreachableException"/>.</summary>
public interface IConnectionFactory
{
    Task<IHostConnection> ConnectAsync(Inventory.InventoryHost host, CancellationToken cancellationToken);
}

/// <summary>The host could not be reached; the reason says why (refused, timeout, auth, host key).</summary>
public sealed class HostUnreachableException(string host, string reason, Exception? inner = null)
    : Exception($"{host}: {reason}", inner)
{
    public string Host { get; } = host;

    public string Reason { get; } = reason;

    /// <summary>The stdout that arrived before the connection was lost (empty when none).</summary>
    public string PartialOutput { get; init; } = "";

    /// <summary>The batch steps that finished, with their results, before the connection was lost.</summary>
    public IReadOnlyList<StepResult> CompletedSteps { get; init; } = [];
}

/// <summary>
/// The run was cancelled (Ctrl-C) while a command ran: the command was abandoned. Carries the
/// stdout that came before, so the batch steps that finished are still reported.
/// </summary>
public sealed class CommandInterruptedException(string host, string partialOutput, CancellationToken cancellationToken, Exception? inner = null)
    : OperationCanceledException($"{host}: interrupted", inner, cancellationToken)
{
    public string Host { get; } = host;

    /// <summary>The stdout that arrived before the command was abandoned.</summary>
    public string PartialOutput { get; } = partialOutput;

    /// <summary>The batch steps that finished, with their results, before the command was abandoned.</summary>
    public IReadOnlyList<StepResult> CompletedSteps { get; init; } = [];
}
