using System.Globalization;
using Xunit.Abstractions;

namespace StateForge.Tests.Corpus;

/// <summary>
/// Random mutations of valid (and broken) playbooks, included files, inventories and host patterns:
/// no exception escapes the loaders, every diagnostic is well-formed, no input hangs. A fixed list of
/// seeds runs the same inputs every time; one more seed, from the clock and printed, explores new ones
/// for the rest of the budget (STATEFORGE_FUZZ_SECONDS, default 8). Reproduce a time-seeded failure
/// with STATEFORGE_FUZZ_SEED.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly int[] FixedSeeds = [1, 2, 3, 5, 8, 13, 21, 34];
    private const int InputsPerFixedSeed = 25;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinimumExploration = TimeSpan.FromSeconds(2);

    [Fact]
    public void Fuzz_MutatedInputs_NeverCrashOrHang()
    {
        var budget = TimeSpan.FromSeconds(EnvInt("STATEFORGE_FUZZ_SECONDS") ?? 8);
        var timeSeed = EnvInt("STATEFORGE_FUZZ_SEED") ?? Environment.TickCount;
        using var workspace = new FuzzWorkspace();
        var runner = new FuzzRunner(workspace);
        var started = DateTime.UtcNow;
        var deadline = started + budget;

        var worker = new Thread(() =>
        {
            foreach (var seed in FixedSeeds)
            {
                runner.Run(seed, InputsPerFixedSeed, DateTime.MaxValue);
            }

            // However long the fixed seeds took (a loaded machine), the clock-seeded run gets its turn.
            runner.Run(timeSeed, int.MaxValue, deadline > DateTime.UtcNow + MinimumExploration ? deadline : DateTime.UtcNow + MinimumExploration);
        })
        { IsBackground = true, Name = "fuzz" };
        worker.Start();
        string? hung = null;
        while (!worker.Join(TimeSpan.FromMilliseconds(100)))
        {
            if (runner.Current is { } c && c.Elapsed > HangLimit)
            {
                hung = $"{c.Description} has run for {c.Elapsed.TotalSeconds:F0} s";
                break;
            }
        }

        var elapsed = DateTime.UtcNow - started;
        output.WriteLine($"fuzz: fixed seeds {string.Join(", ", FixedSeeds)} ({InputsPerFixedSeed} inputs each), time seed {timeSeed} (STATEFORGE_FUZZ_SEED={timeSeed} to repeat)");
        output.WriteLine($"fuzz: {runner.Inputs} inputs in {elapsed.TotalSeconds:F1} s, {(runner.Inputs / elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture)} inputs/s; " +
            string.Join(", ", runner.Counts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}")));
        output.WriteLine($"fuzz: slowest input {runner.Slowest.Elapsed.TotalMilliseconds:F0} ms: {runner.Slowest.Description}");
        hung.Should().BeNull("no input may hang the loaders");
        runner.Failures.Should().BeEmpty();
        runner.Inputs.Should().BeGreaterThanOrEqualTo(FixedSeeds.Length * InputsPerFixedSeed);
    }

    private static int? EnvInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
