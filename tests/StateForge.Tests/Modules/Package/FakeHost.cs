using System.Runtime.CompilerServices;
using StateForge.Facts;
using StateForge.Modules;
using StateForge.Planning;
using StateForge.Templating;
using StateForge.Transport;

namespace StateForge.Tests.Modules;

/// <summary>
/// A host for planning tests (shared by the package, service and seboolean tests): its probes
/// are answered from captured outputs of real commands, and every probe script it was asked to
/// run is recorded, so a test can prove that nothing ran.
/// </summary>
internal sealed class FakeHost
{
    private readonly Func<FactProbe, StepResult?> answer;

    public FakeHost(Func<FactProbe, StepResult?> answer)
    {
        this.answer = answer;
        Facts = new HostFacts((probes, ct) =>
        {
            Batches.Add([.. probes]);
            return Task.FromResult<IReadOnlyList<StepResult>>([.. probes.Select((p, i) =>
                (answer(p) ?? Default(p) ?? throw new InvalidOperationException($"no answer for probe {p.Key}")) with { Id = HostFacts.StepId(i) })]);
        });
    }

    public string Name { get; init; } = "host1";

    public HostFacts Facts { get; }

    /// <summary>Each fact batch the host was asked for (one remote command each on a real host).</summary>
    public List<List<FactProbe>> Batches { get; } = [];

    public IEnumerable<FactProbe> Asked => Batches.SelectMany(b => b);

    public PlanContext Context(bool check = false, IReadOnlyDictionary<string, object?>? ansibleFacts = null) => new()
    {
        Host = Name,
        Facts = Facts,
        CheckMode = check,
        Variables = ansibleFacts is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["ansible_facts"] = ansibleFacts },
        Templates = new NoTemplates(),
    };

    /// <summary>What the engine does for one task: prefetch its probes in one batch, then plan.</summary>
    public async Task<TaskPlan> PlanAsync(IModule module, object parameters, bool check = false, IReadOnlyDictionary<string, object?>? ansibleFacts = null)
    {
        module.Validate(parameters).Should().BeEmpty();
        await Facts.PrefetchAsync(module.Probes(parameters), CancellationToken.None);
        return await module.PlanAsync(parameters, Context(check, ansibleFacts), CancellationToken.None);
    }

    public static StepResult Output(string stdout, int exitCode = 0) => new("", exitCode, stdout, "");

    private static StepResult? Default(FactProbe probe) => probe is PlannedPackagesProbe ? Output("") : null;

    private sealed class NoTemplates : ITemplateEngine
    {
        public bool IsTemplated(string text) => false;

        public object? Render(object? value, IReadOnlyDictionary<string, object?> variables) => value;

        public bool EvaluateCondition(string expression, IReadOnlyDictionary<string, object?> variables) => throw new NotSupportedException();

        public object? Evaluate(string expression, IReadOnlyDictionary<string, object?> variables) => throw new NotSupportedException();

        public string RenderFile(string text, string templatePath, IReadOnlyDictionary<string, object?> variables) => text;
    }
}

/// <summary>Captured outputs of real commands, kept beside the tests that read them.</summary>
internal static class Captured
{
    public static string Read(string relativePath, [CallerFilePath] string caller = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(caller)!, "Fixtures", relativePath));
}

/// <summary>Values that must never reach a shell: each one is refused at validation.</summary>
internal static class Hostile
{
    public static readonly string[] Values =
    [
        "a b",
        "it's",
        "say\"hi\"",
        "$(touch /tmp/pwned)",
        "`touch /tmp/pwned`",
        "x;touch /tmp/pwned",
        "x\ntouch /tmp/pwned",
        "x|sh",
        "x&&y",
        "-rf",
        "../../etc/passwd",
        "*",
        "",
    ];
}
