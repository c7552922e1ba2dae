using StateForge.Transport;

namespace StateForge.Tests.Transport;

public sealed class ScriptBatchTests
{
    private static readonly LocalConnection Local = new("localhost");

    [Fact]
    public async Task RunAsync_ManySteps_OneCommandWithEachStepsOutput()
    {
        var connection = new LocalConnection("localhost");
        var steps = new[]
        {
            new ScriptStep("a", "echo out-a; echo err-a >&2"),
            new ScriptStep("b", "printf '@@SF fake line\\n'; exit 3"),
            new ScriptStep("c", "echo c"),
        };
        var results = await ScriptBatch.RunAsync(connection, BecomeSpec.None, steps, stopOnFailure: false, CancellationToken.None);
        connection.CommandCount.Should().Be(1);
        results.Select(r => (r.Id, r.ExitCode)).Should().Equal(("a", 0), ("b", 3), ("c", 0));
        results[0].Stdout.Should().Be("out-a\n");
        results[0].Stderr.Should().Be("err-a\n");
        results[1].Stdout.Should().Be("@@SF fake line\n");
    }

    [Fact]
    public async Task RunAsync_StopOnFailure_StopsAtTheFailedStep()
    {
        var marker = Path.Combine(Path.GetTempPath(), "sf-after-" + Guid.NewGuid().ToString("N"));
        var steps = new[] { new ScriptStep("a", "true"), new ScriptStep("b", "false"), new ScriptStep("c", Shell.Command("touch", marker)) };
        var results = await ScriptBatch.RunAsync(Local, BecomeSpec.None, steps, stopOnFailure: true, CancellationToken.None);
        results.Select(r => r.Id).Should().Equal("a", "b");
        File.Exists(marker).Should().BeFalse();
    }

    [Fact]
    public async Task RunAsync_StepsCannotReadTheScriptFromStdin()
    {
        var steps = new[] { new ScriptStep("a", "cat"), new ScriptStep("b", "echo after") };
        var results = await ScriptBatch.RunAsync(Local, BecomeSpec.None, steps, stopOnFailure: true, CancellationToken.None);
        results[0].Stdout.Should().BeEmpty();
        results[1].Stdout.Should().Be("after\n");
    }

    [Fact]
    public async Task RunAsync_LargeScript_GoesThroughStdin()
    {
        var big = new string('x', 3 * 1024 * 1024);
        var steps = new[] { new ScriptStep("a", Shell.PipeText(big, "wc -c")) };
        var results = await ScriptBatch.RunAsync(Local, BecomeSpec.None, steps, stopOnFailure: true, CancellationToken.None);
        results[0].Stdout.Trim().Should().Be(big.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
