using StateForge.Facts;
using StateForge.Inventory;
using StateForge.Transport;

namespace StateForge.Execution;

/// <summary>Everything the run knows of one host: its connection, facts, variables set at run time, notifications.</summary>
internal sealed class HostState
{
    private readonly SemaphoreSlim connectGate = new(1, 1);
    private readonly IConnectionFactory connections;
    private IHostConnection? connection;

    public HostState(InventoryHost host, IConnectionFactory connections)
    {
        Host = host;
        this.connections = connections;
        Facts = new HostFacts(FetchAsync);
    }

    public InventoryHost Host { get; }

    public string Name => Host.Name;

    public HostFacts Facts { get; }

    /// <summary>The become used for fact gathering (the play's).</summary>
    public Transport.BecomeSpec FactsBecome { get; set; } = Transport.BecomeSpec.None;

    /// <summary>ansible_facts gathered from the host (and set_fact with cacheable).</summary>
    public Dictionary<string, object?> GatheredFacts { get; } = new(StringComparer.Ordinal);

    /// <summary>Registered results and set_fact values: above play vars, below extra vars.</summary>
    public Dictionary<string, object?> RuntimeVars { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Notified { get; } = new(StringComparer.Ordinal);

    /// <summary>Tasks planned and reported in order once their batched steps have run.</summary>
    public List<DeferredTask> Pending { get; } = [];

    /// <summary>Items the task running now has deferred.</summary>
    public List<DeferredItem> CurrentItems { get; } = [];

    public bool Failed { get; set; }

    public bool Unreachable { get; set; }

    public string? UnreachableReason { get; set; }

    /// <summary>A command ran whose effects are unknown: facts must be read again before planning.</summary>
    public bool FactsStale { get; set; }

    /// <summary>The host stopped on purpose (meta: end_host).</summary>
    public bool Ended { get; set; }

    public bool Active => !Failed && !Unreachable && !Ended;

    /// <summary>This run holds the host's lock and must release it at the end.</summary>
    public bool HoldsLock { get; set; }

    /// <summary>Releases the host's lock, if held, over the open connection.</summary>
    public async Task ReleaseLockAsync(string runId)
    {
        if (!HoldsLock || connection is null || Unreachable)
        {
            return;
        }

        HoldsLock = false;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await ScriptBatch.RunAsync(connection, FactsBecome, [new ScriptStep("unlock", HostLockProbe.ReleaseScript(runId))], stopOnFailure: false, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HostUnreachableException or RemoteScriptException or OperationCanceledException)
        {
            // The host went away; its lock's keeper is gone with it, so the next run takes it over.
        }
    }

    public int Commands => connection?.CommandCount ?? 0;

    public int Transfers => connection?.TransferCount ?? 0;

    public async Task<IHostConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            return connection;
        }

        await connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return connection ??= await connections.ConnectAsync(Host, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connectGate.Release();
        }
    }

    public async ValueTask CloseAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<StepResult>> FetchAsync(IReadOnlyList<FactProbe> probes, CancellationToken cancellationToken)
    {
        var c = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var span = RunTrace.Begin(Name, "fact batch");
        var results = await ScriptBatch.RunAsync(c, FactsBecome, HostFacts.ToSteps(probes), stopOnFailure: false, cancellationToken).ConfigureAwait(false);
        span.End(RunTrace.Enabled ? $"{probes.Count} probes: {string.Join(' ', probes.Select(p => p.GetType().Name).Distinct())}" : null);
        return results;
    }
}
