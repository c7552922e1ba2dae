using System.Diagnostics;
using System.Text;
using StateForge.Diagnostics;
using StateForge.Inventory;
using StateForge.Parsing;

namespace StateForge.Tests.Corpus;

/// <summary>
/// Feeds mutated inputs to the loaders, one at a time, and records what went wrong: an exception
/// that escaped, a malformed diagnostic. The test's watchdog reads <see cref="Current"/> to catch
/// an input that never finishes.
/// </summary>
internal sealed class FuzzRunner(FuzzWorkspace workspace)
{
    private static readonly Func<Diagnostic, bool> NeverWithoutPosition = _ => false;
    private readonly InventoryModel inventory = InventoryLoader.Load([workspace.Inventory], new DiagnosticBag());
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private (string Description, long Started)? current;
    private (string Name, string Text) input = ("", "");

    public List<string> Failures { get; } = [];

    public int Inputs => counts.Values.Sum();

    public IReadOnlyDictionary<string, int> Counts => counts;

    public (TimeSpan Elapsed, string Description) Slowest { get; private set; } = (TimeSpan.Zero, "");

    /// <summary>The input being loaded now and how long it has been running.</summary>
    public (string Description, TimeSpan Elapsed)? Current
    {
        get
        {
            lock (gate)
            {
                return current is { } c ? (c.Description, Stopwatch.GetElapsedTime(c.Started)) : null;
            }
        }
    }

    /// <summary>Runs <paramref name="count"/> inputs from <paramref name="seed"/>, or until <paramref name="deadline"/>.</summary>
    public void Run(int seed, int count, DateTime deadline)
    {
        var random = new Random(seed);
        var mutator = new Mutator(random);
        for (var i = 0; i < count && DateTime.UtcNow < deadline; i++)
        {
            var pick = random.Next(100);
            var applied = new List<string>();
            var (kind, run) = pick switch
            {
                < 50 => ("playbook", PlaybookInput(random, mutator, applied)),
                < 60 => ("included-file", IncludedInput(random, mutator, applied)),
                < 75 => ("inventory", InventoryInput(random, mutator, applied)),
                < 90 => ("yaml", YamlInput(random, mutator, applied)),
                _ => ("pattern", PatternInput(random, mutator, applied)),
            };
            Execute($"seed {seed} input {i} ({kind}: {string.Join(", ", applied)})", kind, run);
        }
    }

    private void Execute(string description, string kind, Func<LoadOutcome> run)
    {
        lock (gate)
        {
            current = (description, Stopwatch.GetTimestamp());
        }

        var outcome = run();
        lock (gate)
        {
            current = null;
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        if (outcome.Elapsed > Slowest.Elapsed)
        {
            Slowest = (outcome.Elapsed, description);
        }

        var problems = outcome.Diagnostics.SelectMany(d => DiagnosticChecks.Problems(d, NeverWithoutPosition)).ToList();
        if (outcome.Crash is not null)
        {
            problems.Insert(0, $"threw {outcome.Crash}");
        }

        if (problems.Count > 0)
        {
            var saved = Path.Combine(Path.GetTempPath(), $"sf-fuzz-failure-{Guid.NewGuid():N}", input.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
            File.WriteAllText(saved, input.Text);
            Failures.Add($"{description}: {string.Join("; ", problems.Take(3))} (input saved as {saved})");
        }
    }

    private Func<LoadOutcome> PlaybookInput(Random random, Mutator mutator, List<string> applied)
    {
        var text = mutator.Mutate(workspace.Playbooks[random.Next(workspace.Playbooks.Count)], workspace.Playbooks, applied);
        var path = Path.Combine(workspace.Dir, "fuzz.yml");
        input = ("fuzz.yml", text);
        Write(path, text, random);
        return () => CorpusLoader.Playbook(path, workspace.Inventory);
    }

    private Func<LoadOutcome> IncludedInput(Random random, Mutator mutator, List<string> applied)
    {
        var relative = workspace.IncludedFiles[random.Next(workspace.IncludedFiles.Count)];
        var path = Path.Combine(workspace.Dir, relative);
        var original = File.ReadAllText(path);
        var text = mutator.Mutate(original, workspace.Playbooks, applied);
        input = (Path.GetFileName(relative), text);
        Write(path, text, random);
        applied.Insert(0, relative);
        return () =>
        {
            try
            {
                return CorpusLoader.Playbook(workspace.SitePath, workspace.Inventory);
            }
            finally
            {
                File.WriteAllText(path, original);
            }
        };
    }

    private Func<LoadOutcome> InventoryInput(Random random, Mutator mutator, List<string> applied)
    {
        var text = mutator.Mutate(workspace.Inventories[random.Next(workspace.Inventories.Count)], workspace.Inventories, applied);
        foreach (var old in Directory.EnumerateFiles(Path.Combine(workspace.Dir, "inv")))
        {
            File.Delete(old);
        }

        var path = Path.Combine(workspace.Dir, "inv", "hosts" + new[] { "", ".ini", ".yml" }[random.Next(3)]);
        input = (Path.GetFileName(path), text);
        Write(path, text, random);
        return () => CorpusLoader.Inventory(path);
    }

    private Func<LoadOutcome> YamlInput(Random random, Mutator mutator, List<string> applied)
    {
        // In memory, so text that no UTF-8 file could hold (lone surrogates) reaches the YAML reader too.
        var text = mutator.Mutate(workspace.Playbooks[random.Next(workspace.Playbooks.Count)], workspace.Playbooks, applied);
        input = ("fuzz.yml", text);
        return () => Measure(bag => YamlLoader.Load("fuzz.yml", text, bag)?.ToPlain());
    }

    private Func<LoadOutcome> PatternInput(Random random, Mutator mutator, List<string> applied)
    {
        string[] patterns = ["web", "all:!db", "web:&dc", "web[0]", "db[0:1]", "~web\\d", "web*", "web1,db1", "dc:!web[1:]", "localhost"];
        var pattern = mutator.Mutate(patterns[random.Next(patterns.Length)], FuzzVocabulary.Scalars, applied);
        input = ("pattern.txt", pattern);
        return () => Measure(bag => inventory.Match(pattern, new SourceSpan("fuzz.yml", 1, 1), bag));
    }

    private static LoadOutcome Measure(Action<DiagnosticBag> load)
    {
        var bag = new DiagnosticBag();
        var clock = Stopwatch.StartNew();
        try
        {
            load(bag);
            return new LoadOutcome(bag.Sorted(), null, clock.Elapsed, 0);
        }
        catch (Exception e)
        {
            return new LoadOutcome(bag.Sorted(), e, clock.Elapsed, 0);
        }
    }

    /// <summary>Writes UTF-8, now and then with a byte that is not (an invalid UTF-8 file).</summary>
    private static void Write(string path, string text, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (random.Next(20) == 0 && bytes.Length > 0)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
        }

        File.WriteAllBytes(path, bytes);
    }
}
