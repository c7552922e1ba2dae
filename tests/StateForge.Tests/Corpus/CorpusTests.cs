using StateForge.Diagnostics;

namespace StateForge.Tests.Corpus;

/// <summary>
/// Every file in tests/corpus is broken on purpose. Loading it as `stateforge validate` does must
/// give exactly the errors its `# expect:` lines name (code and position), each well-formed, with
/// nothing thrown, no host contacted, and within a few seconds.
/// </summary>
public sealed class CorpusTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    public static TheoryData<string> PlaybookFiles => [.. CorpusFiles.Entries(CorpusFiles.Playbooks)];

    public static TheoryData<string> InventoryFiles => [.. CorpusFiles.Entries(CorpusFiles.Inventories)];

    [Fact]
    public void Corpus_HasAtLeastSixtyBrokenInputs()
    {
        (PlaybookFiles.Count + InventoryFiles.Count).Should().BeGreaterThanOrEqualTo(60);
    }

    [Theory]
    [MemberData(nameof(PlaybookFiles))]
    public async Task Playbook_IsRejectedWithTheExpectedDiagnostics(string name)
    {
        var path = Path.Combine(CorpusFiles.Playbooks, name);
        var outcome = await Task.Run(() => CorpusLoader.Playbook(path)).WaitAsync(Limit);
        Verify(path, outcome);
    }

    [Theory]
    [MemberData(nameof(InventoryFiles))]
    public async Task Inventory_IsRejectedWithTheExpectedDiagnostics(string name)
    {
        var path = Path.Combine(CorpusFiles.Inventories, name);
        var outcome = await Task.Run(() => CorpusLoader.Inventory(path)).WaitAsync(Limit);
        Verify(path, outcome);
    }

    private static void Verify(string path, LoadOutcome outcome)
    {
        var expected = CorpusFiles.ExpectationsOf(path);
        expected.Should().NotBeEmpty($"{path} must say what it expects in '# expect:' lines or a .expect sidecar");
        outcome.Crash.Should().BeNull("loading bad input reports diagnostics, it never throws");
        outcome.Elapsed.Should().BeLessThan(Limit);
        outcome.ConnectAttempts.Should().Be(0, "validation touches no host");

        var wholeFileCodes = expected.Where(e => e.WholeFile).Select(e => e.Code).ToHashSet();
        outcome.Diagnostics.SelectMany(d => DiagnosticChecks.Problems(d, x => wholeFileCodes.Contains(x.Code))).Should().BeEmpty();

        var actual = outcome.Diagnostics.Where(d => d.IsError).Select(Describe).Distinct().Order().ToList();
        actual.Should().BeEquivalentTo(
            expected.Select(e => e.ToString()).Distinct().Order(),
            $"these are the errors {Path.GetFileName(path)} expects; it gave:\n  {string.Join("\n  ", outcome.Diagnostics)}");
    }

    private static string Describe(Diagnostic d) =>
        d.Span.IsNone ? new Expectation(d.Code, null, 0, 0).ToString() : new Expectation(d.Code, Path.GetFullPath(d.Span.File), d.Span.Line, d.Span.Column).ToString();
}
