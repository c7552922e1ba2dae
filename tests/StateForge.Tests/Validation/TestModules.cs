using StateForge.Modules;
using StateForge.Planning;

namespace StateForge.Tests.Validation;

public enum TestState
{
    Present,
    Absent,
}

[MutuallyExclusive("content", "src")]
public sealed record TestFileParams
{
    [Param("Path.", Required = true, Aliases = ["dest", "name"])]
    public string Path { get; init; } = "";

    [Param("State.")]
    public TestState State { get; init; } = TestState.Present;

    [Param("Mode.", IsMode = true)]
    public string? Mode { get; init; }

    [Param("Content.")]
    public string? Content { get; init; }

    [Param("Source.")]
    public string? Src { get; init; }

    [Param("Count.")]
    public int Count { get; init; }

    [Param("Flag.")]
    public bool Force { get; init; }
}

[Module("testfile", "example.test.testfile", Description = "A module for loader tests.")]
public sealed class TestFileModule : Module<TestFileParams>
{
    public override string Examples => "- testfile: {path: /x}";

    protected override IEnumerable<string> Validate(TestFileParams parameters) =>
        parameters.Path.StartsWith('/') ? [] : [$"path must be absolute, got '{parameters.Path}'"];

    protected override ValueTask<TaskPlan> PlanAsync(TestFileParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TaskPlan.Ok());
}

public sealed record TestCommandParams
{
    [FreeForm]
    [Param("The command.")]
    public string? Cmd { get; init; }

    [Param("Skip when this exists.")]
    public string? Creates { get; init; }
}

[Module("testcmd", Description = "A free-form module for loader tests.")]
public sealed class TestCommandModule : Module<TestCommandParams>
{
    public override string Examples => "- testcmd: echo hi";

    protected override ValueTask<TaskPlan> PlanAsync(TestCommandParams parameters, PlanContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TaskPlan.Ok());
}

public static class TestCatalog
{
    public static readonly ModuleCatalog Instance = new([new TestFileModule(), new TestCommandModule()]);
}
