using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Execution;
using StateForge.Facts;
using StateForge.Inventory;
using StateForge.Modules;
using StateForge.Planning;
using StateForge.Reporting;
using StateForge.Templating;
using StateForge.Transport;
using StateForge.Transport.Ssh;

namespace StateForge.Lab.Modules;

/// <summary>
/// Drives one module against a lab host over StateForge's own SSH transport the way the engine's
/// task executor does: validate, fetch the task's facts in one batch, plan, run the steps in one
/// batch (unless checking), complete. Each run starts from fresh facts, like a new invocation.
/// Shared by the package, service and seboolean lab tests.
/// </summary>
public sealed class LabModuleRunner : IAsyncDisposable
{
    private readonly IHostConnection connection;
    private readonly LabHost host;

    private LabModuleRunner(IHostConnection connection, LabHost host)
    {
        this.connection = connection;
        this.host = host;
    }

    /// <summary>Remote commands run so far (each fact batch and each step batch is one).</summary>
    public int Commands => connection.CommandCount;

    public static async Task<LabModuleRunner> ConnectAsync(LabHosts lab, LabHost host) => new(await lab.ConnectAsync(host), host);

    public async Task<TaskPlan> RunAsync(IModule module, object parameters, bool check = false)
    {
        var problems = module.Validate(parameters).ToList();
        if (problems.Count > 0)
        {
            return TaskPlan.Fail("invalid arguments: " + string.Join("; ", problems));
        }

        var facts = connection.Facts();
        await facts.PrefetchAsync(module.Probes(parameters), CancellationToken.None);
        var context = new PlanContext
        {
            Host = host.Name,
            Facts = facts,
            CheckMode = check,
            Variables = ImmutableDictionary<string, object?>.Empty,
            Templates = new LiteralTemplates(),
        };
        var plan = await module.PlanAsync(parameters, context, CancellationToken.None);
        if (check || plan.Failed || plan.Steps.Length == 0)
        {
            return plan;
        }

        var steps = plan.Steps.Select((s, i) => new ScriptStep("s" + i, s.Script)).ToList();
        var results = await ScriptBatch.RunAsync(connection, BecomeSpec.None, steps, stopOnFailure: true, CancellationToken.None);
        return module.Complete(parameters, plan, results);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}

/// <summary>
/// Runs a playbook against one lab host through the real engine (StateForgeEngine: fact
/// prefetch per play, simulated facts across tasks, check mode), with a one-host inventory and
/// no templating. For the behaviour that spans tasks: a service from a package planned earlier.
/// </summary>
public static class LabPlaybook
{
    public static async Task<RunReport> RunAsync(LabHosts lab, LabHost host, string yaml, bool check)
    {
        var (engine, inventory, playbook, diagnostics) = await LoadAsync(lab, host, yaml);
        if (diagnostics.HasErrors)
        {
            throw new InvalidOperationException("playbook does not load: " + string.Join("\n", diagnostics.Select(d => d.ToString())));
        }

        return await engine.RunAsync(playbook, inventory, new RunOptions { Check = check }, NullRunObserver.Instance, CancellationToken.None);
    }

    /// <summary>Loads and validates the playbook, as `stateforge` does before contacting any host.</summary>
    public static async Task<(StateForgeEngine Engine, IInventory Inventory, Model.Playbook Playbook, DiagnosticBag Diagnostics)> LoadAsync(LabHosts lab, LabHost host, string yaml)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("sf-lab-playbook-").FullName;
        try
        {
            var path = Path.Combine(dir, "playbook.yml");
            await File.WriteAllTextAsync(path, yaml);
            var engine = new StateForgeEngine(ModuleCatalog.BuiltIn, new LiteralTemplates(), new SshConnectionFactory(new SshSettings { KnownHostsPath = lab.KnownHostsPath }));
            var inventory = new OneHostInventory(lab.InventoryHost(host));
            var diagnostics = new DiagnosticBag();
            return (engine, inventory, engine.Load(path, inventory, diagnostics), diagnostics);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class OneHostInventory(InventoryHost host) : IInventory
    {
        public IReadOnlyList<InventoryHost> Hosts => [host];

        public InventoryHost? FindHost(string name) => name == host.Name ? host : null;

        public IReadOnlyList<string> GroupNamesOf(string name) => [];

        public IReadOnlyDictionary<string, IReadOnlyList<string>> GroupsToHosts() =>
            new Dictionary<string, IReadOnlyList<string>> { ["all"] = [host.Name], ["ungrouped"] = [host.Name] };

        public IReadOnlyList<InventoryHost> Match(string pattern, SourceSpan at, DiagnosticBag diagnostics) =>
            pattern is "all" or "*" || pattern == host.Name ? [host] : [];
    }
}

/// <summary>No templating: the tests' playbooks and arguments are literal.</summary>
internal sealed class LiteralTemplates : ITemplateEngine
{
    public bool IsTemplated(string text) => false;

    public object? Render(object? value, IReadOnlyDictionary<string, object?> variables) => value;

    public bool EvaluateCondition(string expression, IReadOnlyDictionary<string, object?> variables) =>
        throw new NotSupportedException("the lab playbooks use no conditions");

    public object? Evaluate(string expression, IReadOnlyDictionary<string, object?> variables) =>
        throw new NotSupportedException("the lab playbooks use no expressions");

    public string RenderFile(string text, string templatePath, IReadOnlyDictionary<string, object?> variables) => text;
}
