using System.Collections;
using System.Collections.Immutable;
using StateForge.Facts;
using StateForge.Modules;
using StateForge.Planning;
using StateForge.Transport;
using StateForge.Validation;

namespace StateForge.Lab.Modules;

/// <summary>
/// Drives one module against a lab host as the engine does: arguments bound by the engine's
/// converter, the module's probes fetched in one batch, the plan's steps run in one batch,
/// facts shared between tasks (simulated changes included) until <see cref="Refresh"/>.
/// </summary>
internal sealed class ModuleDriver(LabHosts lab, LabHost host, IHostConnection connection)
{
    public HostFacts Facts { get; private set; } = connection.Facts();

    /// <summary>Batches fetched and step batches run since the driver was made.</summary>
    public int RemoteCommands => connection.CommandCount;

    public static async Task<ModuleDriver> ConnectAsync(LabHosts lab, LabHost host) => new(lab, host, await lab.ConnectAsync(host));

    /// <summary>Forgets every fact, as the next run would.</summary>
    public void Refresh() => Facts = connection.Facts();

    public static object Bind(IModule module, IReadOnlyDictionary<string, object?> arguments)
    {
        var errors = new List<ConversionError>();
        var record = ValueConverter.BindRecord(module.ParametersType, arguments, "", errors, lenient: false);
        errors.Should().BeEmpty();
        return record!;
    }

    /// <summary>Binding and module validation errors, as the playbook loader reports them.</summary>
    public static List<string> Errors(IModule module, IReadOnlyDictionary<string, object?> arguments)
    {
        var errors = new List<ConversionError>();
        var record = ValueConverter.BindRecord(module.ParametersType, arguments, "", errors, lenient: false);
        return [.. errors.Select(e => $"{e.Path}: {e.Message}"), .. errors.Count == 0 ? module.Validate(record!) : []];
    }

    public async Task<TaskPlan> PlanAsync(IModule module, IReadOnlyDictionary<string, object?> arguments, bool checkMode = false)
    {
        var parameters = Bind(module, arguments);
        module.Validate(parameters).Should().BeEmpty();
        await Facts.PrefetchAsync(module.Probes(parameters), CancellationToken.None);
        return await module.PlanAsync(parameters, new PlanContext
        {
            Host = host.Name,
            Facts = Facts,
            CheckMode = checkMode,
            Variables = ImmutableDictionary<string, object?>.Empty,
            Templates = null!,
        }, CancellationToken.None);
    }

    /// <summary>Plans, runs the steps in one batch (stopping at the first failure) and completes, as the executor does.</summary>
    public async Task<TaskPlan> ApplyAsync(IModule module, IReadOnlyDictionary<string, object?> arguments)
    {
        var plan = await PlanAsync(module, arguments);
        if (plan.Failed || plan.Steps.Length == 0)
        {
            return plan;
        }

        var steps = plan.Steps.Select((s, i) => new ScriptStep("s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Script)).ToList();
        var results = await ScriptBatch.RunAsync(connection, BecomeSpec.None, steps, stopOnFailure: true, CancellationToken.None);
        return module.Complete(Bind(module, arguments), plan, results);
    }

    /// <summary>Runs a command inside the host by hand (not through StateForge), failing the test if it fails.</summary>
    public async Task<string> ExecAsync(params string[] argv) => (await lab.ExecAsync(host, argv)).EnsureSuccess(string.Join(' ', argv)).StdOut;

    /// <summary>Writes a file inside the host by hand.</summary>
    public Task WriteAsync(string path, string content) =>
        ExecAsync("sh", "-c", "mkdir -p \"$(dirname \"$2\")\" && printf '%s' \"$1\" > \"$2\"", "sh", content, path);

    public async Task<bool> ExistsAsync(string path) => (await lab.ExecAsync(host, "test", "-e", path)).ExitCode == 0;

    /// <summary>Task arguments from alternating names and values; lists become the plain lists YAML gives.</summary>
    public static IReadOnlyDictionary<string, object?> Args(params object?[] pairs)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Length; i += 2)
        {
            d[(string)pairs[i]!] = pairs[i + 1] switch
            {
                string s => s,
                int n => (long)n,
                IEnumerable e => e.Cast<object?>().ToList(),
                var v => v,
            };
        }

        return d;
    }

    public static IEnumerable<(string Resource, bool Changed)> Summary(TaskPlan plan) => plan.Changes.Select(c => (c.Resource, c.IsChange));
}
