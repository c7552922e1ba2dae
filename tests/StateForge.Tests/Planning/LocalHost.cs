using System.Collections.Immutable;
using StateForge.Facts;
using StateForge.Modules;
using StateForge.Planning;
using StateForge.Transport;

namespace StateForge.Tests.Planning;

/// <summary>
/// The local machine as a host, for module tests: facts come from real probes run with
/// /bin/sh, plans are applied with one batch, all inside a temp directory removed afterwards.
/// </summary>
internal sealed class LocalHost : IDisposable
{
    private readonly LocalConnection connection = new("localhost");

    public LocalHost()
    {
        Root = Directory.CreateTempSubdirectory("sf-hostmods-").FullName;
        Facts = NewFacts();
    }

    public string Root { get; }

    /// <summary>Facts shared by the plans made since the last <see cref="Refresh"/>, simulated changes included.</summary>
    public HostFacts Facts { get; private set; }

    /// <summary>A marker hostile values would create if anything evaluated them.</summary>
    public string Pwned => System.IO.Path.Combine(Root, "pwned");

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Forgets every fact, as a new run would.</summary>
    public void Refresh() => Facts = NewFacts();

    public PlanContext Context(bool checkMode = false) => new()
    {
        Host = "localhost",
        Facts = Facts,
        CheckMode = checkMode,
        Variables = ImmutableDictionary<string, object?>.Empty,
        Templates = null!,
        SearchPaths = [Root],
    };

    /// <summary>Validates, prefetches the module's probes in one batch, then plans.</summary>
    public async Task<TaskPlan> PlanAsync(IModule module, object parameters, bool checkMode = false)
    {
        module.Validate(parameters).Should().BeEmpty();
        await Facts.PrefetchAsync(module.Probes(parameters), CancellationToken.None);
        return await module.PlanAsync(parameters, Context(checkMode), CancellationToken.None);
    }

    /// <summary>Runs the plan's steps in one batch (stopping at the first failure) and completes it.</summary>
    public async Task<TaskPlan> ApplyAsync(IModule module, object parameters, TaskPlan plan)
    {
        var steps = plan.Steps.Select((s, i) => new ScriptStep("s" + i, s.Script)).ToList();
        var results = await ScriptBatch.RunAsync(connection, BecomeSpec.None, steps, stopOnFailure: true, CancellationToken.None);
        return module.Complete(parameters, plan, results);
    }

    /// <summary>Plans from fresh facts and applies: one task of a real run.</summary>
    public async Task<TaskPlan> RunAsync(IModule module, object parameters)
    {
        Refresh();
        var plan = await PlanAsync(module, parameters);
        return plan.Failed ? plan : await ApplyAsync(module, parameters, plan);
    }

    public async Task<string> ShAsync(string script)
    {
        var result = await connection.RunAsync(script, null, CancellationToken.None);
        return result.Stdout.TrimEnd('\n');
    }

    public Task<string> StatAsync(string path, string format = "%U:%G:%a") => ShAsync(Shell.Command("stat", "-c", format, "--", path));

    private HostFacts NewFacts() => new((probes, ct) =>
        ScriptBatch.RunAsync(connection, BecomeSpec.None, HostFacts.ToSteps(probes), stopOnFailure: false, ct));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a test that failed midway may leave odd modes behind.
        }
    }
}
