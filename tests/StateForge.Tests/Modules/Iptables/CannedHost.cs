using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using StateForge.Facts;
using StateForge.Modules;
using StateForge.Planning;
using StateForge.Transport;
using StateForge.Validation;

namespace StateForge.Tests.Modules.Iptables;

/// <summary>
/// A host whose probes answer with canned outputs (captured from real hosts), for planning
/// tests: commands by argv, files by path (absent unless given), other probes by key.
/// </summary>
internal sealed class CannedHost
{
    private readonly Dictionary<string, StepResult> commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);
    private readonly HashSet<string> directories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StepResult> byKey = new(StringComparer.Ordinal);

    public CannedHost() => Facts = NewFacts();

    public HostFacts Facts { get; private set; }

    /// <summary>Every probe key fetched, in order.</summary>
    public List<string> Fetched { get; } = [];

    /// <summary>A fixture beside the calling test file (Fixtures/NAME); read from the sources, not the build output.</summary>
    public static string Fixture(string name, [CallerFilePath] string caller = "") =>
        System.IO.File.ReadAllText(Path.Combine(Path.GetDirectoryName(caller)!, "Fixtures", name));

    public CannedHost Command(string[] argv, string stdout, int exitCode = 0, string stderr = "")
    {
        commands[string.Join('\u001f', argv)] = new StepResult("", exitCode, stdout, stderr);
        return this;
    }

    public CannedHost File(string path, string text)
    {
        files[path] = text;
        return this;
    }

    public CannedHost Directory(string path)
    {
        directories.Add(path);
        return this;
    }

    public CannedHost Probe(string key, string stdout, int exitCode = 0, string stderr = "")
    {
        byKey[key] = new StepResult("", exitCode, stdout, stderr);
        return this;
    }

    /// <summary>Forgets simulated and fetched facts, as a new run would (the canned outputs stay).</summary>
    public void Refresh() => Facts = NewFacts();

    public PlanContext Context(bool checkMode = false, IReadOnlyDictionary<string, object?>? variables = null) => new()
    {
        Host = "canned",
        Facts = Facts,
        CheckMode = checkMode,
        Variables = variables ?? ImmutableDictionary<string, object?>.Empty,
        Templates = null!,
    };

    /// <summary>Binds the arguments as a playbook would, validates, prefetches the probes in one batch, plans.</summary>
    public async Task<TaskPlan> PlanAsync(IModule module, object arguments, bool checkMode = false, IReadOnlyDictionary<string, object?>? variables = null)
    {
        var parameters = Bind(module, arguments);
        module.Validate(parameters).Should().BeEmpty();
        await Facts.PrefetchAsync(module.Probes(parameters), CancellationToken.None);
        return await module.PlanAsync(parameters, Context(checkMode, variables), CancellationToken.None);
    }

    /// <summary>The module's parameter record from plain arguments (an anonymous object or a dictionary), as the engine binds them.</summary>
    public static object Bind(IModule module, object arguments)
    {
        var errors = new List<ConversionError>();
        var record = ValueConverter.BindRecord(module.ParametersType, Arguments(arguments), "", errors, lenient: false);
        errors.Should().BeEmpty();
        return record!;
    }

    /// <summary>Validation errors for arguments that bind.</summary>
    public static IReadOnlyList<string> Errors(IModule module, object arguments)
    {
        var errors = new List<ConversionError>();
        var record = ValueConverter.BindRecord(module.ParametersType, Arguments(arguments), "", errors, lenient: false);
        return [.. errors.Select(e => $"{e.Path}: {e.Message}"), .. errors.Count == 0 ? module.Validate(record!) : []];
    }

    private static IReadOnlyDictionary<string, object?> Arguments(object arguments) =>
        arguments is System.Collections.IDictionary d
            ? d.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => Plain(d[k]), StringComparer.Ordinal)
            : arguments.GetType().GetProperties().ToDictionary(p => p.Name, p => Plain(p.GetValue(arguments)), StringComparer.Ordinal);

    private static object? Plain(object? value) => value switch
    {
        int i => (long)i,
        string s => s,
        System.Collections.IDictionary d => d.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => Plain(d[k]), StringComparer.Ordinal),
        System.Collections.IEnumerable e => e.Cast<object?>().Select(Plain).ToList(),
        _ => value,
    };

    private HostFacts NewFacts() => new((probes, ct) =>
    {
        Fetched.AddRange(probes.Select(p => p.Key));
        return Task.FromResult<IReadOnlyList<StepResult>>([.. probes.Select((p, i) => Answer(p) with { Id = HostFacts.StepId(i) })]);
    });

    private StepResult Answer(FactProbe probe) => probe switch
    {
        _ when byKey.TryGetValue(probe.Key, out var r) => r,
        CommandProbe c when commands.TryGetValue(string.Join('\u001f', c.Argv), out var r) => r,
        CommandProbe c => throw new InvalidOperationException($"no canned output for `{string.Join(' ', c.Argv)}`"),
        FileProbe f => new StepResult("", 0, FileOutput(f), ""),
        _ => throw new InvalidOperationException($"no canned output for probe {probe.Key}"),
    };

    /// <summary>What the FileProbe script prints: `stat` line, link target, sha256, base64 content.</summary>
    private string FileOutput(FileProbe probe)
    {
        if (directories.Contains(probe.Path))
        {
            return "directory|root|root|755|4096\n\n\n\n";
        }

        if (!files.TryGetValue(probe.Path, out var text))
        {
            return "absent\n";
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return $"regular file|root|root|644|{bytes.Length}\n\n{sha}\n{(probe.WithContent ? Convert.ToBase64String(bytes) : "")}\n";
    }
}
