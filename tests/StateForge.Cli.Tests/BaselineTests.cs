using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace StateForge.Cli.Tests;

/// <summary>
/// Plan text, recap and JSON report compared with checked-in baselines (Baselines/SCENARIO/).
/// Refresh them with: STATEFORGE_UPDATE_BASELINES=1 dotnet test tests/StateForge.Cli.Tests --filter Baseline
/// </summary>
public sealed partial class BaselineTests : IDisposable
{
    private readonly Workspace ws = new();

    public void Dispose() => ws.Dispose();

    [Fact]
    public async Task Baseline_CheckOnAFreshMachine()
    {
        Setup("check-fresh");
        var run = await ws.RunAsync("check", "playbook.yml", "--diff", "--json", "report.json");
        run.ExpectExit(2);
        Compare("check-fresh", "output.txt", run.Out);
        Compare("check-fresh", "report.json", CliRunner.Scrub(ws.Read("report.json"), ws.Root));
    }

    [Fact]
    public async Task Baseline_ApplyThenDriftThenCheck()
    {
        Setup("apply-then-drift");
        var apply = await ws.RunAsync("apply", "playbook.yml");
        apply.ExitCode.Should().Be(0, apply.Out + apply.Error);
        File.WriteAllText(ws.Path("managed/etc/app.conf"), "port=9999\nname=baseline\n");
        var run = await ws.RunAsync("check", "playbook.yml", "--diff", "--json", "report.json");
        run.ExpectExit(2);
        Compare("apply-then-drift", "output.txt", run.Out);
        Compare("apply-then-drift", "report.json", CliRunner.Scrub(ws.Read("report.json"), ws.Root));
    }

    private void Setup(string scenario) =>
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Baselines", scenario, "playbook.yml"), ws.Path("playbook.yml"));

    /// <summary>What varies between machines and runs: the workspace path (scrubbed already), durations, owners.</summary>
    private static string Normalize(string text) => Owner().Replace(Durations().Replace(text, "\"duration_ms\": 0"), "\"owner\": \"<user>\"");

    private static void Compare(string scenario, string file, string actual, [CallerFilePath] string source = "")
    {
        actual = Normalize(actual).Replace("\r\n", "\n", StringComparison.Ordinal);
        var expectedPath = Path.Combine(Path.GetDirectoryName(source)!, "Baselines", scenario, file);
        if (Environment.GetEnvironmentVariable("STATEFORGE_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }

        File.Exists(expectedPath).Should().BeTrue($"baseline {expectedPath} exists (refresh with STATEFORGE_UPDATE_BASELINES=1)");
        var expected = File.ReadAllText(expectedPath);
        if (expected != actual)
        {
            var diff = StateForge.Planning.TextDiff.Unified(expected, actual, "baseline: " + file, "actual: " + file);
            Assert.Fail($"{scenario}/{file} differs from its baseline (refresh with STATEFORGE_UPDATE_BASELINES=1 if intended):\n{diff}");
        }
    }

    [GeneratedRegex(@"""duration_ms"": \d+")]
    private static partial Regex Durations();

    [GeneratedRegex(@"""owner"": ""[^""]*""")]
    private static partial Regex Owner();
}
